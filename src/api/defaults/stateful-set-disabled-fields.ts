// StatefulSet fields of features Kubernetes 1.32 leaves off: `updateStrategy.rollingUpdate.
// maxUnavailable` belongs to the alpha MaxUnavailableStatefulSet gate, so upstream drops it from a
// create, and from an update unless the stored object already had it (then it stays, so an object
// written while the gate was on keeps working). Runs after defaulting, as upstream's
// PrepareForCreate/PrepareForUpdate do, so the registry calls it as the kind's admission.
import type { KubeObject } from '../object.js';
import { isNil, recordOf, type JsonRecord } from '../validation/json-access.js';

export function dropDisabledStatefulSetFields(obj: KubeObject, old?: KubeObject): void {
  if (old !== undefined && !isNil(rollingUpdateOf(old)?.maxUnavailable)) return;
  const rollingUpdate = rollingUpdateOf(obj);
  if (rollingUpdate !== undefined) delete rollingUpdate.maxUnavailable;
}

function rollingUpdateOf(obj: KubeObject): JsonRecord | undefined {
  return recordOf(recordOf(recordOf(obj['spec'])?.updateStrategy)?.rollingUpdate);
}
