// core/v1 Node defaults (upstream: SetDefaults_NodeStatus: allocatable defaults to capacity).
import type { KubeObject } from '../object.js';
import { isRecord } from '../validation/json-access.js';

export function defaultNode(obj: KubeObject): void {
  const status = obj.status;
  if (isRecord(status) && isRecord(status.capacity) && !isRecord(status.allocatable)) status.allocatable = { ...status.capacity };
}
