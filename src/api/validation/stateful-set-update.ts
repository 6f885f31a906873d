// What may change in a StatefulSet's spec after creation (upstream 1.32: ValidateStatefulSetUpdate).
// Only the fields the controller can roll out in place are mutable; everything else (selector,
// serviceName, podManagementPolicy, volumeClaimTemplates, revisionHistoryLimit, ...) is fixed,
// and a change to any of them is one Forbidden error on `spec`, worded as upstream words it (the
// list grew revisionHistoryLimit only in 1.33).
import { forbidden, type FieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { jsonEqual, recordOf, type JsonRecord } from './json-access.js';

const MUTABLE_FIELDS = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

export const STATEFULSET_SPEC_FORBIDDEN =
  "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', " +
  "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

export function validateStatefulSetUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const fixed = (o: KubeObject): JsonRecord => withoutFields(recordOf(o['spec']) ?? {}, MUTABLE_FIELDS);
  return jsonEqual(fixed(obj), fixed(old)) ? [] : [forbidden('spec', STATEFULSET_SPEC_FORBIDDEN)];
}

function withoutFields(spec: JsonRecord, fields: readonly string[]): JsonRecord {
  return Object.fromEntries(Object.entries(spec).filter(([key]) => !fields.includes(key)));
}
