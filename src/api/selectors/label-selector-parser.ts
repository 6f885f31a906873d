// The label selector string grammar (`app=web,tier in (a,b),!canary`), lexed and parsed the way
// upstream's apimachinery labels parser does, so that the same inputs are accepted, the same
// values come out (sets: sorted, de-duplicated), and errors carry the same words.
//
//   selector    ::= requirement ( "," requirement )*
//   requirement ::= [ "!" ] KEY [ ( "in" | "notin" ) "(" values ")" | ( "=" | "==" | "!=" | ">" | "<" ) VALUE ]
import { BadRequestError } from '../../lib/errors.js';
import {
  OPERATOR_TOKENS,
  aggregateMessage,
  keyFieldErrors,
  requirementErrors,
  type LabelOperator,
  type LabelRequirement,
} from './label-requirement.js';

type TokenKind =
  | 'error'
  | 'end'
  | 'closePar'
  | 'comma'
  | 'not'
  | 'doubleEquals'
  | 'equals'
  | 'greaterThan'
  | 'identifier'
  | 'in'
  | 'lessThan'
  | 'notEquals'
  | 'notIn'
  | 'openPar';

interface Token {
  readonly kind: TokenKind;
  readonly literal: string;
}

const LITERAL_TOKENS: ReadonlyMap<string, TokenKind> = new Map<string, TokenKind>([
  [')', 'closePar'],
  [',', 'comma'],
  ['!', 'not'],
  ['==', 'doubleEquals'],
  ['=', 'equals'],
  ['>', 'greaterThan'],
  ['in', 'in'],
  ['<', 'lessThan'],
  ['!=', 'notEquals'],
  ['notin', 'notIn'],
  ['(', 'openPar'],
]);

const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecial = (ch: string): boolean => '=!(),><'.includes(ch);

function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  for (;;) {
    while (pos < text.length && isWhitespace(text.charAt(pos))) pos++;
    if (pos >= text.length) {
      tokens.push({ kind: 'end', literal: '' });
      return tokens;
    }
    if (isSpecial(text.charAt(pos))) {
      // Longest run of symbols that still forms a token: `!=` wins over `!`, but `=(` is `=` then `(`.
      let buffer = '';
      let last: Token | undefined;
      while (pos < text.length && isSpecial(text.charAt(pos))) {
        const candidate = buffer + text.charAt(pos);
        const kind = LITERAL_TOKENS.get(candidate);
        if (kind) last = { kind, literal: candidate };
        else if (last) break;
        buffer = candidate;
        pos++;
      }
      tokens.push(last ?? { kind: 'error', literal: `error expected: keyword found '${buffer}'` });
      continue;
    }
    const start = pos;
    while (pos < text.length && !isSpecial(text.charAt(pos)) && !isWhitespace(text.charAt(pos))) pos++;
    const word = text.slice(start, pos);
    tokens.push({ kind: LITERAL_TOKENS.get(word) ?? 'identifier', literal: word });
  }
}

class ParseFailure extends Error {}

const fail = (message: string): never => {
  throw new ParseFailure(message);
};

const BINARY_OPERATORS = (['In', 'NotIn', 'Equals', 'DoubleEquals', 'NotEquals', 'GreaterThan', 'LessThan'] as const)
  .map((op) => OPERATOR_TOKENS[op])
  .join(', ');

class Parser {
  private position = 0;
  private readonly tokens: readonly Token[];

  constructor(tokens: readonly Token[]) {
    this.tokens = tokens;
  }

  /** In value position `in`/`notin` are plain words (`x in (in)` is legal). */
  private peek(asValue = true): Token {
    const token = this.tokens[this.position] ?? { kind: 'end', literal: '' };
    return asValue && (token.kind === 'in' || token.kind === 'notIn') ? { kind: 'identifier', literal: token.literal } : token;
  }

  private next(asValue = true): Token {
    const token = this.peek(asValue);
    this.position++;
    return token;
  }

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const token = this.peek();
      if (token.kind === 'end') return requirements;
      if (token.kind !== 'identifier' && token.kind !== 'not') {
        return fail(`found '${token.literal}', expected: !, identifier, or 'end of string'`);
      }
      try {
        requirements.push(this.requirement());
      } catch (error) {
        if (error instanceof ParseFailure) return fail(`unable to parse requirement: ${error.message}`);
        throw error;
      }
      const after = this.next();
      if (after.kind === 'end') return requirements;
      if (after.kind !== 'comma') return fail(`found '${after.literal}', expected: ',' or 'end of string'`);
      const following = this.peek();
      if (following.kind !== 'identifier' && following.kind !== 'not') {
        return fail(`found '${following.literal}', expected: identifier after ','`);
      }
    }
  }

  private requirement(): LabelRequirement {
    let token = this.next();
    let negated = false;
    if (token.kind === 'not') {
      negated = true;
      token = this.next();
    }
    if (token.kind !== 'identifier') return fail(`found '${token.literal}', expected: identifier`);
    const key = token.literal;
    const keyErrors = keyFieldErrors(key, '<nil>');
    if (keyErrors.length) return fail(aggregateMessage(keyErrors));
    const lookahead = this.peek().kind;
    if (negated || lookahead === 'end' || lookahead === 'comma') {
      // `!key` is complete by itself; a following operator is then reported by the caller.
      return this.build(key, negated ? 'DoesNotExist' : 'Exists', []);
    }
    const operator = this.operator();
    const values = operator === 'In' || operator === 'NotIn' ? this.valueSet() : this.exactValue();
    return this.build(key, operator, [...new Set(values)].sort());
  }

  private build(key: string, operator: LabelOperator, values: string[]): LabelRequirement {
    const errors = requirementErrors(key, operator, values);
    if (errors.length) return fail(aggregateMessage(errors));
    return { key, operator, values };
  }

  private operator(): LabelOperator {
    const token = this.next(false);
    switch (token.kind) {
      case 'in':
        return 'In';
      case 'equals':
        return 'Equals';
      case 'doubleEquals':
        return 'DoubleEquals';
      case 'greaterThan':
        return 'GreaterThan';
      case 'lessThan':
        return 'LessThan';
      case 'notIn':
        return 'NotIn';
      case 'notEquals':
        return 'NotEquals';
      default:
        return fail(`found '${token.literal}', expected: ${BINARY_OPERATORS}`);
    }
  }

  private valueSet(): string[] {
    const open = this.next();
    if (open.kind !== 'openPar') return fail(`found '${open.literal}' expected: '('`);
    const first = this.peek();
    if (first.kind === 'closePar') {
      this.next();
      return [''];
    }
    if (first.kind !== 'identifier' && first.kind !== 'comma') {
      return fail(`found '${first.literal}', expected: ',', ')' or identifier`);
    }
    const values = this.identifierList();
    if (this.next().kind !== 'closePar') return fail(`found '${first.literal}', expected: ')'`);
    return values;
  }

  /** Comma-separated, possibly empty identifiers: `(a,,b)` and `(,a)` include ''. */
  private identifierList(): string[] {
    const values: string[] = [];
    for (;;) {
      const token = this.next();
      if (token.kind === 'identifier') {
        values.push(token.literal);
        const following = this.peek();
        if (following.kind === 'comma') continue;
        if (following.kind === 'closePar') return values;
        return fail(`found '${following.literal}', expected: ',' or ')'`);
      }
      if (token.kind === 'comma') {
        if (values.length === 0) values.push('');
        const following = this.peek().kind;
        if (following === 'closePar') {
          values.push('');
          return values;
        }
        if (following === 'comma') values.push('');
        continue;
      }
      return fail(`found '${token.literal}', expected: ',', or identifier`);
    }
  }

  private exactValue(): string[] {
    const lookahead = this.peek().kind;
    if (lookahead === 'end' || lookahead === 'comma') return [''];
    const token = this.next();
    if (token.kind === 'identifier') return [token.literal];
    return fail(`found '${token.literal}', expected: identifier`);
  }
}

/** Parses a selector string into requirements sorted by key; throws BadRequestError. */
export function parseLabelRequirements(text: string): LabelRequirement[] {
  try {
    const requirements = new Parser(lex(text)).parse();
    return requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  } catch (error) {
    if (error instanceof ParseFailure) throw new BadRequestError(error.message, { cause: error });
    throw error;
  }
}
