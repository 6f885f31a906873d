// Rollout conditions (Argo utils/conditions): set/get with Argo's rule that lastTransitionTime
// moves only when the status changes, and the reasons/messages Argo uses.
import type { ConditionStatus, RolloutCondition, RolloutConditionType, RolloutStatus } from './rollout-types.js';

export const MESSAGES = {
  available: 'Rollout has minimum availability',
  notAvailable: 'Rollout does not have minimum availability',
  paused: 'Rollout is paused',
  resumed: 'Rollout is resumed',
  healthy: 'Rollout is healthy',
  notHealthy: 'Rollout is not healthy',
  retry: 'Retrying Rollout after abort',
} as const;

export function getCondition(status: RolloutStatus, type: RolloutConditionType): RolloutCondition | undefined {
  return (status.conditions ?? []).find((c) => c.type === type);
}

/**
 * Sets a condition; returns true when something other than lastUpdateTime changed. An identical
 * status/reason/message leaves the condition untouched (Argo's SetRolloutCondition).
 */
export function setCondition(status: RolloutStatus, type: RolloutConditionType, value: ConditionStatus, reason: string, message: string, now: string): boolean {
  const current = getCondition(status, type);
  if (current && current.status === value && current.reason === reason && current.message === message) return false;
  const next: RolloutCondition = {
    type, status: value, reason, message, lastUpdateTime: now,
    lastTransitionTime: current && current.status === value ? current.lastTransitionTime : now,
  };
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== type), next];
  return true;
}

export function removeCondition(status: RolloutStatus, type: RolloutConditionType): void {
  if (status.conditions) status.conditions = status.conditions.filter((c) => c.type !== type);
}
