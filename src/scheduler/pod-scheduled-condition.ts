// The PodScheduled=False condition of an unschedulable pod, as a JSON merge patch of
// status.conditions (the whole list, other conditions kept: a merge patch replaces arrays, and
// this way the fake client and the real API server agree). Like upstream's UpdatePodCondition,
// nothing is written when status, reason and message are unchanged, and lastTransitionTime only
// moves when the status flips.
import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';

export const REASON_UNSCHEDULABLE = 'Unschedulable';
export const REASON_SCHEDULER_ERROR = 'SchedulerError';

export function podScheduledFalsePatch(pod: Pod, reason: string, message: string, now: Date): { status: { conditions: PodCondition[] } } | undefined {
  const conditions = pod.status?.conditions ?? [];
  const current = conditions.find((c) => c.type === 'PodScheduled');
  if (current && current.status === 'False' && current.reason === reason && current.message === message) return undefined;
  const lastTransitionTime = current && current.status === 'False' && current.lastTransitionTime ? current.lastTransitionTime : now.toISOString();
  const condition: PodCondition = { type: 'PodScheduled', status: 'False', reason, message, lastTransitionTime };
  const next = current ? conditions.map((c) => (c.type === 'PodScheduled' ? condition : c)) : [...conditions, condition];
  return { status: { conditions: next } };
}
