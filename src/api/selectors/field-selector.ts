// Field selectors (`?fieldSelector=spec.nodeName=n1,status.phase!=Failed`): terms of `=`, `==` or
// `!=` joined by commas, values escaped with `\,` `\=` `\\`. Parsed like upstream's apimachinery
// fields.ParseSelector (terms sorted, same error texts). Which paths exist is each kind's business:
// the registry checks `fieldSelectorPaths()` against what it supports and rejects the rest.
import { BadRequestError } from '../../lib/errors.js';

export type FieldOperator = 'Equals' | 'NotEquals';

export interface FieldRequirement {
  readonly field: string;
  readonly operator: FieldOperator;
  /** Unescaped. */
  readonly value: string;
}

export interface FieldSelector {
  /** ANDed, in upstream's order (terms sorted as written). Empty selects everything. */
  readonly requirements: readonly FieldRequirement[];
}

/** Splits on commas that are not escaped, keeping escapes in the terms. */
function splitTerms(text: string): string[] {
  if (text === '') return [];
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (escaped) escaped = false;
    else if (ch === '\\') escaped = true;
    else if (ch === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

/** Finds the first operator (`!=` before `==` before `=` at each position). */
function splitTerm(term: string): { field: string; operator: string; value: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const operator of ['!=', '==', '=']) {
      if (term.startsWith(operator, i)) return { field: term.slice(0, i), operator, value: term.slice(i + operator.length) };
    }
  }
  return undefined;
}

function unescapeValue(value: string): string {
  let out = '';
  let escaped = false;
  for (const ch of value) {
    if (escaped) {
      if (ch !== '\\' && ch !== ',' && ch !== '=') {
        throw new BadRequestError(`invalid field selector: invalid escape sequence: \\${ch}`);
      }
      out += ch;
      escaped = false;
    } else if (ch === '\\') {
      escaped = true;
    } else if (ch === ',' || ch === '=') {
      // Go prints the rune with %v, i.e. as its number.
      throw new BadRequestError(`invalid field selector: unescaped character in value: ${ch.codePointAt(0) ?? 0}`);
    } else {
      out += ch;
    }
  }
  if (escaped) throw new BadRequestError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** Parses a field selector; '' selects everything. Throws BadRequestError with upstream's text. */
export function parseFieldSelector(text: string): FieldSelector {
  const requirements: FieldRequirement[] = [];
  for (const term of splitTerms(text).sort()) {
    if (term === '') continue;
    const parts = splitTerm(term);
    if (!parts) throw new BadRequestError(`invalid selector: '${text}'; can't understand '${term}'`);
    requirements.push({
      field: parts.field,
      operator: parts.operator === '!=' ? 'NotEquals' : 'Equals',
      value: unescapeValue(parts.value),
    });
  }
  return { requirements };
}

/** Every field path the selector mentions, de-duplicated, in order. */
export function fieldSelectorPaths(selector: FieldSelector): string[] {
  return [...new Set(selector.requirements.map((r) => r.field))];
}

/** `getField` returns a field's value as a string; undefined counts as '' (upstream's Set.Get). */
export function matchesFields(selector: FieldSelector, getField: (path: string) => string | undefined): boolean {
  return selector.requirements.every((r) => {
    const actual = getField(r.field) ?? '';
    return r.operator === 'Equals' ? actual === r.value : actual !== r.value;
  });
}

/** The single value a selector demands for a field (`spec.nodeName=n1`), for index lookups. */
export function fieldSelectorRequiresExactMatch(selector: FieldSelector, field: string): string | undefined {
  return selector.requirements.find((r) => r.field === field && r.operator === 'Equals')?.value;
}

function escapeValue(value: string): string {
  return value.replace(/[\\,=]/g, (ch) => `\\${ch}`);
}

/** Upstream's String(): `field=value` / `field!=value` joined by ','. */
export function fieldSelectorToString(selector: FieldSelector): string {
  return selector.requirements.map((r) => `${r.field}${r.operator === 'Equals' ? '=' : '!='}${escapeValue(r.value)}`).join(',');
}
