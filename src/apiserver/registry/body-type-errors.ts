// A body field of the wrong JSON type (labels: 5, containers: "x", replicas: "3") as upstream
// answers it. Built-in kinds are decoded into Go structs before anything else runs, so the first
// mismatch fails the whole request with 400 BadRequest:
//   Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number into Go struct
//   field ObjectMeta.metadata.labels of type string
// Custom resources (Rollouts, Gateway API) are validated against their schema instead: 422 Invalid
// with one cause per field, `spec.replicas in body must be of type integer: "string"`.
import type { GroupVersionKind } from '../../api/object.js';
import type { FieldError } from '../../api/field-error.js';
import { BadRequestError } from '../../lib/errors.js';
import type { FieldTypeError } from '../openapi/field-validation.js';
import { InvalidError, type QualifiedKind } from './api-errors.js';

export interface BodyTypeErrorInput {
  readonly gvk: GroupVersionKind;
  readonly kind: QualifiedKind;
  /** The object's name, for the 422 message. */
  readonly name: string;
  /** Whether upstream decodes the kind into Go structs (built-in kinds). */
  readonly typed: boolean;
  readonly errors: readonly FieldTypeError[];
}

/** The error to answer for a body with `errors` (non-empty). */
export function bodyTypeError(input: BodyTypeErrorInput): BadRequestError | InvalidError {
  const { gvk, errors } = input;
  const [first] = errors;
  if (input.typed && first !== undefined) {
    return new BadRequestError(`${gvk.kind} in version "${gvk.version}" cannot be handled as a ${gvk.kind}: ${goDecodeMessage(first)}`);
  }
  return new InvalidError(input.kind, input.name, errors.map(schemaTypeCause));
}

/** encoding/json's UnmarshalTypeError text. */
export function goDecodeMessage(error: FieldTypeError): string {
  const { field, type, value } = error.go;
  if (field === '') return `json: cannot unmarshal ${value} into Go value of type ${type}`;
  return `json: cannot unmarshal ${value} into Go struct field ${field} of type ${type}`;
}

/** kube-openapi's `<path> in body must be of type <type>: "<found>"`, as a TypeInvalid cause. */
function schemaTypeCause(error: FieldTypeError): FieldError {
  const { found } = error;
  const expected = error.expected === 'int-or-string' ? 'integer,string' : error.expected.replaceAll('|', ',');
  return {
    reason: 'FieldValueTypeInvalid',
    field: error.path,
    message: `Invalid value: "${found}": ${error.path} in body must be of type ${expected}: "${found}"`,
  };
}
