// A compiled condition: parse once, check names, evaluate against an environment (`result`).
// Safe by construction: the tree is interpreted node by node; member access only reads own
// properties of JSON values; there is no eval, no Function, no access to JS globals.
import { ExpressionError } from '../analysis-errors.js';
import type { ExprNode } from './expr-ast.js';
import { BUILTINS } from './expr-builtins.js';
import { location } from './expr-lexer.js';
import { parseExpression, PREDICATE_FUNCTIONS } from './expr-parser.js';
import { deepEqual, formatValue, isMap, mapGet, toValue, typeName, type Value } from './expr-values.js';

const LAZY_FUNCTIONS = new Set(['default', 'isNil']);

/** The current element, index and accumulator inside a predicate. */
interface Frame { element: Value; index: number }

export interface CompiledExpression {
  readonly source: string;
  evaluate(env: Readonly<Record<string, unknown>>): Value;
}

/**
 * Parse `source` and check that it only names variables in `names` (default: `result`) and known
 * functions, so a typo fails when the metric is first evaluated even if that branch never runs.
 */
export function compileExpression(source: string, names: readonly string[] = ['result']): CompiledExpression {
  const root = parseExpression(source);
  checkNames(source, root, new Set(names));
  return {
    source,
    evaluate(env) {
      const values = new Map<string, Value>();
      for (const name of names) values.set(name, toValue(env[name]));
      return new Evaluator(source, values).eval(root, []);
    },
  };
}

/** Evaluate a condition that must produce a boolean (Argo: "expected bool, but got ..."). */
export function evaluateCondition(source: string, result: unknown): boolean {
  const value = compileExpression(source).evaluate({ result });
  if (typeof value !== 'boolean') throw new ExpressionError(`expected bool, but got ${typeName(value)}`);
  return value;
}

function checkNames(source: string, node: ExprNode, names: ReadonlySet<string>): void {
  const fail = (message: string): never => {
    throw new ExpressionError(`${message} ${location(source, node.pos)}`, { position: node.pos });
  };
  switch (node.type) {
    case 'name':
      if (!names.has(node.name)) fail(`unknown name ${node.name}`);
      return;
    case 'call':
      if (!BUILTINS.has(node.callee) && !PREDICATE_FUNCTIONS.has(node.callee) && !LAZY_FUNCTIONS.has(node.callee)) fail(`unknown func ${node.callee}`);
      if (PREDICATE_FUNCTIONS.has(node.callee) && node.args.length !== 2) fail(`${node.callee} expects 2 arguments (array and predicate)`);
      if (LAZY_FUNCTIONS.has(node.callee) && node.args.length !== (node.callee === 'default' ? 2 : 1)) fail(`wrong number of arguments to call ${node.callee}`);
      node.args.forEach((a) => checkNames(source, a, names));
      return;
    case 'member': checkNames(source, node.object, names); checkNames(source, node.property, names); return;
    case 'unary': checkNames(source, node.operand, names); return;
    case 'binary': checkNames(source, node.left, names); checkNames(source, node.right, names); return;
    case 'conditional': [node.test, node.consequent, node.alternate].forEach((n) => checkNames(source, n, names)); return;
    case 'closure': checkNames(source, node.body, names); return;
    case 'array': node.elements.forEach((e) => checkNames(source, e, names)); return;
    case 'map': node.entries.forEach(([, e]) => checkNames(source, e, names)); return;
    case 'literal': case 'pointer': return;
  }
}

class Evaluator {
  private readonly source: string;
  private readonly values: ReadonlyMap<string, Value>;

  constructor(source: string, values: ReadonlyMap<string, Value>) {
    this.source = source;
    this.values = values;
  }

  private fail(message: string, node: ExprNode): never {
    throw new ExpressionError(`${message} ${location(this.source, node.pos)}`, { position: node.pos });
  }

  eval(node: ExprNode, frames: readonly Frame[]): Value {
    switch (node.type) {
      case 'literal': return node.value;
      case 'name': return this.values.get(node.name) ?? null;
      case 'array': return node.elements.map((e) => this.eval(e, frames));
      case 'map': {
        const out: { [key: string]: Value } = {};
        for (const [key, e] of node.entries) Object.defineProperty(out, key, { value: this.eval(e, frames), enumerable: true, writable: true, configurable: true });
        return out;
      }
      case 'pointer': {
        const frame = frames[frames.length - 1];
        if (frame === undefined) this.fail('cannot use pointer accessor outside predicate', node);
        return node.name === 'index' ? frame.index : frame.element;
      }
      case 'closure': return this.fail('a predicate can only be an argument of all, any, filter...', node);
      case 'member': return this.member(node, frames);
      case 'unary': return this.unary(node.op, this.eval(node.operand, frames), node);
      case 'binary': return this.binary(node, frames);
      case 'conditional': {
        const test = this.eval(node.test, frames);
        if (typeof test !== 'boolean') this.fail(`non-bool expression (type ${typeName(test)}) used as condition`, node);
        return this.eval(test ? node.consequent : node.alternate, frames);
      }
      case 'call': return this.call(node, frames);
    }
  }

  private member(node: Extract<ExprNode, { type: 'member' }>, frames: readonly Frame[]): Value {
    const object = this.eval(node.object, frames);
    const key = this.eval(node.property, frames);
    if (object === null) {
      if (node.optional) return null;
      this.fail(`cannot fetch ${formatValue(key)} from nil`, node);
    }
    if (isMap(object)) {
      if (typeof key !== 'string') this.fail(`cannot use ${typeName(key)} as map key`, node);
      return mapGet(object, key);
    }
    if (Array.isArray(object) || typeof object === 'string') {
      if (typeof key !== 'number' || !Number.isInteger(key)) this.fail(`cannot use ${formatValue(key)} as index to ${typeName(object)}`, node);
      // Like expr-lang, a negative index counts from the end: result[-1] is the last element.
      const length = Array.isArray(object) ? object.length : [...object].length;
      const at = key < 0 ? length + key : key;
      if (at < 0 || at >= length) this.fail(`index out of range: ${key} (array length is ${length})`, node);
      return Array.isArray(object) ? (object[at] ?? null) : ([...object][at] ?? null);
    }
    return this.fail(`cannot fetch ${formatValue(key)} from ${typeName(object)}`, node);
  }

  private unary(op: string, value: Value, node: ExprNode): Value {
    if (op === '!') {
      if (typeof value !== 'boolean') this.fail(`invalid operation: ! (mismatched type ${typeName(value)})`, node);
      return !value;
    }
    if (typeof value !== 'number') this.fail(`invalid operation: ${op} (mismatched type ${typeName(value)})`, node);
    return op === '-' ? -value : value;
  }

  private binary(node: Extract<ExprNode, { type: 'binary' }>, frames: readonly Frame[]): Value {
    const { op } = node;
    const left = this.eval(node.left, frames);
    if (op === '&&' || op === '||') {
      if (typeof left !== 'boolean') this.fail(`invalid operation: ${op} (mismatched types ${typeName(left)} and bool)`, node);
      // Short-circuit, so `len(result) > 0 && result[0] > 1` never indexes an empty array.
      if (op === '&&' ? !left : left) return left;
      const right = this.eval(node.right, frames);
      if (typeof right !== 'boolean') this.fail(`invalid operation: ${op} (mismatched types bool and ${typeName(right)})`, node);
      return right;
    }
    if (op === '??') return left ?? this.eval(node.right, frames);
    const right = this.eval(node.right, frames);
    const mismatch = (): never => this.fail(`invalid operation: ${op} (mismatched types ${typeName(left)} and ${typeName(right)})`, node);
    switch (op) {
      case '==': return deepEqual(left, right);
      case '!=': return !deepEqual(left, right);
      case '<': case '<=': case '>': case '>=': {
        if (!((typeof left === 'number' && typeof right === 'number') || (typeof left === 'string' && typeof right === 'string'))) mismatch();
        const l = left as number | string;
        const r = right as number | string;
        return op === '<' ? l < r : op === '<=' ? l <= r : op === '>' ? l > r : l >= r;
      }
      case '+':
        if (typeof left === 'number' && typeof right === 'number') return left + right;
        if (typeof left === 'string' && typeof right === 'string') return left + right;
        if (Array.isArray(left) && Array.isArray(right)) return [...left, ...right];
        return mismatch();
      case '-': case '*': case '/': case '**': {
        if (typeof left !== 'number' || typeof right !== 'number') return mismatch();
        // Division is always float division, as in expr-lang: 5 / 2 = 2.5 and 1 / 0 = +Inf.
        return op === '-' ? left - right : op === '*' ? left * right : op === '/' ? left / right : left ** right;
      }
      case '%': {
        if (typeof left !== 'number' || typeof right !== 'number' || !Number.isInteger(left) || !Number.isInteger(right)) return mismatch();
        if (right === 0) this.fail('integer divide by zero', node);
        return left % right;
      }
      case 'in':
        if (Array.isArray(right)) return right.some((v) => deepEqual(v, left));
        if (isMap(right)) {
          if (typeof left !== 'string') return mismatch();
          return Object.hasOwn(right, left);
        }
        return mismatch();
      case 'contains': case 'startsWith': case 'endsWith': {
        if (typeof left !== 'string' || typeof right !== 'string') return mismatch();
        return op === 'contains' ? left.includes(right) : op === 'startsWith' ? left.startsWith(right) : left.endsWith(right);
      }
    }
    return this.fail(`unknown operator ${op}`, node);
  }

  private call(node: Extract<ExprNode, { type: 'call' }>, frames: readonly Frame[]): Value {
    const { callee, args } = node;
    if (callee === 'default') {
      // default(x, d): d when x is nil, or when x cannot even be evaluated (result[0] of an empty
      // vector, result.a.b with no a). Argo's own default() only looks at `result` as a whole, so
      // default(result, d) behaves identically; default(result[0], d) is more useful here.
      let value: Value;
      try {
        value = this.eval(args[0]!, frames);
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        value = null;
      }
      return value ?? this.eval(args[1]!, frames);
    }
    if (callee === 'isNil') return this.eval(args[0]!, frames) === null;
    if (PREDICATE_FUNCTIONS.has(callee)) return this.predicate(node, frames);
    const builtin = BUILTINS.get(callee);
    if (builtin === undefined) this.fail(`unknown func ${callee}`, node);
    const values = args.map((a) => this.eval(a, frames));
    try {
      return builtin(values);
    } catch (error) {
      if (error instanceof ExpressionError && error.position === undefined) this.fail(error.message, node);
      throw error;
    }
  }

  private predicate(node: Extract<ExprNode, { type: 'call' }>, frames: readonly Frame[]): Value {
    const list = this.eval(node.args[0]!, frames);
    if (!Array.isArray(list)) this.fail(`cannot iterate ${typeName(list)} in ${node.callee}`, node);
    const closure = node.args[1]!;
    const body = closure.type === 'closure' ? closure.body : closure;
    const run = (element: Value, index: number): Value => this.eval(body, [...frames, { element, index }]);
    const test = (element: Value, index: number): boolean => {
      const v = run(element, index);
      if (typeof v !== 'boolean') this.fail(`predicate should return boolean (got ${typeName(v)})`, closure);
      return v;
    };
    switch (node.callee) {
      case 'all': return list.every(test);
      case 'any': return list.some(test);
      case 'none': return !list.some(test);
      case 'one': return list.filter(test).length === 1;
      case 'filter': return list.filter(test);
      case 'map': return list.map(run);
      case 'count': return list.filter(test).length;
      case 'find': return list.find(test) ?? null;
      case 'findIndex': return list.findIndex(test);
    }
    return this.fail(`unknown func ${node.callee}`, node);
  }
}
