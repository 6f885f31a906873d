// Tokenizer for the condition language (a safe subset of expr-lang, which Argo Rollouts evaluates
// successCondition/failureCondition with). Nothing here ever reaches eval or Function.
import { ExpressionError } from '../analysis-errors.js';

export type TokenKind = 'number' | 'string' | 'name' | 'operator' | 'bracket' | 'pointer' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Source text for names/operators/brackets; the decoded text for strings. */
  text: string;
  /** Numeric value for number tokens. */
  number?: number;
  /** 0-based offset of the token's first character. */
  pos: number;
}

// Longest first, so `**` wins over `*` and `?.` over `?`.
const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '**', '??', '?.', '<', '>', '!', '+', '-', '*', '/', '%', '^', '?', ':', '.', ','];
const BRACKETS = '()[]{}';

/** "(line:column)" of a 0-based offset, 1-based like expr-lang's error locations. */
export function location(source: string, pos: number): string {
  const before = source.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - (before.lastIndexOf('\n') + 1) + 1;
  return `(${line}:${column})`;
}

export function describeToken(token: Token): string {
  switch (token.kind) {
    case 'eof': return 'EOF';
    case 'string': return `String(${JSON.stringify(token.text)})`;
    case 'number': return `Number(${JSON.stringify(token.text)})`;
    case 'name': return `Identifier(${JSON.stringify(token.text)})`;
    case 'pointer': return `Pointer(${JSON.stringify(token.text)})`;
    case 'bracket': return `Bracket(${JSON.stringify(token.text)})`;
    case 'operator': return `Operator(${JSON.stringify(token.text)})`;
  }
}

function fail(source: string, message: string, pos: number): never {
  throw new ExpressionError(`${message} ${location(source, pos)}`, { position: pos });
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isNameStart = (c: string | undefined): boolean => c !== undefined && /[A-Za-z_$]/.test(c);
const isNamePart = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_$]/.test(c);

/** Split an expression into tokens; the last one is always `eof`. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === undefined) break;
    if (/\s/.test(c)) { i++; continue; }
    const start = i;
    const previous = tokens[tokens.length - 1];
    const afterValue = previous !== undefined && (previous.kind === 'name' || previous.kind === 'number' ||
      previous.kind === 'string' || previous.kind === 'pointer' || (previous.kind === 'bracket' && ')]}'.includes(previous.text)));
    if (isDigit(c) || (c === '.' && isDigit(source[i + 1]) && !afterValue)) {
      i = readNumber(source, i, tokens);
      continue;
    }
    if (c === '"' || c === "'") {
      i = readQuoted(source, i, tokens);
      continue;
    }
    if (c === '`') {
      const end = source.indexOf('`', i + 1);
      if (end < 0) fail(source, 'literal not terminated', start);
      tokens.push({ kind: 'string', text: source.slice(i + 1, end), pos: start });
      i = end + 1;
      continue;
    }
    if (c === '#') {
      i++;
      while (isNamePart(source[i])) i++;
      tokens.push({ kind: 'pointer', text: source.slice(start + 1, i), pos: start });
      continue;
    }
    if (isNameStart(c)) {
      while (isNamePart(source[i])) i++;
      tokens.push({ kind: 'name', text: source.slice(start, i), pos: start });
      continue;
    }
    if (BRACKETS.includes(c)) {
      tokens.push({ kind: 'bracket', text: c, pos: start });
      i++;
      continue;
    }
    // `a ? .5 : 1` is a conditional, not an optional member access.
    const op = OPERATORS.find((o) => source.startsWith(o, i) && !(o === '?.' && isDigit(source[i + 2])));
    if (op === undefined) fail(source, `unrecognized character: U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} '${c}'`, start);
    tokens.push({ kind: 'operator', text: op, pos: start });
    i += op.length;
  }
  tokens.push({ kind: 'eof', text: '', pos: source.length });
  return tokens;
}

function readNumber(source: string, i: number, tokens: Token[]): number {
  const start = i;
  const radix = /^0[xX]/.test(source.slice(i)) ? 16 : /^0[oO]/.test(source.slice(i)) ? 8 : /^0[bB]/.test(source.slice(i)) ? 2 : 10;
  if (radix !== 10) {
    i += 2;
    while (/[0-9a-fA-F_]/.test(source[i] ?? '')) i++;
    const digits = source.slice(start + 2, i).replaceAll('_', '');
    const value = parseInt(digits, radix);
    if (digits === '' || Number.isNaN(value) || !new RegExp(`^[${'0123456789abcdef'.slice(0, radix)}]+$`, 'i').test(digits)) {
      fail(source, `invalid number ${source.slice(start, i)}`, start);
    }
    tokens.push({ kind: 'number', text: source.slice(start, i), number: value, pos: start });
    return i;
  }
  while (isDigit(source[i]) || source[i] === '_') i++;
  // A fraction, but not the start of a member access like `1.foo` or a range `1..2`.
  if (source[i] === '.' && source[i + 1] !== '.' && !isNameStart(source[i + 1])) {
    i++;
    while (isDigit(source[i]) || source[i] === '_') i++;
  }
  if ((source[i] === 'e' || source[i] === 'E') && /^[eE][+-]?\d/.test(source.slice(i))) {
    i += source[i + 1] === '+' || source[i + 1] === '-' ? 2 : 1;
    while (isDigit(source[i])) i++;
  }
  const text = source.slice(start, i);
  const value = Number(text.replaceAll('_', ''));
  if (Number.isNaN(value)) fail(source, `invalid number ${text}`, start);
  tokens.push({ kind: 'number', text, number: value, pos: start });
  return i;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', a: '\x07', '\\': '\\', '"': '"', "'": "'", '0': '\0' };

function readQuoted(source: string, i: number, tokens: Token[]): number {
  const start = i;
  const quote = source[i];
  let text = '';
  i++;
  for (;;) {
    const c = source[i];
    if (c === undefined || c === '\n') fail(source, 'literal not terminated', start);
    if (c === quote) break;
    if (c === '\\') {
      const e = source[i + 1];
      if (e === 'u' || e === 'x') {
        const len = e === 'u' ? 4 : 2;
        const hex = source.slice(i + 2, i + 2 + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) fail(source, 'invalid char escape', i);
        text += String.fromCodePoint(parseInt(hex, 16));
        i += 2 + len;
        continue;
      }
      const decoded = e === undefined ? undefined : ESCAPES[e];
      if (decoded === undefined) fail(source, 'invalid char escape', i);
      text += decoded;
      i += 2;
      continue;
    }
    text += c;
    i++;
  }
  tokens.push({ kind: 'string', text, pos: start });
  return i + 1;
}
