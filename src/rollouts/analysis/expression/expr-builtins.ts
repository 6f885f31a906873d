// Functions a condition may call: Argo's own (asInt, asFloat, isNaN, isInf, isNil, default) and
// the expr-lang builtins people use in conditions. `default`, `isNil` and the predicate functions
// (all, any, ...) need lazy arguments and live in the evaluator.
import { ExpressionError } from '../analysis-errors.js';
import { isMap, mapGet, typeName, formatValue, type Value } from './expr-values.js';

export type Builtin = (args: Value[]) => Value;

function arity(name: string, args: Value[], min: number, max = min): void {
  if (args.length < min) throw new ExpressionError(`not enough arguments to call ${name}`);
  if (args.length > max) throw new ExpressionError(`too many arguments to call ${name}`);
}

function number(name: string, value: Value): number {
  if (typeof value !== 'number') throw new ExpressionError(`invalid argument for ${name} (type ${typeName(value)})`);
  return value;
}

function numbers(name: string, args: Value[]): number[] {
  const list = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
  if (list.length === 0) throw new ExpressionError(`not enough arguments to call ${name}`);
  return list.map((v) => number(name, v));
}

function string(name: string, value: Value): string {
  if (typeof value !== 'string') throw new ExpressionError(`invalid argument for ${name} (type ${typeName(value)})`);
  return value;
}

function array(name: string, value: Value): Value[] {
  if (!Array.isArray(value)) throw new ExpressionError(`invalid argument for ${name} (type ${typeName(value)})`);
  return value;
}

/** Argo's asInt: numbers truncate; strings must be base-10 integers (strconv.ParseInt). */
function asInt(args: Value[]): Value {
  arity('asInt', args, 1);
  const v = args[0] ?? null;
  if (typeof v === 'number') return Math.trunc(v);
  if (typeof v === 'string') {
    if (!/^[+-]?\d+$/.test(v)) throw new ExpressionError(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
    return Number(v);
  }
  throw new ExpressionError(`asInt() not supported on ${typeName(v)} ${formatValue(v)}`);
}

/** Argo's asFloat: numbers as is; strings parsed like strconv.ParseFloat (incl. NaN, Inf). */
function asFloat(args: Value[]): Value {
  arity('asFloat', args, 1);
  const v = args[0] ?? null;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const t = v.trim() === v ? v : '';
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
    if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
    if (/^nan$/i.test(t)) return NaN;
    throw new ExpressionError(`strconv.ParseFloat: parsing ${JSON.stringify(v)}: invalid syntax`);
  }
  throw new ExpressionError(`asFloat() not supported on ${typeName(v)} ${formatValue(v)}`);
}

function len(args: Value[]): Value {
  arity('len', args, 1);
  const v = args[0] ?? null;
  if (typeof v === 'string') return [...v].length;
  if (Array.isArray(v)) return v.length;
  if (isMap(v)) return Object.keys(v).length;
  throw new ExpressionError(`invalid argument for len (type ${typeName(v)})`);
}

function sorted(name: string, args: Value[]): number[] {
  return numbers(name, args).sort((a, b) => a - b);
}

export const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  ['len', len],
  ['asInt', asInt],
  ['asFloat', asFloat],
  ['isNaN', (a) => { arity('isNaN', a, 1); return Number.isNaN(number('isNaN', a[0] ?? null)); }],
  ['isInf', (a) => { arity('isInf', a, 1, 2); const n = number('isInf', a[0] ?? null); return n === Infinity || n === -Infinity; }],
  ['abs', (a) => { arity('abs', a, 1); return Math.abs(number('abs', a[0] ?? null)); }],
  ['ceil', (a) => { arity('ceil', a, 1); return Math.ceil(number('ceil', a[0] ?? null)); }],
  ['floor', (a) => { arity('floor', a, 1); return Math.floor(number('floor', a[0] ?? null)); }],
  // Go's math.Round rounds half away from zero: round(-2.5) = -3 (JS Math.round gives -2).
  ['round', (a) => { arity('round', a, 1); const n = number('round', a[0] ?? null); return Math.sign(n) * Math.round(Math.abs(n)); }],
  ['min', (a) => Math.min(...numbers('min', a))],
  ['max', (a) => Math.max(...numbers('max', a))],
  ['sum', (a) => { arity('sum', a, 1); return array('sum', a[0] ?? null).reduce<number>((s, v) => s + number('sum', v), 0); }],
  ['mean', (a) => { const n = numbers('mean', a); return n.reduce((s, v) => s + v, 0) / n.length; }],
  ['median', (a) => {
    // median([1, 5, 2, 8]) sorts to [1, 2, 5, 8] and averages the middle pair: (2 + 5) / 2 = 3.5.
    const n = sorted('median', a);
    const mid = Math.floor(n.length / 2);
    return n.length % 2 === 1 ? n[mid]! : (n[mid - 1]! + n[mid]!) / 2;
  }],
  ['int', (a) => { arity('int', a, 1); return asInt(a); }],
  ['float', (a) => { arity('float', a, 1); return asFloat(a); }],
  ['string', (a) => { arity('string', a, 1); const v = a[0] ?? null; return typeof v === 'string' ? v : formatValue(v); }],
  ['lower', (a) => { arity('lower', a, 1); return string('lower', a[0] ?? null).toLowerCase(); }],
  ['upper', (a) => { arity('upper', a, 1); return string('upper', a[0] ?? null).toUpperCase(); }],
  ['trim', (a) => { arity('trim', a, 1); return string('trim', a[0] ?? null).trim(); }],
  ['first', (a) => { arity('first', a, 1); return array('first', a[0] ?? null)[0] ?? null; }],
  ['last', (a) => { arity('last', a, 1); const l = array('last', a[0] ?? null); return l[l.length - 1] ?? null; }],
  ['keys', (a) => { arity('keys', a, 1); const m = a[0] ?? null; if (!isMap(m)) throw new ExpressionError(`invalid argument for keys (type ${typeName(m)})`); return Object.keys(m); }],
  ['values', (a) => { arity('values', a, 1); const m = a[0] ?? null; if (!isMap(m)) throw new ExpressionError(`invalid argument for values (type ${typeName(m)})`); return Object.keys(m).map((k) => mapGet(m, k)); }],
]);
