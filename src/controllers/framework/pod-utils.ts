// Pod predicates shared by workload controllers (upstream: podutil.IsPodReady, IsPodAvailable,
// controller.IsPodActive).
import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';

export function podCondition(pod: Pod, type: string): PodCondition | undefined {
  return (pod.status?.conditions ?? []).find((c) => c.type === type);
}

/** The Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return podCondition(pod, 'Ready')?.status === 'True';
}

/** Succeeded or Failed: its containers will not run again. */
export function isPodTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Counts toward a controller's replicas: not terminal and not being deleted. */
export function isPodActive(pod: Pod): boolean {
  return !isPodTerminal(pod) && pod.metadata?.deletionTimestamp === undefined;
}

/**
 * Ready for at least `minReadySeconds` at `now`. Upstream's rule: with minReadySeconds 0 any ready
 * pod is available; otherwise Ready's lastTransitionTime + minReadySeconds must be strictly before
 * now. Example: ready since 10:00:00 with minReadySeconds 5 -> available from 10:00:05.001 on.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: Date): boolean {
  const ready = podCondition(pod, 'Ready');
  if (ready?.status !== 'True') return false;
  if (minReadySeconds <= 0) return true;
  if (ready.lastTransitionTime === undefined) return false;
  const since = Date.parse(ready.lastTransitionTime);
  if (Number.isNaN(since)) return false;
  return since + minReadySeconds * 1000 < now.getTime();
}

/** The largest restartCount over the pod's containers (0 when none have started). */
export function maxContainerRestarts(pod: Pod): number {
  return Math.max(0, ...(pod.status?.containerStatuses ?? []).map((s) => s.restartCount));
}
