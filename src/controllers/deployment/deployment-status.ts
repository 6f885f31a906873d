// Status arithmetic (upstream sync.go calculateStatus and deployment/util DeploymentComplete,
// DeploymentProgressing, DeploymentTimedOut). Pure: no writes.
import { jsonEqual } from '../../api/validation/json-access.js';
import type { DeploymentObject, DeploymentStatus, ReplicaSetObject } from './deployment-types.js';
import { specReplicas } from './deployment-types.js';
import { getCondition, newCondition, REASON, setCondition } from './deployment-conditions.js';
import { actualReplicaCount, availableReplicaCount, maxUnavailable, readyReplicaCount, replicaCount } from './rollout-math.js';

/** Go's MaxInt32: upstream's "no deadline" value for progressDeadlineSeconds. */
const NO_DEADLINE = 2147483647;

export function hasProgressDeadline(d: DeploymentObject): boolean {
  const seconds = d.spec?.progressDeadlineSeconds;
  return seconds !== undefined && seconds !== NO_DEADLINE;
}

/**
 * The status the ReplicaSets imply (upstream calculateStatus): counts, the deployment's current
 * conditions, and Available recomputed: True when available >= replicas - maxUnavailable.
 */
export function calculateStatus(
  d: DeploymentObject,
  allSets: readonly ReplicaSetObject[],
  newRS: ReplicaSetObject | undefined,
  now: Date,
): DeploymentStatus {
  const available = availableReplicaCount(allSets);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata?.generation ?? 0,
    replicas: actualReplicaCount(allSets),
    updatedReplicas: newRS ? actualReplicaCount([newRS]) : 0,
    readyReplicas: readyReplicaCount(allSets),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, replicaCount(allSets) - available),
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  if (d.status?.conditions) status.conditions = d.status.conditions.map((c) => ({ ...c }));
  const minAvailable = specReplicas(d) - maxUnavailable(d);
  setCondition(
    status,
    available >= minAvailable
      ? newCondition('Available', 'True', REASON.minimumReplicasAvailable, 'Deployment has minimum availability.', now)
      : newCondition('Available', 'False', REASON.minimumReplicasUnavailable, 'Deployment does not have minimum availability.', now),
  );
  return status;
}

/** Every wanted pod is updated and available, and no old pod is left. */
export function deploymentComplete(d: DeploymentObject, status: DeploymentStatus | undefined): boolean {
  const replicas = specReplicas(d);
  return (
    (status?.updatedReplicas ?? 0) === replicas &&
    (status?.replicas ?? 0) === replicas &&
    (status?.availableReplicas ?? 0) === replicas &&
    (status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0)
  );
}

/**
 * Something moved since the last recorded status: more updated pods, fewer old pods, or more
 * ready or available pods. Only such a move refreshes the Progressing condition's lastUpdateTime,
 * which is what the progress deadline counts from.
 */
export function deploymentProgressing(d: DeploymentObject, next: DeploymentStatus): boolean {
  const prev = d.status ?? {};
  const prevOld = (prev.replicas ?? 0) - (prev.updatedReplicas ?? 0);
  const nextOld = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
  return (
    (next.updatedReplicas ?? 0) > (prev.updatedReplicas ?? 0) ||
    nextOld < prevOld ||
    (next.readyReplicas ?? 0) > (prev.readyReplicas ?? 0) ||
    (next.availableReplicas ?? 0) > (prev.availableReplicas ?? 0)
  );
}

/** The moment the rollout times out: Progressing's lastUpdateTime + progressDeadlineSeconds. */
export function progressDeadline(d: DeploymentObject, status: DeploymentStatus): number | undefined {
  const condition = getCondition(status, 'Progressing');
  if (!hasProgressDeadline(d) || condition?.lastUpdateTime === undefined) return undefined;
  const from = Date.parse(condition.lastUpdateTime);
  if (Number.isNaN(from)) return undefined;
  return from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000;
}

/** Upstream DeploymentTimedOut: the deadline passed without progress (already timed out stays so). */
export function deploymentTimedOut(d: DeploymentObject, status: DeploymentStatus, now: Date): boolean {
  if (!hasProgressDeadline(d)) return false;
  const condition = getCondition(status, 'Progressing');
  if (!condition) return false;
  if (condition.reason === REASON.newReplicaSetAvailable) return false;
  if (condition.reason === REASON.progressDeadlineExceeded) return true;
  const deadline = progressDeadline(d, status);
  return deadline !== undefined && deadline < now.getTime();
}

export function statusEqual(a: DeploymentStatus | undefined, b: DeploymentStatus | undefined): boolean {
  return jsonEqual(a ?? {}, b ?? {});
}
