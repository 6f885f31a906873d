// policy/v1 PodDisruptionBudget defaults. Upstream has no spec defaults for this kind; its status
// counters are Go int32s without omitempty, so a PDB the controller has not seen yet still shows
// them as 0 (`kubectl get pdb` prints ALLOWED DISRUPTIONS 0, never an empty cell).
import type { KubeObject } from '../object.js';
import { ensureRecord } from '../validation/json-access.js';

const STATUS_COUNTERS = ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'] as const;

export function defaultPodDisruptionBudget(obj: KubeObject): void {
  const status = ensureRecord(obj, 'status');
  for (const name of STATUS_COUNTERS) {
    if (typeof status[name] !== 'number') status[name] = 0;
  }
}
