// The subset of Kubernetes JSONPath (k8s.io/client-go/util/jsonpath) that web metrics use:
//
//   {$}  {.data.ok}  {$.data.ok}  {.items[0].value}  {.items[-1]}  {.items[*].value}
//   {.a['b-c']}  {..value}  {.items[?(@.name == "canary")].rate}
//
// Like Argo, the web provider keeps only the first value found: `{.items[*].value}` over
// [{value: 1}, {value: 2}] yields 1. A path without braces is read as if it had them.
import { MeasurementError } from '../analysis-errors.js';

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'recursive'; name: string }
  | { kind: 'filter'; path: string[]; op: string; literal: unknown };

/** Every value the path selects, in document order. */
export function findJsonPath(document: unknown, template: string): unknown[] {
  const expression = extractExpression(template);
  let current: unknown[] = [document];
  for (const step of parseSteps(expression)) current = current.flatMap((node) => apply(step, node));
  return current;
}

function extractExpression(template: string): string {
  const trimmed = template.trim();
  if (!trimmed.includes('{')) return trimmed;
  const match = /^\{(.*)\}$/s.exec(trimmed);
  if (match === null) throw new MeasurementError(`unsupported jsonPath ${JSON.stringify(template)}: text outside {...} is not supported`);
  return match[1]!.trim();
}

const FIELD = /^[^.[\]\s]+/;

function parseSteps(expression: string): Step[] {
  let rest = expression.startsWith('$') ? expression.slice(1) : expression;
  const steps: Step[] = [];
  const fail = (): never => { throw new MeasurementError(`unsupported jsonPath expression ${JSON.stringify(expression)} near ${JSON.stringify(rest)}`); };
  while (rest.length > 0) {
    if (rest.startsWith('..')) {
      const name = FIELD.exec(rest.slice(2))?.[0] ?? fail();
      steps.push({ kind: 'recursive', name });
      rest = rest.slice(2 + name.length);
    } else if (rest.startsWith('.')) {
      const name = FIELD.exec(rest.slice(1))?.[0];
      if (name === undefined) { rest = rest.slice(1); continue; } // `{.}` is the document itself
      steps.push(name === '*' ? { kind: 'wildcard' } : { kind: 'field', name });
      rest = rest.slice(1 + name.length);
    } else if (rest.startsWith('[')) {
      const end = rest.indexOf(']');
      if (end < 0) fail();
      const inner = rest.slice(1, end).trim();
      rest = rest.slice(end + 1);
      if (inner === '*') steps.push({ kind: 'wildcard' });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (/^'.*'$|^".*"$/.test(inner)) steps.push({ kind: 'field', name: inner.slice(1, -1) });
      else if (inner.startsWith('?(')) steps.push(parseFilter(inner) ?? fail());
      else fail();
    } else {
      fail();
    }
  }
  return steps;
}

/** `?(@.a.b == "x")`, `?(@.n > 3)`; the literal is a number, a quoted string, true, false or null. */
function parseFilter(inner: string): Step | undefined {
  const match = /^\?\(\s*@((?:\.[^.\s=!<>]+)*)\s*(==|!=|<=|>=|<|>)\s*(.+?)\s*\)$/.exec(inner);
  if (match === null) return undefined;
  const raw = match[3]!;
  let literal: unknown;
  if (/^'.*'$/.test(raw)) literal = raw.slice(1, -1);
  else {
    try { literal = JSON.parse(raw); } catch { return undefined; }
  }
  return { kind: 'filter', path: match[1]!.split('.').filter((s) => s !== ''), op: match[2]!, literal };
}

function children(node: unknown): unknown[] {
  if (Array.isArray(node)) return node;
  if (typeof node === 'object' && node !== null) return Object.values(node);
  return [];
}

function field(node: unknown, name: string): unknown[] {
  if (typeof node === 'object' && node !== null && !Array.isArray(node) && Object.hasOwn(node, name)) {
    return [(node as Record<string, unknown>)[name]];
  }
  return [];
}

function apply(step: Step, node: unknown): unknown[] {
  switch (step.kind) {
    case 'field': return field(node, step.name);
    case 'wildcard': return children(node);
    case 'index': {
      if (!Array.isArray(node)) return [];
      const at = step.index < 0 ? node.length + step.index : step.index;
      return at >= 0 && at < node.length ? [node[at]] : [];
    }
    case 'recursive': {
      const found: unknown[] = [];
      const walk = (n: unknown): void => {
        found.push(...field(n, step.name));
        children(n).forEach(walk);
      };
      walk(node);
      return found;
    }
    case 'filter':
      return children(node).filter((item) => {
        let value: unknown = item;
        for (const name of step.path) value = field(value, name)[0];
        return compare(value, step.op, step.literal);
      });
  }
}

function compare(value: unknown, op: string, literal: unknown): boolean {
  if (op === '==') return value === literal;
  if (op === '!=') return value !== literal;
  if (typeof value !== 'number' || typeof literal !== 'number') return false;
  return op === '<' ? value < literal : op === '<=' ? value <= literal : op === '>' ? value > literal : value >= literal;
}
