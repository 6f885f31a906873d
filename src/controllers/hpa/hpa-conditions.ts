// The HPA's three conditions, set as upstream's setCondition does: found by type (appended if
// absent), lastTransitionTime moved only when the status changes.
import type { HorizontalPodAutoscalerCondition } from 'kubernetes-types/autoscaling/v2.js';

export type HpaConditionType = 'AbleToScale' | 'ScalingActive' | 'ScalingLimited';

export interface HpaCondition {
  readonly type: HpaConditionType;
  readonly status: 'True' | 'False';
  readonly reason: string;
  readonly message: string;
}

export function setHpaCondition(conditions: HorizontalPodAutoscalerCondition[], condition: HpaCondition, now: Date): void {
  const existing = conditions.find((c) => c.type === condition.type);
  const target = existing ?? { type: condition.type, status: 'Unknown' };
  if (existing === undefined) conditions.push(target);
  if (target.status !== condition.status) target.lastTransitionTime = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  target.status = condition.status;
  target.reason = condition.reason;
  target.message = condition.message;
}
