// A ReplicaSet's status from the pods it owns (upstream: calculateStatus).
import type { ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isPodAvailable, isPodReady } from '../framework/pod-utils.js';

export const REPLICA_FAILURE = 'ReplicaFailure';

/** Why the last manageReplicas failed, for the ReplicaFailure condition. */
export interface ManageFailure {
  readonly reason: 'FailedCreate' | 'FailedDelete';
  readonly message: string;
}

function formatTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The pod carries every label of the template (it may carry more). */
function fullyLabeled(pod: Pod, templateLabels: Readonly<Record<string, string>>): boolean {
  const labels = pod.metadata?.labels ?? {};
  return Object.entries(templateLabels).every(([key, value]) => labels[key] === value);
}

/**
 * The status `rs` should have, given its active owned pods. ReplicaFailure is added (True, with
 * the failure's reason and message) when manageReplicas failed and it is absent, and removed once
 * a pass succeeds, as upstream does; an existing condition keeps its first message.
 */
export function calculateStatus(rs: ReplicaSet, pods: readonly Pod[], failure: ManageFailure | undefined, now: Date): ReplicaSetStatus {
  const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
  const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
  const status: ReplicaSetStatus = {
    ...structuredClone(rs.status ?? { replicas: 0 }),
    replicas: pods.length,
    fullyLabeledReplicas: pods.filter((p) => fullyLabeled(p, templateLabels)).length,
    readyReplicas: pods.filter(isPodReady).length,
    availableReplicas: pods.filter((p) => isPodAvailable(p, minReadySeconds, now)).length,
  };
  if (rs.metadata?.generation !== undefined) status.observedGeneration = rs.metadata.generation;
  const conditions: ReplicaSetCondition[] = [...(status.conditions ?? [])];
  const existing = conditions.findIndex((c) => c.type === REPLICA_FAILURE);
  if (failure !== undefined && existing < 0) {
    conditions.push({ type: REPLICA_FAILURE, status: 'True', lastTransitionTime: formatTime(now), reason: failure.reason, message: failure.message });
  } else if (failure === undefined && existing >= 0) {
    conditions.splice(existing, 1);
  }
  if (conditions.length > 0) status.conditions = conditions;
  else delete status.conditions;
  return status;
}

/** Whether writing `next` would change anything upstream compares (counts, generation, conditions). */
export function statusChanged(current: ReplicaSetStatus | undefined, next: ReplicaSetStatus): boolean {
  const c = current ?? { replicas: 0 };
  return (
    (c.replicas ?? 0) !== next.replicas ||
    (c.fullyLabeledReplicas ?? 0) !== (next.fullyLabeledReplicas ?? 0) ||
    (c.readyReplicas ?? 0) !== (next.readyReplicas ?? 0) ||
    (c.availableReplicas ?? 0) !== (next.availableReplicas ?? 0) ||
    c.observedGeneration !== next.observedGeneration ||
    JSON.stringify(c.conditions ?? []) !== JSON.stringify(next.conditions ?? [])
  );
}

/**
 * Milliseconds until the next ready-but-not-yet-available pod becomes available, or undefined.
 * Example: minReadySeconds 10, a pod Ready since 12:00:00, now 12:00:04 -> 6001 (available once
 * strictly more than 10 s have passed).
 */
export function msUntilNextAvailable(rs: ReplicaSet, pods: readonly Pod[], now: Date): number | undefined {
  const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
  if (minReadySeconds <= 0) return undefined;
  let soonest: number | undefined;
  for (const pod of pods) {
    if (!isPodReady(pod) || isPodAvailable(pod, minReadySeconds, now)) continue;
    const since = Date.parse((pod.status?.conditions ?? []).find((c) => c.type === 'Ready')?.lastTransitionTime ?? '');
    const wait = Number.isNaN(since) ? minReadySeconds * 1000 : since + minReadySeconds * 1000 + 1 - now.getTime();
    soonest = Math.min(soonest ?? Infinity, Math.max(1, wait));
  }
  return soonest;
}
