// Job conditions, their reasons and the messages users see (k8s.io/api/batch/v1 and upstream's
// job controller), and the few operations on a condition list the controller needs.
//
// Since 1.31 the terminal conditions come in two steps (1.32 enables this by default through the
// JobPodReplacementPolicy and JobManagedBy gates): first an interim SuccessCriteriaMet or
// FailureTarget, written as soon as the outcome is decided; then Complete or Failed (same reason
// and message), once no pod of the Job is still terminating.
import { rfc3339 } from '../../lib/rfc3339.js';
import type { JobCondition, JobObject } from './job-types.js';

export const JOB_COMPLETE = 'Complete';
export const JOB_FAILED = 'Failed';
export const JOB_SUSPENDED = 'Suspended';
export const JOB_FAILURE_TARGET = 'FailureTarget';
export const JOB_SUCCESS_CRITERIA_MET = 'SuccessCriteriaMet';

export const REASON_BACKOFF_LIMIT_EXCEEDED = 'BackoffLimitExceeded';
export const REASON_DEADLINE_EXCEEDED = 'DeadlineExceeded';
export const REASON_POD_FAILURE_POLICY = 'PodFailurePolicy';
export const REASON_MAX_FAILED_INDEXES_EXCEEDED = 'MaxFailedIndexesExceeded';
export const REASON_FAILED_INDEXES = 'FailedIndexes';
export const REASON_SUCCESS_POLICY = 'SuccessPolicy';

export const MESSAGE_BACKOFF_LIMIT_EXCEEDED = 'Job has reached the specified backoff limit';
export const MESSAGE_DEADLINE_EXCEEDED = 'Job was active longer than specified deadline';
export const MESSAGE_MAX_FAILED_INDEXES_EXCEEDED = 'Job has exceeded the specified maximal number of failed indexes';
export const MESSAGE_FAILED_INDEXES = 'Job has failed indexes';

/** A True/False condition stamped `now` (probe and transition time); empty reason/message omitted. */
export function newCondition(type: string, status: 'True' | 'False', reason: string, message: string, now: Date): JobCondition {
  const time = rfc3339(now);
  return {
    type,
    status,
    lastProbeTime: time,
    lastTransitionTime: time,
    ...(reason !== '' ? { reason } : {}),
    ...(message !== '' ? { message } : {}),
  };
}

export function findCondition(conditions: readonly JobCondition[] | undefined, type: string): JobCondition | undefined {
  return (conditions ?? []).find((c) => c.type === type);
}

export function hasTrueCondition(job: JobObject, type: string): boolean {
  return findCondition(job.status?.conditions, type)?.status === 'True';
}

/** The terminal condition that is True, if any (upstream: util.FinishedCondition). */
export function finishedCondition(job: JobObject): JobCondition | undefined {
  return (job.status?.conditions ?? []).find((c) => (c.type === JOB_COMPLETE || c.type === JOB_FAILED) && c.status === 'True');
}

export function isJobFinished(job: JobObject): boolean {
  return finishedCondition(job) !== undefined;
}

/**
 * Sets the condition `type` to (status, reason, message), replacing it when any of them differs.
 * A condition that does not exist is not added as False (nothing to say). Returns the new list
 * and whether it changed; `conditions` itself is not modified.
 */
export function ensureConditionStatus(
  conditions: readonly JobCondition[] | undefined,
  type: string,
  status: 'True' | 'False',
  reason: string,
  message: string,
  now: Date,
): { readonly conditions: JobCondition[]; readonly changed: boolean } {
  const list = [...(conditions ?? [])];
  const at = list.findIndex((c) => c.type === type);
  const existing = list[at];
  if (existing !== undefined) {
    if (existing.status === status && (existing.reason ?? '') === reason && (existing.message ?? '') === message) {
      return { conditions: list, changed: false };
    }
    list[at] = newCondition(type, status, reason, message, now);
    return { conditions: list, changed: true };
  }
  if (status === 'False') return { conditions: list, changed: false };
  return { conditions: [...list, newCondition(type, status, reason, message, now)], changed: true };
}
