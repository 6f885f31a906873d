// Counting finished pods into the Job's status without losing or double-counting any
// (upstream: trackJobStatusAndRemoveFinalizers and flushUncountedAndRemoveFinalizers).
//
// A finished pod is recorded in two steps, each a status write with the resourceVersion read:
//   1. its uid goes to status.uncountedTerminatedPods.succeeded/failed (an Indexed Job's success
//      goes straight to completedIndexes instead), then the pod's tracking finalizer is removed;
//   2. uids whose pod no longer has the finalizer move from that list into the counters.
// Worked example, completions 2: pods A and B succeed. Pass 1 writes uncounted.succeeded=[A,B],
// removes both finalizers, writes succeeded=2 with the list empty. Had the process died after the
// removals but before that last write, the next pass would find A and B listed without
// finalizers (or gone) and finish step 2: succeeded=2, not 0 and not 4. A pod keeps its finalizer
// until its uid is written, so it cannot vanish uncounted; a listed uid is never added twice.
//
// Then the terminal condition: the interim SuccessCriteriaMet/FailureTarget is written with step 1;
// Complete/Failed only once nothing is uncounted and no pod is terminating, with completionTime
// for Complete, and the Event (Completed "Job completed", or the failure reason and message).
import type { UncountedTerminatedPods } from 'kubernetes-types/batch/v1.js';
import type { EventRecorder } from '../../client/events/event-recorder.js';
import type { Clock } from '../../lib/clock.js';
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { asError } from './as-error.js';
import type { BackoffStore } from './backoff-record.js';
import { byCompletionIndex, completionIndexOf, validIndexOf } from './completion-index.js';
import type { FinalizerRemovalExpectations } from './finalizer-expectations.js';
import { formatIndexIntervals, hasIndex, totalIndexes, withIndexes } from './index-intervals.js';
import {
  ensureConditionStatus, hasTrueCondition, JOB_COMPLETE, JOB_FAILED, JOB_FAILURE_TARGET, JOB_SUCCESS_CRITERIA_MET, newCondition,
} from './job-conditions.js';
import { isPodFailedForJob } from './job-pod-states.js';
import { hasBackoffLimitPerIndex, indexedCompletions, isIndexed } from './job-spec.js';
import type { JobSyncContext } from './job-sync-context.js';
import type { JobCondition, JobObject, JobStatus } from './job-types.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import { hasTrackingFinalizer } from './tracking-finalizer.js';

/** Upstream's MaxUncountedPods: keeps the uid lists (and one pass's finalizer removals) bounded. */
export const MAX_UNCOUNTED_PODS = 500;

export interface StatusTrackerDeps {
  readonly clock: Clock;
  readonly recorder: EventRecorder;
  readonly backoffStore: BackoffStore;
  readonly finalizerExpectations: FinalizerRemovalExpectations;
  /** Writes the Job's status (status subresource, with its resourceVersion) and returns the server's Job. */
  writeStatus(job: JobObject): Promise<JobObject>;
  removeFinalizer(pod: Pod): Promise<void>;
}

/** `needsFlush`: the caller already changed status (active, ready, a suspend condition...). */
export async function trackStatusAndRemoveFinalizers(ctx: JobSyncContext, deps: StatusTrackerDeps, needsFlush: boolean): Promise<void> {
  const status = statusOf(ctx.job);
  const isTracked = (pod: Pod): boolean => hasTrackingFinalizer(pod) && !ctx.expectedRemovals.has(pod.metadata?.uid ?? '');
  const uidsWithFinalizer = new Set(ctx.pods.filter(isTracked).map((p) => p.metadata?.uid ?? ''));
  let flush = countUncountedWithoutFinalizer(status, uidsWithFinalizer) || needsFlush;
  const recorded = recordFinishedPods(ctx, status, isTracked);
  flush ||= recorded.changed;
  if (isIndexed(ctx.job)) flush = recordIndexes(ctx, status, recorded.newSucceededIndexes) || flush;
  flush = addInterimCondition(ctx, status, deps.clock.now()) || flush;

  flush = await flushAndRemoveFinalizers(ctx, deps, recorded.toRelease, uidsWithFinalizer, flush);
  const finished = !recorded.reachedMaxUncounted && enactJobFinished(ctx, deps.clock.now());
  if (!finished && !flush) return;
  ctx.job = await deps.writeStatus(ctx.job);
  if (finished && ctx.finishedCondition !== undefined) recordJobFinished(ctx.job, ctx.finishedCondition, deps.recorder);
}

interface RecordedPods {
  /** Pods whose finalizer may now be removed. */
  readonly toRelease: Pod[];
  /** Indexed: indexes that newly succeeded. */
  readonly newSucceededIndexes: number[];
  /** uids were added to status.uncountedTerminatedPods. */
  readonly changed: boolean;
  /** MAX_UNCOUNTED_PODS reached: the rest waits for the next pass (our status write requeues the Job). */
  readonly reachedMaxUncounted: boolean;
}

/** Step 1 (in memory): finished pods into status.uncountedTerminatedPods, and which pods to release. */
function recordFinishedPods(ctx: JobSyncContext, status: JobStatus, isTracked: (pod: Pod) => boolean): RecordedPods {
  const job = ctx.job;
  const uncounted = uncountedOf(status);
  const indexed = isIndexed(job);
  const completions = indexedCompletions(job);
  const result = { toRelease: [] as Pod[], newSucceededIndexes: [] as number[], changed: false, reachedMaxUncounted: false };
  const failureDecided = ctx.finishedCondition !== undefined && !isSuccessCriteriaMet(ctx.finishedCondition);
  // An Indexed Job's pods in index order, so its indexes are recorded in order.
  for (const pod of indexed ? [...ctx.pods].sort(byCompletionIndex) : ctx.pods) {
    if (!isTracked(pod)) continue;
    const uid = pod.metadata?.uid ?? '';
    const failed = isPodFailedForJob(pod, job);
    if (!canRemoveFinalizer(ctx, pod, failed)) continue;
    result.toRelease.push(pod);
    if (pod.status?.phase === 'Succeeded' && !ctx.uncounted.failed.has(uid)) {
      if (indexed) {
        // The index itself records the success: no uid needed.
        const index = validIndexOf(pod, completions);
        if (index !== undefined && !hasIndex(ctx.prevSucceededIndexes, index)) result.newSucceededIndexes.push(index);
      } else if (!ctx.uncounted.succeeded.has(uid)) {
        (uncounted.succeeded ??= []).push(uid);
        result.changed = true;
      }
    } else if (failed || failureDecided) {
      // Once the Job has failed, every pod that did not succeed counts as failed.
      const index = completionIndexOf(pod);
      const countable = !indexed || (index !== undefined && index < completions);
      if (!ctx.uncounted.failed.has(uid) && countable && matchPodFailurePolicy(job.spec?.podFailurePolicy, pod).countFailed) {
        (uncounted.failed ??= []).push(uid);
        result.changed = true;
      }
    }
    if (result.newSucceededIndexes.length + (uncounted.succeeded?.length ?? 0) + (uncounted.failed?.length ?? 0) >= MAX_UNCOUNTED_PODS) {
      result.reachedMaxUncounted = true;
      break;
    }
  }
  return result;
}

function statusOf(job: JobObject): JobStatus {
  return (job.status ??= {});
}

function uncountedOf(status: JobStatus): UncountedTerminatedPods {
  return (status.uncountedTerminatedPods ??= {});
}

function isSuccessCriteriaMet(condition: JobCondition | undefined): boolean {
  return condition?.type === JOB_SUCCESS_CRITERIA_MET && condition.status === 'True';
}

/**
 * The finalizer may go when the Job is being deleted or its outcome is decided, when the pod
 * succeeded, or when it failed, unless backoffLimitPerIndex keeps it until the index's
 * replacement exists (upstream: canRemoveFinalizer).
 */
function canRemoveFinalizer(ctx: JobSyncContext, pod: Pod, failed: boolean): boolean {
  if (ctx.job.metadata?.deletionTimestamp !== undefined || ctx.finishedCondition !== undefined || pod.status?.phase === 'Succeeded') return true;
  if (!failed) return false;
  if (hasBackoffLimitPerIndex(ctx.job)) {
    const index = completionIndexOf(pod);
    const kept = index === undefined ? undefined : ctx.podsWithDelayedDeletionPerIndex.get(index);
    if (kept !== undefined && kept.metadata?.uid === pod.metadata?.uid) return false;
  }
  return true;
}

/** Step 2: uids whose pod lost its finalizer (or is gone) move into the counters. Returns whether anything moved. */
function countUncountedWithoutFinalizer(status: JobStatus, uidsWithFinalizer: ReadonlySet<string>): boolean {
  const uncounted = uncountedOf(status);
  const succeeded = uncounted.succeeded ?? [];
  const failed = uncounted.failed ?? [];
  const stillSucceeded = succeeded.filter((uid) => uidsWithFinalizer.has(uid));
  const stillFailed = failed.filter((uid) => uidsWithFinalizer.has(uid));
  if (stillSucceeded.length === succeeded.length && stillFailed.length === failed.length) return false;
  status.succeeded = (status.succeeded ?? 0) + succeeded.length - stillSucceeded.length;
  status.failed = (status.failed ?? 0) + failed.length - stillFailed.length;
  uncounted.succeeded = stillSucceeded;
  uncounted.failed = stillFailed;
  return true;
}

/** completedIndexes/succeeded (and failedIndexes) from the indexes; returns whether they changed. */
function recordIndexes(ctx: JobSyncContext, status: JobStatus, newSucceededIndexes: readonly number[]): boolean {
  ctx.succeededIndexes = withIndexes(ctx.succeededIndexes, newSucceededIndexes);
  const completed = formatIndexIntervals(ctx.succeededIndexes);
  let changed = completed !== (status.completedIndexes ?? '');
  status.completedIndexes = completed;
  status.succeeded = totalIndexes(ctx.succeededIndexes);
  const failedIndexes = ctx.failedIndexes === undefined ? undefined : formatIndexIntervals(ctx.failedIndexes);
  if (failedIndexes !== status.failedIndexes) {
    if (failedIndexes === undefined) delete status.failedIndexes;
    else status.failedIndexes = failedIndexes;
    changed = true;
  }
  return changed;
}

/**
 * Writes the interim condition with step 1 and turns the decision into the final condition to add
 * later: FailureTarget -> Failed, SuccessCriteriaMet -> Complete (same reason and message).
 */
function addInterimCondition(ctx: JobSyncContext, status: JobStatus, now: Date): boolean {
  const decided = ctx.finishedCondition;
  if (decided === undefined) return false;
  const final = (type: string): JobCondition => newCondition(type, 'True', decided.reason ?? '', decided.message ?? '', now);
  if (decided.type === JOB_FAILURE_TARGET) {
    status.conditions = [...(status.conditions ?? []), decided];
    ctx.finishedCondition = final(JOB_FAILED);
    return true;
  }
  if (!isSuccessCriteriaMet(decided)) return false;
  ctx.finishedCondition = final(JOB_COMPLETE);
  if (hasTrueCondition(ctx.job, JOB_SUCCESS_CRITERIA_MET)) return false;
  status.conditions = [...(status.conditions ?? []), decided];
  return true;
}

/**
 * Step 1's write, the finalizer removals, and step 2 for the pods released. Returns whether
 * status still has unwritten changes. A failed removal is retried by the next pass; the progress
 * made is written first.
 */
async function flushAndRemoveFinalizers(
  ctx: JobSyncContext, deps: StatusTrackerDeps, pods: readonly Pod[], uidsWithFinalizer: Set<string>, needsFlush: boolean,
): Promise<boolean> {
  let flush = needsFlush;
  if (flush) {
    ctx.job = await deps.writeStatus(ctx.job);
    deps.backoffStore.set(ctx.key, ctx.newBackoffRecord);
    flush = false;
  }
  const uids = pods.map((p) => p.metadata?.uid ?? '');
  if (uids.length > 0) deps.finalizerExpectations.expectRemovals(ctx.key, uids);
  const results = await Promise.allSettled(pods.map((pod) => deps.removeFinalizer(pod)));
  let removalError: Error | undefined;
  results.forEach((result, i) => {
    const uid = uids[i] ?? '';
    if (result.status === 'fulfilled') {
      uidsWithFinalizer.delete(uid);
      return;
    }
    // No informer event will report this removal: stop expecting it.
    deps.finalizerExpectations.removalObserved(ctx.key, uid);
    removalError ??= asError(result.reason);
  });
  if (countUncountedWithoutFinalizer(statusOf(ctx.job), uidsWithFinalizer)) flush = true;
  if (removalError === undefined) return flush;
  if (flush) ctx.job = await deps.writeStatus(ctx.job);
  throw removalError;
}

/**
 * Adds Complete or Failed once nothing is uncounted and no pod is terminating (1.32 delays the
 * terminal condition until the pods are really gone). Returns whether it did.
 */
function enactJobFinished(ctx: JobSyncContext, now: Date): boolean {
  const decided = ctx.finishedCondition;
  if (decided === undefined) return false;
  const status = statusOf(ctx.job);
  const uncounted = uncountedOf(status);
  if ((uncounted.succeeded?.length ?? 0) + (uncounted.failed?.length ?? 0) > 0) return false;
  if (ctx.terminating > 0) return false;
  status.conditions = ensureConditionStatus(status.conditions, decided.type, 'True', decided.reason ?? '', decided.message ?? '', now).conditions;
  if (decided.type === JOB_COMPLETE && decided.lastTransitionTime !== undefined) status.completionTime = decided.lastTransitionTime;
  return true;
}

function recordJobFinished(job: JobObject, condition: JobCondition, recorder: EventRecorder): void {
  if (condition.type !== JOB_COMPLETE) {
    recorder.event(job, 'Warning', condition.reason ?? '', condition.message ?? '');
    return;
  }
  const completions = job.spec?.completions;
  if (completions !== undefined && (job.status?.succeeded ?? 0) > completions) {
    recorder.event(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
  }
  recorder.event(job, 'Normal', 'Completed', 'Job completed');
}
