// apps/v1 ControllerRevision validation (upstream: ValidateControllerRevision and
// ValidateControllerRevisionUpdate). A revision is a snapshot a controller takes of its own state
// (a DaemonSet's or StatefulSet's pod template as a patch): `data` is opaque, required and never
// rewritten; `revision` may change, since a controller that rolls back to a snapshot gives it the
// next number instead of copying it.
import { invalid, required, type FieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { isNil, jsonEqual } from './json-access.js';
import { FIELD_IMMUTABLE, validateObjectMeta } from './object-meta.js';
import { validateNonNegative } from './probe.js';

export function validateControllerRevision(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, { namespaced: true, nameRule: 'dns1123Subdomain' }, old?.metadata);
  if (isNil(obj['data'])) errs.push(required('data', 'data is mandatory'));
  errs.push(...validateNonNegative(obj['revision'], 'revision'));
  if (old !== undefined && !jsonEqual(obj['data'], old['data'])) errs.push(invalid('data', obj['data'], FIELD_IMMUTABLE));
  return errs;
}
