// Field-level validation errors, shaped and worded like upstream's `field.Error` so that kubectl
// prints exactly what users know:
//   The Deployment "web" is invalid: * spec.replicas: Invalid value: -1: must be greater than or equal to 0
// `reason` is the Status cause reason (FieldValueInvalid, ...); `message` is the text after "<field>: ".

export type FieldErrorReason =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueDuplicate'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueTypeInvalid'
  | 'FieldValueNotFound';

export interface FieldError {
  readonly reason: FieldErrorReason;
  /** JSON-path-like location: `spec.template.spec.containers[0].image`, `metadata.labels`. */
  readonly field: string;
  /** Upstream's error body, e.g. `Required value`, `Invalid value: "Foo": a lowercase RFC 1123 ...`. */
  readonly message: string;
}

/** Upstream prints strings quoted, numbers and booleans bare, other values as JSON. */
function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null || value === undefined) return 'null';
  return JSON.stringify(value);
}

function withDetail(head: string, detail: string | undefined): string {
  return detail ? `${head}: ${detail}` : head;
}

export function required(field: string, detail?: string): FieldError {
  return { reason: 'FieldValueRequired', field, message: withDetail('Required value', detail) };
}

export function invalid(field: string, value: unknown, detail?: string): FieldError {
  return { reason: 'FieldValueInvalid', field, message: withDetail(`Invalid value: ${formatValue(value)}`, detail) };
}

export function notSupported(field: string, value: unknown, supported: readonly string[]): FieldError {
  const list = supported.map((s) => JSON.stringify(s)).join(', ');
  return {
    reason: 'FieldValueNotSupported',
    field,
    message: `Unsupported value: ${formatValue(value)}${supported.length ? `: supported values: ${list}` : ''}`,
  };
}

export function forbidden(field: string, detail: string): FieldError {
  return { reason: 'FieldValueForbidden', field, message: withDetail('Forbidden', detail) };
}

export function duplicate(field: string, value: unknown): FieldError {
  return { reason: 'FieldValueDuplicate', field, message: `Duplicate value: ${formatValue(value)}` };
}

export function tooLong(field: string, maxLength: number): FieldError {
  return { reason: 'FieldValueTooLong', field, message: `Too long: may not be more than ${maxLength} bytes` };
}

export function typeInvalid(field: string, value: unknown, detail: string): FieldError {
  return { reason: 'FieldValueTypeInvalid', field, message: withDetail(`Invalid value: ${formatValue(value)}`, detail) };
}

/** `field: message` as upstream's field.Error.Error() prints it. */
export function formatFieldError(error: FieldError): string {
  return `${error.field}: ${error.message}`;
}
