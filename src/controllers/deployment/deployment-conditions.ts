// Deployment conditions (upstream deployment/util: NewDeploymentCondition, SetDeploymentCondition,
// ...) and the reasons kubectl and users match on.
import type { DeploymentCondition, DeploymentStatus } from './deployment-types.js';
import { formatTime } from './deployment-types.js';

export type DeploymentConditionType = 'Available' | 'Progressing' | 'ReplicaFailure';
export type ConditionStatus = 'True' | 'False' | 'Unknown';

export const REASON = {
  /** Progressing True: a new ReplicaSet was created. */
  newReplicaSetCreated: 'NewReplicaSetCreated',
  /** Progressing True: the new ReplicaSet existed when progress tracking started. */
  foundNewReplicaSet: 'FoundNewReplicaSet',
  /** Progressing True: the new ReplicaSet grew, old ones shrank or pods became ready/available. */
  replicaSetUpdated: 'ReplicaSetUpdated',
  /** Progressing True: the rollout is complete. */
  newReplicaSetAvailable: 'NewReplicaSetAvailable',
  /** Progressing False: no progress for progressDeadlineSeconds. */
  progressDeadlineExceeded: 'ProgressDeadlineExceeded',
  /** Progressing False: the new ReplicaSet could not be created. */
  failedCreate: 'ReplicaSetCreateError',
  /** Progressing Unknown: paused / resumed. */
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  minimumReplicasAvailable: 'MinimumReplicasAvailable',
  minimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

export function newCondition(
  type: DeploymentConditionType,
  status: ConditionStatus,
  reason: string,
  message: string,
  now: Date,
): DeploymentCondition {
  const stamp = formatTime(now);
  return { type, status, reason, message, lastUpdateTime: stamp, lastTransitionTime: stamp };
}

export function getCondition(status: DeploymentStatus | undefined, type: DeploymentConditionType): DeploymentCondition | undefined {
  return (status?.conditions ?? []).find((c) => c.type === type);
}

/**
 * Upstream SetDeploymentCondition: a condition with the same status and reason as the current
 * one changes nothing (not even lastUpdateTime or the message); the same status with another
 * reason keeps lastTransitionTime. Mutates `status`.
 */
export function setCondition(status: DeploymentStatus, condition: DeploymentCondition): void {
  const current = getCondition(status, condition.type as DeploymentConditionType);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  const next = { ...condition };
  if (current && current.status === condition.status && current.lastTransitionTime !== undefined) {
    next.lastTransitionTime = current.lastTransitionTime;
  }
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== condition.type), next];
}

export function removeCondition(status: DeploymentStatus, type: DeploymentConditionType): void {
  if (!status.conditions) return;
  status.conditions = status.conditions.filter((c) => c.type !== type);
}
