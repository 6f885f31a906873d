// What one node needs from the DaemonSet's manage pass (upstream: podsShouldBeOnNode): a pod
// created, and which of its pods to delete (failed or succeeded ones, extras, or all of them when
// the node no longer fits).
import { isPodAvailable, isPodReady } from '../framework/pod-utils.js';
import { CONTROLLER_REVISION_HASH_LABEL, minReadySeconds, type DaemonSetObject, type PodObject } from './daemon-set-types.js';
import { FailedPodsBackoff } from './failed-pods-backoff.js';
import type { NodePlacement } from './node-should-run-daemon-pod.js';
import { byScheduledThenAge } from './node-daemon-pods.js';

export interface NodePodPlanInput {
  readonly ds: DaemonSetObject;
  readonly nodeName: string;
  readonly placement: NodePlacement;
  /** The node's daemon pods (absent or empty: none). */
  readonly pods: readonly PodObject[] | undefined;
  /** The current revision's hash. */
  readonly hash: string;
  /** maxSurge > 0: a node may briefly run an old and a new pod. */
  readonly allowsSurge: boolean;
  readonly backoff: FailedPodsBackoff;
  readonly now: Date;
}

export interface NodePodPlan {
  readonly create: boolean;
  readonly deletions: readonly PodObject[];
  /** Failed pods among `deletions`, for the FailedDaemonPod event. */
  readonly failed: readonly PodObject[];
  /** Succeeded pods among `deletions`, for the SucceededDaemonPod event. */
  readonly succeeded: readonly PodObject[];
  /** A failed pod left alone because of its backoff: look again after this long. */
  readonly retryAfterMs?: number;
}

const NOTHING: NodePodPlan = { create: false, deletions: [], failed: [], succeeded: [] };

export function planNodePods(input: NodePodPlanInput): NodePodPlan {
  const { placement } = input;
  const pods = input.pods ?? [];
  if (placement.shouldRun && pods.length === 0) return { ...NOTHING, create: true };
  if (placement.shouldContinueRunning) return planFittingNode(input, pods);
  if (pods.length === 0) return NOTHING;
  // The node no longer takes the daemon: every pod there goes.
  return { ...NOTHING, deletions: pods.filter((pod) => pod.metadata?.deletionTimestamp === undefined) };
}

function planFittingNode(input: NodePodPlanInput, pods: readonly PodObject[]): NodePodPlan {
  const { ds, nodeName, backoff } = input;
  const deletions: PodObject[] = [];
  const failed: PodObject[] = [];
  const succeeded: PodObject[] = [];
  const running: PodObject[] = [];
  let retryAfterMs: number | undefined;

  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp !== undefined) continue;
    const phase = pod.status?.phase;
    if (phase === 'Failed') {
      // The kubelet may keep rejecting the pod (a port taken, say): replace it, but back off.
      const key = FailedPodsBackoff.key(ds.metadata?.uid ?? '', ds.status?.observedGeneration ?? 0, nodeName);
      if (backoff.inBackoff(key)) {
        retryAfterMs = Math.min(retryAfterMs ?? Infinity, backoff.get(key));
        continue;
      }
      backoff.next(key);
      failed.push(pod);
      deletions.push(pod);
    } else if (phase === 'Succeeded') {
      succeeded.push(pod);
      deletions.push(pod);
    } else {
      running.push(pod);
    }
  }

  running.sort(byScheduledThenAge);
  const plan = (create: boolean): NodePodPlan => ({ create, deletions, failed, succeeded, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });

  if (!input.allowsSurge) {
    // One pod per node: the oldest stays, later duplicates go.
    deletions.push(...running.slice(1));
    return plan(false);
  }
  if (running.length <= 1) return plan(running.length === 0 && input.placement.shouldRun);

  // Surging: keep at most the oldest new pod and the oldest old pod, and the old one only while
  // it is ready and the new one is not yet available.
  let oldestNew: PodObject | undefined;
  let oldestOld: PodObject | undefined;
  for (const pod of running) {
    const isNew = pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] === input.hash;
    if (isNew && oldestNew === undefined) oldestNew = pod;
    else if (!isNew && oldestOld === undefined) oldestOld = pod;
    else deletions.push(pod);
  }
  if (oldestNew !== undefined && oldestOld !== undefined) {
    if (!isPodReady(oldestOld) || isPodAvailable(oldestNew, minReadySeconds(ds), input.now)) deletions.push(oldestOld);
  }
  return plan(false);
}
