// ReferenceGrant validation (CRD schema): from and to each 1..16 entries of group/kind(/namespace|name).
import { required, type FieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { recordOf, recordsOf } from '../validation/json-access.js';
import { validateObjectMeta } from '../validation/object-meta.js';
import { validateGroupKind } from './reference-validation.js';
import { checkItems, checkString, NAMESPACE_PATTERN } from './schema-errors.js';

export function validateReferenceGrant(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, { namespaced: true, nameRule: 'dns1123Subdomain' }, old?.metadata);
  const spec = recordOf(obj.spec);
  if (!spec) {
    errs.push(required('spec'));
    return errs;
  }
  for (const list of ['from', 'to'] as const) {
    if (!Array.isArray(spec[list])) errs.push(required(`spec.${list}`));
    checkItems(errs, `spec.${list}`, spec[list], 16, 1);
  }
  recordsOf(spec.from).forEach((from, i) => {
    validateGroupKind(errs, `spec.from[${i}]`, from, { groupRequired: true });
    checkString(errs, `spec.from[${i}].namespace`, from.namespace, { min: 1, max: 63, pattern: NAMESPACE_PATTERN, required: true });
  });
  recordsOf(spec.to).forEach((to, i) => {
    validateGroupKind(errs, `spec.to[${i}]`, to, { groupRequired: true });
    checkString(errs, `spec.to[${i}].name`, to.name, { min: 1, max: 253 });
  });
  return errs;
}
