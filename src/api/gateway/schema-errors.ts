// The error texts a CRD's OpenAPI schema and CEL rules produce, so that a Gateway API object that
// upstream's apiserver rejects is rejected here with the same words, e.g.
//   spec.rules[0].backendRefs[0].weight: Invalid value: 2000000: spec.rules[0].backendRefs[0].weight in body should be less than or equal to 1000000
//   spec.rules[0].backendRefs[0]: Invalid value: "object": Must have port for Service reference
import { invalid, notSupported, required, tooLong, type FieldError } from '../field-error.js';
import { tooMany } from '../validation/go-value.js';

/** A CEL rule failed: upstream reports the schema type of the node as the "value". */
export function ruleError(field: string, schemaType: 'object' | 'array' | 'string', message: string): FieldError {
  return invalid(field, schemaType, message);
}

/** minimum / maximum of an integer field. */
export function checkRange(errs: FieldError[], field: string, value: unknown, min: number, max?: number): void {
  if (typeof value !== 'number') return;
  if (value < min) errs.push(invalid(field, value, `${field} in body should be greater than or equal to ${min}`));
  else if (max !== undefined && value > max) errs.push(invalid(field, value, `${field} in body should be less than or equal to ${max}`));
}

/** A string with minLength, maxLength and an optional pattern (given as upstream writes it). */
export function checkString(
  errs: FieldError[], field: string, value: unknown,
  rules: { readonly min?: number; readonly max?: number; readonly pattern?: string; readonly required?: boolean },
): void {
  if (value === undefined || value === null) {
    if (rules.required === true) errs.push(required(field));
    return;
  }
  if (typeof value !== 'string') return; // the field validator reports wrong JSON types
  if (rules.min !== undefined && value.length < rules.min)
    errs.push(invalid(field, value, `${field} in body should be at least ${rules.min} chars long`));
  if (rules.max !== undefined && value.length > rules.max) errs.push(tooLong(field, rules.max));
  if (rules.pattern !== undefined && value !== '' && !new RegExp(rules.pattern).test(value))
    errs.push(invalid(field, value, `${field} in body should match '${rules.pattern}'`));
}

/** An enum field. */
export function checkEnum(errs: FieldError[], field: string, value: unknown, allowed: readonly (string | number)[]): void {
  if (value === undefined || value === null) return;
  if (!allowed.includes(value as string | number)) notSupportedInto(errs, field, value, allowed);
}

function notSupportedInto(errs: FieldError[], field: string, value: unknown, allowed: readonly (string | number)[]): void {
  errs.push(notSupported(field, value, allowed.map(String)));
}

/** maxItems (and minItems) of an array field. */
export function checkItems(errs: FieldError[], field: string, value: unknown, max: number, min = 0): void {
  if (!Array.isArray(value)) return;
  if (value.length > max) errs.push(tooMany(field, value.length, max));
  if (value.length < min) errs.push(invalid(field, value.length, `${field} in body should have at least ${min} items`));
}

// Patterns from the standard-channel CRDs.
export const GROUP_PATTERN = '^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
export const KIND_PATTERN = '^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$';
export const NAMESPACE_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
export const SECTION_NAME_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
export const HOSTNAME_PATTERN = '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
export const PRECISE_HOSTNAME_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
export const HEADER_NAME_PATTERN = "^[A-Za-z0-9!#$%&'*+\\-.^_\\x60|~]+$";
export const CONTROLLER_NAME_PATTERN =
  "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\/[A-Za-z0-9\\/\\-._~%!$&'()*+,;=:]+$";
export const DURATION_PATTERN = '^([0-9]{1,5}(h|m|s|ms)){1,4}$';
