// What one reconcile pass knows about a Job (upstream: syncJobCtx). Built at the start of the pass
// from the caches, then refined as the pass decides; the helpers below read it.
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import type { BackoffRecord } from './backoff-record.js';
import { validIndexOf } from './completion-index.js';
import type { IndexIntervals } from './index-intervals.js';
import { isPodFailedForJob } from './job-pod-states.js';
import { indexedCompletions, isIndexed } from './job-spec.js';
import type { JobCondition, JobObject } from './job-types.js';
import { hasTrackingFinalizer } from './tracking-finalizer.js';

export interface UncountedUids {
  readonly succeeded: ReadonlySet<string>;
  readonly failed: ReadonlySet<string>;
}

export interface JobSyncContext {
  readonly key: string;
  /** The working copy: a private clone of the cached Job, replaced by the server's answer after each status write. */
  job: JobObject;
  /** Every pod the Job owns after claiming, finished and terminating ones included. */
  readonly pods: readonly Pod[];
  /** Owned pods neither terminal nor being deleted. */
  readonly activePods: readonly Pod[];
  /** status.uncountedTerminatedPods as read at the start of the pass. */
  readonly uncounted: UncountedUids;
  /** Pods whose finalizer a previous pass removed (and counted) that the cache may not show yet. */
  readonly expectedRemovals: ReadonlySet<string>;
  /** Succeeded pods so far, counted and not yet counted (for Indexed: succeeded indexes). */
  succeeded: number;
  /** Failed pods so far that count against backoffLimit, counted and not yet counted. */
  failed: number;
  ready: number;
  terminating: number;
  /** Indexed only: status.completedIndexes as read, and with this pass's new successes. */
  prevSucceededIndexes: IndexIntervals;
  succeededIndexes: IndexIntervals;
  /** Indexed with backoffLimitPerIndex only: failed indexes, counted and new. */
  failedIndexes: IndexIntervals | undefined;
  /** backoffLimitPerIndex: per index, the failed pod kept (with its finalizer) until its replacement exists. */
  podsWithDelayedDeletionPerIndex: ReadonlyMap<number, Pod>;
  /** The backoff record including this pass's newly finished pods, stored once status is written. */
  newBackoffRecord: BackoffRecord;
  /** The outcome decided so far: SuccessCriteriaMet/Complete or FailureTarget/Failed. */
  finishedCondition: JobCondition | undefined;
}

/**
 * Pods still carrying the tracking finalizer, not yet counted (not in `uncounted`, not expected to
 * lose the finalizer) and, for an Indexed Job, with a valid index (upstream: getValidPodsWithFilter).
 */
export function trackedPodsWhere(ctx: JobSyncContext, uncounted: ReadonlySet<string>, filter: (pod: Pod) => boolean): Pod[] {
  const completions = indexedCompletions(ctx.job);
  return ctx.pods.filter((pod) => {
    const uid = pod.metadata?.uid ?? '';
    if (!hasTrackingFinalizer(pod) || uncounted.has(uid) || ctx.expectedRemovals.has(uid)) return false;
    if (isIndexed(ctx.job) && validIndexOf(pod, completions) === undefined) return false;
    return filter(pod);
  });
}

/** Pods that finished since status last counted them (upstream: getNewFinishedPods). */
export function newFinishedPods(ctx: JobSyncContext): { readonly succeeded: Pod[]; readonly failed: Pod[] } {
  return {
    succeeded: trackedPodsWhere(ctx, ctx.uncounted.succeeded, (pod) => pod.status?.phase === 'Succeeded'),
    failed: trackedPodsWhere(ctx, ctx.uncounted.failed, (pod) => isPodFailedForJob(pod, ctx.job)),
  };
}
