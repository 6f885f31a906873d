// apps/v1 ReplicaSet validation (upstream: ValidateReplicaSet, ValidateReplicaSetUpdate).
import type { FieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { validateImmutableSelector } from './deployment.js';
import { recordOf } from './json-access.js';
import { validateObjectMeta } from './object-meta.js';
import { validateNonNegative } from './probe.js';
import { validateSelectorAndTemplate } from './replica-template.js';

export function validateReplicaSet(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, { namespaced: true, nameRule: 'dns1123Subdomain' }, old?.metadata);
  const spec = recordOf(obj.spec) ?? {};
  errs.push(...validateNonNegative(spec.replicas, 'spec.replicas'));
  errs.push(...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateSelectorAndTemplate(spec.selector, spec.template, 'spec'));
  if (old !== undefined) errs.push(...validateImmutableSelector(obj, old));
  return errs;
}
