// scheduling.k8s.io/v1 PriorityClass defaults (upstream SetDefaults_PriorityClass): a class that
// does not say how its pods preempt lets them preempt lower-priority pods.
import type { KubeObject } from '../object.js';

export const PREEMPT_LOWER_PRIORITY = 'PreemptLowerPriority';

export function defaultPriorityClass(obj: KubeObject): void {
  if (obj['preemptionPolicy'] === undefined || obj['preemptionPolicy'] === null) obj['preemptionPolicy'] = PREEMPT_LOWER_PRIORITY;
}
