// A DaemonSet's status counts (upstream: updateDaemonSetStatus / storeDaemonSetStatus). These are
// what `kubectl rollout status ds/x` reads: once observedGeneration has caught up with generation,
// it waits for updatedNumberScheduled, then numberAvailable, to reach desiredNumberScheduled.
//
// Each node counts once, through its oldest bound pod. Example: 3 fitting nodes, one running an
// up-to-date ready pod, one an old ready pod, one nothing yet; plus a node that no longer fits
// but still has a pod -> desired 3, current 2, updated 1, ready 2, misscheduled 1, and with
// minReadySeconds 0 available 2 and unavailable 3 - 2 = 1.
import type { DaemonSetStatus } from 'kubernetes-types/apps/v1.js';
import { isPodAvailable, isPodReady } from '../framework/pod-utils.js';
import { isPodUpdated, minReadySeconds, type DaemonSetObject, type NodeObject } from './daemon-set-types.js';
import type { NodePlacement } from './node-should-run-daemon-pod.js';
import { byScheduledThenAge, type NodeDaemonPods } from './node-daemon-pods.js';

export interface DaemonSetCounts {
  readonly desiredNumberScheduled: number;
  readonly currentNumberScheduled: number;
  readonly numberMisscheduled: number;
  readonly numberReady: number;
  readonly updatedNumberScheduled: number;
  readonly numberAvailable: number;
  readonly numberUnavailable: number;
}

export interface StatusInput {
  readonly ds: DaemonSetObject;
  readonly nodes: readonly NodeObject[];
  readonly placementOf: (node: NodeObject) => NodePlacement;
  readonly nodeToDaemonPods: NodeDaemonPods;
  readonly hash: string;
  readonly generation: string | undefined;
  readonly now: Date;
}

export function countDaemonPods(input: StatusInput): DaemonSetCounts {
  let desired = 0;
  let current = 0;
  let misscheduled = 0;
  let ready = 0;
  let updated = 0;
  let available = 0;
  for (const node of input.nodes) {
    const pods = input.nodeToDaemonPods.get(node.metadata?.name ?? '') ?? [];
    if (!input.placementOf(node).shouldRun) {
      if (pods.length > 0) misscheduled++;
      continue;
    }
    desired++;
    const pod = [...pods].sort(byScheduledThenAge)[0];
    if (pod === undefined) continue;
    current++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReadySeconds(input.ds), input.now)) available++;
    }
    if (isPodUpdated(pod, input.hash, input.generation)) updated++;
  }
  return {
    desiredNumberScheduled: desired,
    currentNumberScheduled: current,
    numberMisscheduled: misscheduled,
    numberReady: ready,
    updatedNumberScheduled: updated,
    numberAvailable: available,
    numberUnavailable: desired - available,
  };
}

/**
 * Whether storing `counts` changes anything: a count, or (when this pass acted on the current
 * spec) an observedGeneration that lags metadata.generation.
 */
export function statusNeedsWrite(ds: DaemonSetObject, counts: DaemonSetCounts, observeGeneration: boolean): boolean {
  const status: Partial<DaemonSetStatus> = ds.status ?? {};
  const changed = (Object.keys(counts) as (keyof DaemonSetCounts)[]).some((field) => (status[field] ?? 0) !== counts[field]);
  return changed || (observeGeneration && (status.observedGeneration ?? 0) < (ds.metadata?.generation ?? 0));
}

/**
 * The status to store: `counts` over `current` (collisionCount and conditions stay), with
 * `observedGeneration` when this pass acted on that generation.
 */
export function nextStatus(current: DaemonSetStatus | undefined, counts: DaemonSetCounts, observedGeneration: number | undefined): DaemonSetStatus {
  const status: DaemonSetStatus = { ...structuredClone(current ?? {}), ...counts };
  if (observedGeneration !== undefined) status.observedGeneration = observedGeneration;
  return status;
}
