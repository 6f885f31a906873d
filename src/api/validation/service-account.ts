// core/v1 ServiceAccount validation (upstream: ValidateServiceAccount): metadata only, plus secret refs.
import { required, type FieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { isRecord, arrayOf, stringOf } from './json-access.js';
import { validateObjectMeta } from './object-meta.js';

export function validateServiceAccount(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, { namespaced: true, nameRule: 'dns1123Subdomain' }, old?.metadata);
  arrayOf(obj.imagePullSecrets).forEach((ref, i) => {
    if (!isRecord(ref) || stringOf(ref.name) === '') errs.push(required(`imagePullSecrets[${i}].name`));
  });
  return errs;
}
