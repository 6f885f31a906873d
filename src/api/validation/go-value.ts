// Upstream prints a bad value that is neither a string nor a number with Go's `%#v`, e.g.
//   spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`
// These helpers render the few composite values our validators report the same way, and build
// the field errors field-error.ts has no constructor for.
import type { FieldError } from '../field-error.js';
import { isRecord, recordsOf, stringMapOf, stringOf } from './json-access.js';

/** Go's %q is close enough to JSON string quoting for the text we print. */
function goQuote(value: string): string {
  return JSON.stringify(value);
}

/** `map[string]string{"a":"1", "b":"2"}` (keys sorted, like Go), or `map[string]string(nil)`. */
export function goStringMap(map: Record<string, string> | undefined): string {
  if (map === undefined) return 'map[string]string(nil)';
  const entries = Object.keys(map)
    .sort()
    .map((key) => `${goQuote(key)}:${goQuote(map[key] ?? '')}`);
  return `map[string]string{${entries.join(', ')}}`;
}

/** `[]string{"a", "b"}` or `[]string(nil)`. */
export function goStringSlice(values: readonly string[] | undefined): string {
  if (values === undefined) return '[]string(nil)';
  return `[]string{${values.map(goQuote).join(', ')}}`;
}

/** An IntOrString as Go prints the struct: `intstr.IntOrString{Type:1, IntVal:0, StrVal:"25%"}`. */
export function goIntOrString(value: unknown): string {
  if (typeof value === 'string') return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(value)}}`;
  const int = typeof value === 'number' ? value : 0;
  return `intstr.IntOrString{Type:0, IntVal:${int}, StrVal:""}`;
}

/** A metav1.LabelSelector as `%#v` prints it (after Go dereferences the pointer). */
export function goLabelSelector(selector: unknown): string {
  if (!isRecord(selector)) return 'null';
  const matchLabels = goStringMap(stringMapOf(selector.matchLabels));
  const expressions = Array.isArray(selector.matchExpressions)
    ? `[]v1.LabelSelectorRequirement{${recordsOf(selector.matchExpressions)
        .map((req) => {
          const values = Array.isArray(req.values) ? req.values.map(stringOf) : undefined;
          return `v1.LabelSelectorRequirement{Key:${goQuote(stringOf(req.key))}, Operator:${goQuote(stringOf(req.operator))}, Values:${goStringSlice(values)}}`;
        })
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${matchLabels}, MatchExpressions:${expressions}}`;
}

/** `Invalid value: <repr>: detail` where repr is already rendered (not re-quoted); no detail, no colon. */
export function invalidRendered(field: string, rendered: string, detail: string): FieldError {
  return { reason: 'FieldValueInvalid', field, message: detail === '' ? `Invalid value: ${rendered}` : `Invalid value: ${rendered}: ${detail}` };
}

/** Upstream's field.NotFound: `Not found: "v"`. */
export function notFound(field: string, value: string): FieldError {
  return { reason: 'FieldValueNotFound', field, message: `Not found: ${goQuote(value)}` };
}

/** Upstream's field.TooMany: `Too many: 3: must have at most 2 items`. */
export function tooMany(field: string, actual: number, max: number): FieldError {
  return { reason: 'FieldValueTooMany', field, message: `Too many: ${actual}: must have at most ${max} items` };
}
