// Pratt parser for the condition language. Precedences follow expr-lang (Argo's evaluator), so
// a condition parses the same way here as in Argo Rollouts:
//
//   ?: (lowest)  or ||  10   and &&  15   == != < <= > >= in contains startsWith endsWith  20
//   + -  30   * / %  60   ** ^  100 (right-associative)   ??  500
//   unary: not ! 50, - + 90 (the operand takes every binary operator at least that tight)
//
// Worked example: `result[0] >= 0.95 && not isNaN(result[0])` parses as
// `((result[0]) >= 0.95) && (not (isNaN(result[0])))`, and `-2 ** 2` as `-(2 ** 2)` = -4.
import { ExpressionError } from '../analysis-errors.js';
import type { ExprNode } from './expr-ast.js';
import { describeToken, location, tokenize, type Token } from './expr-lexer.js';

interface BinaryOperator { precedence: number; right?: boolean }

const BINARY = new Map<string, BinaryOperator>(Object.entries({
  'or': { precedence: 10 }, '||': { precedence: 10 },
  'and': { precedence: 15 }, '&&': { precedence: 15 },
  '==': { precedence: 20 }, '!=': { precedence: 20 }, '<': { precedence: 20 }, '>': { precedence: 20 },
  '<=': { precedence: 20 }, '>=': { precedence: 20 }, 'in': { precedence: 20 }, 'contains': { precedence: 20 },
  'startsWith': { precedence: 20 }, 'endsWith': { precedence: 20 },
  '+': { precedence: 30 }, '-': { precedence: 30 },
  '*': { precedence: 60 }, '/': { precedence: 60 }, '%': { precedence: 60 },
  '**': { precedence: 100, right: true }, '^': { precedence: 100, right: true },
  '??': { precedence: 500 },
}));
const UNARY = new Map<string, number>([['not', 50], ['!', 50], ['-', 90], ['+', 90]]);
/** Builtins whose second argument is a predicate evaluated per element. */
export const PREDICATE_FUNCTIONS = new Set(['all', 'any', 'none', 'one', 'filter', 'map', 'count', 'find', 'findIndex']);
const UNSUPPORTED_WORDS = new Set(['matches', 'let']);

export function parseExpression(source: string): ExprNode {
  return new Parser(source).parseAll();
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;
  private closureDepth = 0;
  private readonly source: string;

  constructor(source: string) {
    this.source = source;
    this.tokens = tokenize(source);
  }

  parseAll(): ExprNode {
    if (this.current.kind === 'eof') this.fail('unexpected end of expression', this.current);
    const node = this.parseExpression(0);
    if (!this.is('eof')) this.unexpected();
    return node;
  }

  private get current(): Token {
    return this.tokens[this.index] ?? this.tokens[this.tokens.length - 1]!;
  }

  private next(): Token {
    const token = this.current;
    if (this.index < this.tokens.length - 1) this.index++;
    return token;
  }

  private is(kind: Token['kind'], text?: string): boolean {
    return this.current.kind === kind && (text === undefined || this.current.text === text);
  }

  private expect(kind: Token['kind'], text: string): Token {
    if (!this.is(kind, text)) this.unexpected();
    return this.next();
  }

  private fail(message: string, token: Token): never {
    throw new ExpressionError(`${message} ${location(this.source, token.pos)}`, { position: token.pos });
  }

  private unexpected(): never {
    if (this.current.kind === 'eof') this.fail('unexpected end of expression', this.current);
    this.fail(`unexpected token ${describeToken(this.current)}`, this.current);
  }

  /** The binary operator at the cursor (operators and word operators), if any. */
  private binaryAt(): { text: string; op: BinaryOperator; negated: boolean; width: number } | undefined {
    const token = this.current;
    if (token.kind === 'name' && token.text === 'not') {
      const after = this.tokens[this.index + 1];
      if (after?.kind === 'name' && ['in', 'contains', 'startsWith', 'endsWith'].includes(after.text)) {
        return { text: after.text, op: BINARY.get(after.text)!, negated: true, width: 2 };
      }
      return undefined;
    }
    if (token.kind !== 'operator' && token.kind !== 'name') return undefined;
    if (token.kind === 'name' && UNSUPPORTED_WORDS.has(token.text)) this.fail(`operator ${token.text} is not supported`, token);
    const op = BINARY.get(token.text);
    return op === undefined ? undefined : { text: token.text, op, negated: false, width: 1 };
  }

  private parseExpression(minPrecedence: number): ExprNode {
    let left = this.parsePrimary();
    for (;;) {
      const found = this.binaryAt();
      if (found === undefined || found.op.precedence < minPrecedence) break;
      const opToken = this.current;
      for (let k = 0; k < found.width; k++) this.next();
      const right = this.parseExpression(found.op.right ? found.op.precedence : found.op.precedence + 1);
      const text = found.text === 'and' ? '&&' : found.text === 'or' ? '||' : found.text === '^' ? '**' : found.text;
      left = { type: 'binary', op: text, left, right, pos: opToken.pos };
      if (found.negated) left = { type: 'unary', op: '!', operand: left, pos: opToken.pos };
    }
    if (minPrecedence === 0 && this.is('operator', '?')) {
      const q = this.next();
      const consequent = this.parseExpression(0);
      this.expect('operator', ':');
      const alternate = this.parseExpression(0);
      return { type: 'conditional', test: left, consequent, alternate, pos: q.pos };
    }
    return left;
  }

  private parsePrimary(): ExprNode {
    const token = this.current;
    const unary = (token.kind === 'operator' || token.kind === 'name') ? UNARY.get(token.text) : undefined;
    if (unary !== undefined) {
      this.next();
      const operand = this.parseExpression(unary);
      const op = token.text === 'not' ? '!' : token.text;
      return this.parsePostfix({ type: 'unary', op, operand, pos: token.pos });
    }
    if (this.is('bracket', '(')) {
      this.next();
      const inner = this.parseExpression(0);
      this.expect('bracket', ')');
      return this.parsePostfix(inner);
    }
    return this.parsePostfix(this.parseOperand());
  }

  private parseOperand(): ExprNode {
    const token = this.next();
    switch (token.kind) {
      case 'number': return { type: 'literal', value: token.number ?? 0, pos: token.pos };
      case 'string': return { type: 'literal', value: token.text, pos: token.pos };
      case 'pointer':
        if (this.closureDepth === 0) this.fail('cannot use pointer accessor outside predicate', token);
        if (!['', 'index', 'acc'].includes(token.text)) this.fail(`unknown pointer #${token.text}`, token);
        return { type: 'pointer', name: token.text, pos: token.pos };
      case 'name':
        if (token.text === 'true' || token.text === 'false') return { type: 'literal', value: token.text === 'true', pos: token.pos };
        if (token.text === 'nil' || token.text === 'null') return { type: 'literal', value: null, pos: token.pos };
        if (this.is('bracket', '(')) return this.parseCall(token);
        return { type: 'name', name: token.text, pos: token.pos };
      case 'bracket':
        if (token.text === '[') return this.parseArray(token);
        if (token.text === '{') return this.parseMap(token);
        break;
      case 'operator':
        // `.field` inside a predicate is short for `#.field`.
        if (token.text === '.' && this.closureDepth > 0 && this.is('name')) {
          const name = this.next();
          return { type: 'member', object: { type: 'pointer', name: '', pos: token.pos }, property: { type: 'literal', value: name.text, pos: name.pos }, optional: false, pos: token.pos };
        }
        break;
      case 'eof':
        this.fail('unexpected end of expression', token);
    }
    this.index--;
    this.unexpected();
  }

  private parseArray(open: Token): ExprNode {
    const elements: ExprNode[] = [];
    while (!this.is('bracket', ']')) {
      if (elements.length > 0) {
        this.expect('operator', ',');
        if (this.is('bracket', ']')) break; // trailing comma
      }
      elements.push(this.parseExpression(0));
    }
    this.next();
    return { type: 'array', elements, pos: open.pos };
  }

  /** `{a: 1, "b": 2}`; keys are names, strings or numbers. */
  private parseMap(open: Token): ExprNode {
    const entries: [string, ExprNode][] = [];
    while (!this.is('bracket', '}')) {
      if (entries.length > 0) {
        this.expect('operator', ',');
        if (this.is('bracket', '}')) break;
      }
      const key = this.current;
      if (key.kind !== 'name' && key.kind !== 'string' && key.kind !== 'number') this.unexpected();
      this.next();
      this.expect('operator', ':');
      entries.push([key.kind === 'number' ? String(key.number) : key.text, this.parseExpression(0)]);
    }
    this.next();
    return { type: 'map', entries, pos: open.pos };
  }

  private parseCall(name: Token): ExprNode {
    this.expect('bracket', '(');
    const args: ExprNode[] = [];
    while (!this.is('bracket', ')')) {
      if (args.length > 0) this.expect('operator', ',');
      if (args.length === 1 && PREDICATE_FUNCTIONS.has(name.text)) args.push(this.parseClosure());
      else args.push(this.parseExpression(0));
    }
    this.next();
    return { type: 'call', callee: name.text, args, pos: name.pos };
  }

  /** `{# > 1}` or, as newer expr-lang allows, a bare `# > 1`. */
  private parseClosure(): ExprNode {
    const start = this.current;
    const braced = this.is('bracket', '{');
    if (braced) this.next();
    this.closureDepth++;
    const body = this.parseExpression(0);
    this.closureDepth--;
    if (braced) this.expect('bracket', '}');
    return { type: 'closure', body, pos: start.pos };
  }

  private parsePostfix(node: ExprNode): ExprNode {
    for (;;) {
      if (this.is('operator', '.') || this.is('operator', '?.')) {
        const dot = this.next();
        const optional = dot.text === '?.';
        if (optional && this.is('bracket', '[')) {
          this.next();
          node = { type: 'member', object: node, property: this.parseExpression(0), optional, pos: dot.pos };
          this.expect('bracket', ']');
          continue;
        }
        const name = this.current;
        if (name.kind !== 'name') this.unexpected();
        this.next();
        if (this.is('bracket', '(')) this.fail(`method calls are not supported (${name.text})`, name);
        node = { type: 'member', object: node, property: { type: 'literal', value: name.text, pos: name.pos }, optional, pos: dot.pos };
      } else if (this.is('bracket', '[')) {
        const open = this.next();
        if (this.is('operator', ':')) this.fail('slices are not supported', this.current);
        const property = this.parseExpression(0);
        if (this.is('operator', ':')) this.fail('slices are not supported', this.current);
        this.expect('bracket', ']');
        node = { type: 'member', object: node, property, optional: false, pos: open.pos };
      } else {
        return node;
      }
    }
  }
}
