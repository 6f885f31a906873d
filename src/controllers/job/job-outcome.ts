// Whether this pass decides the Job's outcome, in upstream syncJob's order:
//   1. SuccessCriteriaMet already in status: the success stands (only Complete is left to add);
//   2. FailureTarget already in status: it becomes Failed (same reason and message);
//   3. a failed pod matches a FailJob rule of the podFailurePolicy -> FailureTarget PodFailurePolicy;
//   4. more failures than backoffLimit (or, with restartPolicy OnFailure, that many container
//      restarts among running pods) -> FailureTarget BackoffLimitExceeded;
//   5. active for activeDeadlineSeconds since startTime -> FailureTarget DeadlineExceeded;
//   then, for Indexed Jobs, after their indexes are known (indexedOutcome):
//   6. more failed indexes than maxFailedIndexes -> MaxFailedIndexesExceeded; every index either
//      succeeded or failed, some failed -> FailedIndexes;
//   7. a successPolicy rule met -> SuccessCriteriaMet SuccessPolicy.
// Reaching spec.completions is decided later, after pods were managed (job-reconciler).
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { totalIndexes } from './index-intervals.js';
import {
  findCondition, JOB_FAILED, JOB_FAILURE_TARGET, JOB_SUCCESS_CRITERIA_MET, MESSAGE_BACKOFF_LIMIT_EXCEEDED,
  MESSAGE_DEADLINE_EXCEEDED, MESSAGE_FAILED_INDEXES, MESSAGE_MAX_FAILED_INDEXES_EXCEEDED, newCondition,
  REASON_BACKOFF_LIMIT_EXCEEDED, REASON_DEADLINE_EXCEEDED, REASON_FAILED_INDEXES, REASON_MAX_FAILED_INDEXES_EXCEEDED,
  REASON_POD_FAILURE_POLICY, REASON_SUCCESS_POLICY,
} from './job-conditions.js';
import { isPodFailedForJob } from './job-pod-states.js';
import { backoffLimitOf, indexedCompletions, isSuspended } from './job-spec.js';
import type { JobSyncContext } from './job-sync-context.js';
import type { JobCondition, JobObject } from './job-types.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import { matchSuccessPolicy } from './success-policy.js';

/** Steps 1 to 5 above: the condition that settles the Job's fate, if this pass can tell. */
export function decideOutcome(ctx: JobSyncContext, now: Date): JobCondition | undefined {
  const job = ctx.job;
  const conditions = job.status?.conditions;
  const met = findCondition(conditions, JOB_SUCCESS_CRITERIA_MET);
  if (met?.status === 'True') return met;
  const target = findCondition(conditions, JOB_FAILURE_TARGET);
  if (target?.status === 'True') return newCondition(JOB_FAILED, 'True', target.reason ?? '', target.message ?? '', now);
  const failJobMessage = podFailurePolicyFailure(job, ctx.pods);
  if (failJobMessage !== undefined) return newCondition(JOB_FAILURE_TARGET, 'True', REASON_POD_FAILURE_POLICY, failJobMessage, now);
  if (ctx.failed > backoffLimitOf(job) || pastBackoffLimitOnFailure(job, ctx.pods)) {
    return newCondition(JOB_FAILURE_TARGET, 'True', REASON_BACKOFF_LIMIT_EXCEEDED, MESSAGE_BACKOFF_LIMIT_EXCEEDED, now);
  }
  const deadlineInMs = msUntilActiveDeadline(job, now);
  if (deadlineInMs !== undefined && deadlineInMs <= 0) return newCondition(JOB_FAILURE_TARGET, 'True', REASON_DEADLINE_EXCEEDED, MESSAGE_DEADLINE_EXCEEDED, now);
  return undefined;
}

/** Steps 6 and 7 above, for an Indexed Job whose succeeded/failed indexes are in `ctx`. */
export function indexedOutcome(ctx: JobSyncContext, now: Date): JobCondition | undefined {
  const job = ctx.job;
  const completions = indexedCompletions(job);
  if (ctx.failedIndexes !== undefined) {
    const failed = totalIndexes(ctx.failedIndexes);
    const maxFailed = job.spec?.maxFailedIndexes;
    if (maxFailed !== undefined && failed > maxFailed) {
      return newCondition(JOB_FAILURE_TARGET, 'True', REASON_MAX_FAILED_INDEXES_EXCEEDED, MESSAGE_MAX_FAILED_INDEXES_EXCEEDED, now);
    }
    if (failed > 0 && failed + totalIndexes(ctx.succeededIndexes) >= completions) {
      return newCondition(JOB_FAILURE_TARGET, 'True', REASON_FAILED_INDEXES, MESSAGE_FAILED_INDEXES, now);
    }
  }
  const message = matchSuccessPolicy(job.spec?.successPolicy, completions, ctx.succeededIndexes);
  return message === undefined ? undefined : newCondition(JOB_SUCCESS_CRITERIA_MET, 'True', REASON_SUCCESS_POLICY, message, now);
}

/** The message of the first failed pod a FailJob rule matches. */
function podFailurePolicyFailure(job: JobObject, pods: readonly Pod[]): string | undefined {
  if (job.spec?.podFailurePolicy === undefined) return undefined;
  for (const pod of pods) {
    if (!isPodFailedForJob(pod, job)) continue;
    const message = matchPodFailurePolicy(job.spec.podFailurePolicy, pod).failJobMessage;
    if (message !== undefined) return message;
  }
  return undefined;
}

/**
 * restartPolicy OnFailure: failed containers restart in place, so failures show as restarts. The
 * restarts of running and pending pods add up; the limit is reached at backoffLimit of them (any
 * restart when backoffLimit is 0). Example: backoffLimit 3, pods restarted 1 and 2 times -> failed.
 */
function pastBackoffLimitOnFailure(job: JobObject, pods: readonly Pod[]): boolean {
  if (job.spec?.template.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const pod of pods) {
    const phase = pod.status?.phase;
    if (phase !== 'Running' && phase !== 'Pending') continue;
    for (const status of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) restarts += status.restartCount;
  }
  const limit = backoffLimitOf(job);
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/**
 * Ms left until activeDeadlineSeconds passes (<= 0: passed), or undefined when there is no
 * deadline, no startTime or the Job is suspended (a suspended Job's clock does not run). Example:
 * activeDeadlineSeconds 60, started 12:00:00, now 12:00:45 -> 15000.
 */
export function msUntilActiveDeadline(job: JobObject, now: Date): number | undefined {
  const seconds = job.spec?.activeDeadlineSeconds;
  const started = Date.parse(job.status?.startTime ?? '');
  if (seconds === undefined || Number.isNaN(started) || isSuspended(job)) return undefined;
  return started + seconds * 1000 - now.getTime();
}
