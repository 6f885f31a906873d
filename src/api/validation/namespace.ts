// core/v1 Namespace validation (upstream: ValidateNamespace, ValidateNamespaceUpdate).
import { invalid, type FieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { arrayOf, recordOf, stringOf } from './json-access.js';
import { isQualifiedName } from './name-rules.js';
import { validateObjectMeta } from './object-meta.js';

/** Finalizers without a domain must be one of upstream's standard names. */
const STANDARD_FINALIZERS = ['kubernetes', 'orphan', 'foregroundDeletion'];

export function validateNamespace(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, { namespaced: false, nameRule: 'dns1123Label' }, old?.metadata);
  for (const value of arrayOf(recordOf(obj.spec)?.finalizers)) {
    const name = stringOf(value);
    const msgs = isQualifiedName(name);
    for (const msg of msgs) errs.push(invalid('spec.finalizers', name, msg));
    if (msgs.length === 0 && !name.includes('/') && !STANDARD_FINALIZERS.includes(name))
      errs.push(invalid('spec.finalizers', name, 'name is neither a standard finalizer name nor is it fully qualified'));
  }
  return errs;
}
