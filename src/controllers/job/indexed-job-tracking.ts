// Which indexes of an Indexed Job have succeeded or failed (upstream: indexed_job_utils.go).
//
// Succeeded indexes are status.completedIndexes plus the indexes of succeeded pods that still carry
// the tracking finalizer (not yet recorded). Example, completions 5: completedIndexes "0,1" and a
// succeeded pod of index 3 with the finalizer -> previous [0-1], current [0-1, 3-3] ("0,1,3").
//
// With backoffLimitPerIndex each index has its own failure budget: a pod carries its index's
// failures so far in annotations; a failed pod whose count has reached the limit (or that a
// FailIndex rule matched) fails its index for good. A failed pod is kept, finalizer and all, until
// its replacement exists, because the replacement's counter is derived from it.
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { podFailureBackoffMs } from './backoff-record.js';
import {
  indexAbsoluteFailureCount, indexesOf, indexFailureCount, indexIgnoredFailureCount, validIndexOf,
} from './completion-index.js';
import { hasIndex, parseIndexIntervals, withIndexes, type IndexIntervals } from './index-intervals.js';
import { isPodFailedForJob, podFinishedTime } from './job-pod-states.js';
import { indexedCompletions } from './job-spec.js';
import { trackedPodsWhere, type JobSyncContext } from './job-sync-context.js';
import type { JobObject } from './job-types.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import { hasTrackingFinalizer } from './tracking-finalizer.js';

export function calculateSucceededIndexes(job: JobObject, pods: readonly Pod[]): { previous: IndexIntervals; current: IndexIntervals } {
  const completions = indexedCompletions(job);
  const previous = parseIndexIntervals(job.status?.completedIndexes, completions);
  const fresh = pods
    .filter((pod) => pod.status?.phase === 'Succeeded' && hasTrackingFinalizer(pod))
    .map((pod) => validIndexOf(pod, completions))
    .filter((index): index is number => index !== undefined);
  return { previous, current: withIndexes(previous, fresh) };
}

/** status.failedIndexes plus the indexes of not-yet-counted pods that failed their index. */
export function calculateFailedIndexes(job: JobObject, pods: readonly Pod[]): IndexIntervals {
  const completions = indexedCompletions(job);
  const previous = parseIndexIntervals(job.status?.failedIndexes, completions);
  const fresh = pods
    .filter((pod) => hasTrackingFinalizer(pod) && isIndexFailed(job, pod))
    .map((pod) => validIndexOf(pod, completions))
    .filter((index): index is number => index !== undefined);
  return withIndexes(previous, fresh);
}

/**
 * A failed pod fails its index when a FailIndex rule matches it, or when its failure counts and
 * its index had already failed backoffLimitPerIndex times before it. Example: backoffLimitPerIndex
 * 1; the first pod of index 2 fails (count annotation 0) -> replaced with count 1; that one fails
 * too (1 >= 1) -> index 2 failed.
 */
function isIndexFailed(job: JobObject, pod: Pod): boolean {
  if (!isPodFailedForJob(pod, job)) return false;
  const match = matchPodFailurePolicy(job.spec?.podFailurePolicy, pod);
  if (match.action === 'FailIndex') return true;
  return match.countFailed && indexFailureCount(pod) >= (job.spec?.backoffLimitPerIndex ?? 0);
}

/**
 * Per index without an active pod, succeeded or failed status: the newest failed pod (most
 * failures, finished last), whose finalizer stays until its replacement is created
 * (upstream: getPodsWithDelayedDeletionPerIndex).
 */
export function podsWithDelayedDeletionPerIndex(ctx: JobSyncContext): Map<number, Pod> {
  const completions = indexedCompletions(ctx.job);
  const activeIndexes = indexesOf(ctx.activePods);
  const result = new Map<number, Pod>();
  for (const pod of trackedPodsWhere(ctx, new Set(), (p) => isPodFailedForJob(p, ctx.job))) {
    const index = validIndexOf(pod, completions);
    if (index === undefined || activeIndexes.has(index)) continue;
    if (hasIndex(ctx.succeededIndexes, index) || hasIndex(ctx.failedIndexes ?? [], index)) continue;
    const kept = result.get(index);
    if (kept === undefined || (indexAbsoluteFailureCount(kept) <= indexAbsoluteFailureCount(pod) && podFinishedTime(pod) >= podFinishedTime(kept))) {
      result.set(index, pod);
    }
  }
  return result;
}

/** The failure counts a replacement of `replacing` starts with: its counts plus its own failure. */
export function replacementFailureCounts(job: JobObject, replacing: Pod | undefined): { failed: number; ignored: number } {
  if (replacing === undefined) return { failed: 0, ignored: 0 };
  const failed = indexFailureCount(replacing);
  const ignored = indexIgnoredFailureCount(replacing);
  return matchPodFailurePolicy(job.spec?.podFailurePolicy, replacing).countFailed ? { failed: failed + 1, ignored } : { failed, ignored: ignored + 1 };
}

/**
 * How long the replacement for an index must wait, from its last failed pod: the same doubling
 * as the Job-wide backoff, counted over the index's failures (ignored ones included).
 */
export function remainingIndexBackoffMs(lastFailed: Pod | undefined, now: Date): number {
  if (lastFailed === undefined) return 0;
  const failures = indexAbsoluteFailureCount(lastFailed) + 1;
  const elapsed = now.getTime() - podFinishedTime(lastFailed);
  return Math.max(0, podFailureBackoffMs(failures) - elapsed);
}
