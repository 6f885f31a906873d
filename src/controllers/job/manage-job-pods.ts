// Creating and deleting pods so a running Job has the active pods it should (upstream: manageJob).
//
// How many pods should be active:
//   - suspended: none (all are deleted);
//   - completions unset (a work queue): parallelism until the first success, then no new ones;
//   - otherwise: the completions still missing, at most parallelism.
// Example: completions 5, parallelism 2, 4 succeeded -> 1 active wanted.
//
// A pass either deletes or creates, never both. Creations wait out the failure backoff
// (backoff-record.ts) and, with podReplacementPolicy Failed (or a podFailurePolicy), for
// terminating pods to be gone: completions 3, parallelism 3, 1 active, 1 terminating -> create 1
// (with TerminatingOrFailed: 2). Pods are created in slow-start batches of 1, 2, 4, ..., at most 500
// per pass; an Indexed Job's pods take the lowest indexes that are neither active nor succeeded
// (nor terminating, when only failed pods are replaced; nor failed, with backoffLimitPerIndex).
import type { Clock } from '../../lib/clock.js';
import type { Expectations } from '../framework/expectations.js';
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { slowStartBatch } from '../framework/slow-start-batch.js';
import { asError } from './as-error.js';
import { remainingBackoffMs } from './backoff-record.js';
import { indexesOf } from './completion-index.js';
import { firstFreeIndexes, mergeIndexIntervals, withIndexes } from './index-intervals.js';
import { remainingIndexBackoffMs, replacementFailureCounts } from './indexed-job-tracking.js';
import type { JobPodControl } from './job-pod-control.js';
import { isPodTerminating } from './job-pod-states.js';
import { podForJob, type IndexAssignment } from './job-pod-template.js';
import { hasBackoffLimitPerIndex, indexedCompletions, isIndexed, isSuspended, onlyReplaceFailedPods, parallelismOf } from './job-spec.js';
import type { JobSyncContext } from './job-sync-context.js';
import { activePodsForRemoval } from './pods-for-removal.js';

/** Upstream's MaxPodCreateDeletePerSync. */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
/** Upstream's SlowStartInitialBatchSize. */
const SLOW_START_INITIAL_BATCH = 1;

export interface ManageDeps {
  readonly control: JobPodControl;
  readonly expectations: Expectations;
  readonly clock: Clock;
}

export interface ManageResult {
  /** Active pods after this pass's creates and deletes. */
  readonly active: number;
  /** Creation is held back (failure backoff): look again after this many ms. */
  readonly retryAfterMs?: number;
  /** The first failed create or delete; the pass still writes status, then fails. */
  readonly error?: Error;
}

export async function manageJobPods(ctx: JobSyncContext, deps: ManageDeps): Promise<ManageResult> {
  const job = ctx.job;
  const active = ctx.activePods.length;
  if (isSuspended(job)) return deleteUnwanted(ctx, deps, activePodsForRemoval(job, ctx.activePods, active));

  const wanted = wantedActive(ctx);
  const surplus = activePodsForRemoval(job, ctx.activePods, Math.max(0, active - wanted)).slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
  if (surplus.length > 0) return deleteUnwanted(ctx, deps, surplus);

  const terminating = onlyReplaceFailedPods(job) ? ctx.terminating : 0;
  const missing = Math.min(wanted - terminating - active, MAX_POD_CREATE_DELETE_PER_SYNC);
  if (missing <= 0) return { active };

  const now = deps.clock.now();
  if (!hasBackoffLimitPerIndex(job)) {
    const wait = remainingBackoffMs(ctx.newBackoffRecord.failuresAfterLastSuccess, ctx.newBackoffRecord.lastFailureTime, now);
    // Upstream reports 0 active while it waits here; the pods that are running are still active.
    if (wait > 0) return { active, retryAfterMs: wait };
  }
  let assignments: (IndexAssignment | undefined)[] = Array.from({ length: missing }, () => undefined);
  if (isIndexed(job)) {
    const planned = planIndexes(ctx, missing, now);
    if (planned.retryAfterMs !== undefined) return { active, retryAfterMs: planned.retryAfterMs };
    assignments = planned.assignments;
  }
  return createPods(ctx, deps, assignments);
}

function wantedActive(ctx: JobSyncContext): number {
  const parallelism = parallelismOf(ctx.job);
  const completions = ctx.job.spec?.completions;
  if (completions === undefined) return ctx.succeeded > 0 ? ctx.activePods.length : parallelism;
  return Math.max(0, Math.min(completions - ctx.succeeded, parallelism));
}

async function deleteUnwanted(ctx: JobSyncContext, deps: ManageDeps, pods: readonly Pod[]): Promise<ManageResult> {
  deps.expectations.expectDeletions(ctx.key, pods.map((p) => p.metadata?.uid ?? ''));
  const result = await deps.control.deleteUnwantedPods(ctx.job, ctx.key, pods, deps.expectations);
  ctx.terminating += result.deleted;
  ctx.ready -= result.deletedReady;
  return { active: ctx.activePods.length - result.deleted, ...(result.error !== undefined ? { error: result.error } : {}) };
}

/**
 * The indexes to create pods for. With backoffLimitPerIndex an index whose last pod failed waits
 * out its own backoff; when none is ready, the soonest wait is returned instead.
 */
function planIndexes(ctx: JobSyncContext, count: number, now: Date): { assignments: IndexAssignment[]; retryAfterMs?: number } {
  const job = ctx.job;
  let taken = withIndexes(ctx.succeededIndexes, indexesOf(ctx.activePods));
  if (onlyReplaceFailedPods(job)) taken = withIndexes(taken, indexesOf(ctx.pods.filter(isPodTerminating)));
  if (ctx.failedIndexes !== undefined) taken = mergeIndexIntervals(taken, ctx.failedIndexes);
  const indexes = firstFreeIndexes(taken, count, indexedCompletions(job));
  if (!hasBackoffLimitPerIndex(job)) return { assignments: indexes.map((index) => ({ index })) };

  const ready: IndexAssignment[] = [];
  let soonest: number | undefined;
  for (const index of indexes) {
    const lastFailed = ctx.podsWithDelayedDeletionPerIndex.get(index);
    const wait = remainingIndexBackoffMs(lastFailed, now);
    if (wait === 0) ready.push({ index, failureCounts: replacementFailureCounts(job, lastFailed) });
    else soonest = Math.min(soonest ?? wait, wait);
  }
  return ready.length === 0 && soonest !== undefined ? { assignments: [], retryAfterMs: soonest } : { assignments: ready };
}

async function createPods(ctx: JobSyncContext, deps: ManageDeps, assignments: readonly (IndexAssignment | undefined)[]): Promise<ManageResult> {
  const count = assignments.length;
  // Expect all creates before sending any: the informer may see a pod before create() returns.
  deps.expectations.expectCreations(ctx.key, count);
  const result = await slowStartBatch(count, SLOW_START_INITIAL_BATCH, async (i) => {
    await deps.control.create(ctx.job, podForJob(ctx.job, assignments[i]));
  });
  // Creates that failed or never started will never be observed: stop waiting for them.
  for (let i = result.successes; i < count; i++) deps.expectations.creationObserved(ctx.key);
  return { active: ctx.activePods.length + result.successes, ...(result.failed ? { error: asError(result.error) } : {}) };
}
