// A StatefulSet's status from its pods and revisions (upstream: computeReplicaStatus, updateStatus,
// completeRollingUpdate, inconsistentStatus). `kubectl rollout status sts/x` reads exactly these:
// observedGeneration, readyReplicas, updatedReplicas, currentRevision and updateRevision.
import type { StatefulSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { podCondition } from '../framework/pod-utils.js';
import { isCreated, isRunningAndAvailable, isRunningAndReady, isTerminating, podRevision } from './stateful-pod-state.js';
import type { ResolvedStatefulSetSpec, StatefulSetObject } from './stateful-set-spec.js';

export interface StatusInput {
  readonly set: StatefulSetObject;
  readonly spec: ResolvedStatefulSetSpec;
  readonly pods: readonly Pod[];
  readonly currentRevision: string;
  readonly updateRevision: string;
  readonly collisionCount: number;
  readonly now: Date;
}

/** The counts of one pass, before completeRollingUpdate. */
export interface ReplicaCounts {
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
}

/**
 * Counts over `pods`: replicas counts every pod the API server has (terminating ones too); ready
 * and available need Running; current and updated count non-terminating pods by revision label.
 */
export function countReplicas(input: StatusInput): ReplicaCounts {
  const counts: ReplicaCounts = { replicas: 0, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0 };
  for (const pod of input.pods) {
    if (isCreated(pod)) counts.replicas += 1;
    if (isRunningAndReady(pod)) {
      counts.readyReplicas += 1;
      if (isRunningAndAvailable(pod, input.spec.minReadySeconds, input.now)) counts.availableReplicas += 1;
    }
    if (isCreated(pod) && !isTerminating(pod)) {
      const revision = podRevision(pod);
      if (revision === input.currentRevision) counts.currentReplicas += 1;
      if (revision === input.updateRevision) counts.updatedReplicas += 1;
    }
  }
  return counts;
}

/**
 * The status to write. A rolling update is complete once spec.replicas pods exist, are ready and
 * are at the update revision: the update revision then becomes the current one. (Under OnDelete
 * the current revision never moves, as upstream.) Zero counts and empty names are left out, as Go
 * writes them.
 */
export function buildStatus(input: StatusInput, counts: ReplicaCounts): StatefulSetStatus {
  let currentReplicas = counts.currentReplicas;
  let currentRevision = input.currentRevision;
  const replicas = input.spec.replicas;
  if (input.spec.updateStrategy === 'RollingUpdate'
    && counts.updatedReplicas === replicas && counts.readyReplicas === replicas && counts.replicas === replicas) {
    currentReplicas = counts.updatedReplicas;
    currentRevision = input.updateRevision;
  }
  const status: StatefulSetStatus = { replicas: counts.replicas, collisionCount: input.collisionCount };
  const generation = input.set.metadata?.generation ?? 0;
  if (generation !== 0) status.observedGeneration = generation;
  if (counts.readyReplicas !== 0) status.readyReplicas = counts.readyReplicas;
  if (currentReplicas !== 0) status.currentReplicas = currentReplicas;
  if (counts.updatedReplicas !== 0) status.updatedReplicas = counts.updatedReplicas;
  if (currentRevision !== '') status.currentRevision = currentRevision;
  if (input.updateRevision !== '') status.updateRevision = input.updateRevision;
  if (counts.availableReplicas !== 0) status.availableReplicas = counts.availableReplicas;
  return status;
}

/**
 * Whether `next` is worth writing over `current` (upstream's inconsistentStatus): a newer
 * observedGeneration or any count or revision name differs. collisionCount alone is not compared:
 * a new collision always comes with a new updateRevision name.
 */
export function statusChanged(current: StatefulSetStatus | undefined, next: StatefulSetStatus): boolean {
  const c = current ?? { replicas: 0 };
  return (next.observedGeneration ?? 0) > (c.observedGeneration ?? 0)
    || next.replicas !== (c.replicas ?? 0)
    || (next.currentReplicas ?? 0) !== (c.currentReplicas ?? 0)
    || (next.readyReplicas ?? 0) !== (c.readyReplicas ?? 0)
    || (next.updatedReplicas ?? 0) !== (c.updatedReplicas ?? 0)
    || (next.availableReplicas ?? 0) !== (c.availableReplicas ?? 0)
    || (next.currentRevision ?? '') !== (c.currentRevision ?? '')
    || (next.updateRevision ?? '') !== (c.updateRevision ?? '');
}

/**
 * Milliseconds until the next Running-and-Ready pod becomes available, or undefined when none is
 * waiting. Example: minReadySeconds 10, Ready since 12:00:00, now 12:00:04 -> 6001 (available
 * once strictly more than 10 s have passed).
 */
export function msUntilNextAvailable(pods: readonly Pod[], minReadySeconds: number, now: Date): number | undefined {
  if (minReadySeconds <= 0) return undefined;
  let soonest: number | undefined;
  for (const pod of pods) {
    if (!isRunningAndReady(pod) || isRunningAndAvailable(pod, minReadySeconds, now)) continue;
    const since = Date.parse(podCondition(pod, 'Ready')?.lastTransitionTime ?? '');
    const wait = Number.isNaN(since) ? minReadySeconds * 1000 : since + minReadySeconds * 1000 + 1 - now.getTime();
    soonest = Math.min(soonest ?? Infinity, Math.max(1, wait));
  }
  return soonest;
}
