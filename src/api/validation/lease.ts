// coordination.k8s.io/v1 Lease validation (upstream: ValidateLease, ValidateLeaseSpec).
import { invalid, type FieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { numberOf, recordOf } from './json-access.js';
import { validateObjectMeta } from './object-meta.js';

export function validateLease(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, { namespaced: true, nameRule: 'dns1123Subdomain' }, old?.metadata);
  const spec = recordOf(obj.spec) ?? {};
  const duration = numberOf(spec.leaseDurationSeconds);
  if (duration !== undefined && duration <= 0) errs.push(invalid('spec.leaseDurationSeconds', duration, 'must be greater than 0'));
  const transitions = numberOf(spec.leaseTransitions);
  if (transitions !== undefined && transitions < 0)
    errs.push(invalid('spec.leaseTransitions', transitions, 'must be greater than or equal to 0'));
  return errs;
}
