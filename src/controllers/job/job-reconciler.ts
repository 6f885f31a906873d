// The Job reconciler (upstream: Controller.syncJob, kube-controller-manager 1.32 with its default
// feature gates). One pass:
//   1. claim the Job's pods (adopt matching orphans, release owned pods that stopped matching);
//   2. count succeeded and failed pods, recorded and not yet recorded; set startTime;
//   3. decide the outcome if there is one (job-outcome.ts);
//   4. outcome decided: delete the remaining active pods. Otherwise create or delete pods toward
//      the wanted number (manage-job-pods.ts), mark the Job complete when enough succeeded, and
//      keep the Suspended condition in step with spec.suspend;
//   5. write active/ready/terminating and count finished pods into status in two steps, removing
//      their tracking finalizers (job-status-tracker.ts), ending with Complete or Failed.
// Waiting (a failure backoff, an active deadline) is a requeue; a failed create/delete or status
// write is thrown after status is written, and retried with backoff.
import { labelSelectorFromObject, type LabelSelectorRequirementSet } from '../../api/selectors/label-selector.js';
import type { EventRecorder } from '../../client/events/event-recorder.js';
import type { Lister } from '../../client/informer/informer.js';
import type { ClientSet, ResourceClient } from '../../client/resource-client.js';
import { JOBS, PODS } from '../../client/resource-types.js';
import type { Clock } from '../../lib/clock.js';
import { ConflictError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { rfc3339 } from '../../lib/rfc3339.js';
import type { Expectations } from '../framework/expectations.js';
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { objectKey, splitObjectKey } from '../framework/object-key.js';
import { isPodActive, isPodReady } from '../framework/pod-utils.js';
import type { ReconcileResult, Reconciler } from '../framework/reconciler.js';
import { asError } from './as-error.js';
import { nextBackoffRecord, type BackoffStore } from './backoff-record.js';
import { claimJobPods } from './claim-job-pods.js';
import type { FinalizerRemovalExpectations } from './finalizer-expectations.js';
import { totalIndexes } from './index-intervals.js';
import { calculateFailedIndexes, calculateSucceededIndexes, podsWithDelayedDeletionPerIndex } from './indexed-job-tracking.js';
import { ensureConditionStatus, isJobFinished, JOB_SUCCESS_CRITERIA_MET, JOB_SUSPENDED, newCondition } from './job-conditions.js';
import { decideOutcome, indexedOutcome, msUntilActiveDeadline } from './job-outcome.js';
import { JobPodControl } from './job-pod-control.js';
import { isPodTerminating } from './job-pod-states.js';
import { externalManager, hasBackoffLimitPerIndex, isIndexed, isSuspended } from './job-spec.js';
import { trackStatusAndRemoveFinalizers } from './job-status-tracker.js';
import { newFinishedPods, type JobSyncContext } from './job-sync-context.js';
import type { JobObject, JobStatus } from './job-types.js';
import { manageJobPods } from './manage-job-pods.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import { removeTrackingFinalizer } from './tracking-finalizer.js';

/** Upstream's syncJobBatchPeriod: the least delay of a requeue (and of pod-event syncs, see the controller). */
export const SYNC_JOB_BATCH_PERIOD_MS = 1000;

export interface JobReconcilerOptions {
  readonly clients: ClientSet;
  readonly pods: Lister<Pod>;
  readonly jobs: Lister<JobObject>;
  readonly expectations: Expectations;
  readonly finalizerExpectations: FinalizerRemovalExpectations;
  readonly backoffStore: BackoffStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly recorder: EventRecorder;
}

/** What acting on the pods did, for status. */
interface PassStep {
  /** Active pods after this pass's creates and deletes. */
  readonly active: number;
  /** The Suspended condition changed. */
  readonly conditionsChanged: boolean;
  /** A create or delete failed: thrown once status is written. */
  readonly error?: Error;
  /** Pod creation waits out a failure backoff. */
  readonly retryAfterMs?: number;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class JobReconciler implements Reconciler {
  readonly name = 'job';
  private readonly options: JobReconcilerOptions;
  private readonly podClient: ResourceClient<Pod>;
  private readonly jobClient: ResourceClient<JobObject>;
  private readonly control: JobPodControl;

  constructor(options: JobReconcilerOptions) {
    this.options = options;
    this.podClient = options.clients.resource<Pod>(PODS);
    this.jobClient = options.clients.resource<JobObject>(JOBS);
    this.control = new JobPodControl({ pods: this.podClient, recorder: options.recorder });
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const target = this.jobToSync(key);
    if (target === undefined) return;
    const { job, selector } = target;
    const { expectations, clock } = this.options;
    // Read before listing pods: an expectation fulfilled after this only makes the list fresher.
    const satisfied = expectations.satisfied(key);
    const ctx = this.newContext(key, job, await this.claimPods(job, selector));
    const now = clock.now();
    const status: JobStatus = (job.status ??= {});
    if (status.startTime === undefined && !isSuspended(job)) status.startTime = rfc3339(now);

    ctx.finishedCondition = decideOutcome(ctx, now);
    if (isIndexed(job)) {
      this.countIndexes(ctx);
      ctx.finishedCondition ??= indexedOutcome(ctx, now);
    }
    const step = ctx.finishedCondition !== undefined ? await this.stopActivePods(ctx, satisfied) : await this.runPods(ctx, satisfied, now);

    const needsFlush = step.conditionsChanged || step.active !== (status.active ?? 0) || ctx.ready !== status.ready || ctx.terminating !== status.terminating;
    status.active = step.active;
    status.ready = ctx.ready;
    status.terminating = ctx.terminating;
    await trackStatusAndRemoveFinalizers(ctx, {
      clock,
      recorder: this.options.recorder,
      backoffStore: this.options.backoffStore,
      finalizerExpectations: this.options.finalizerExpectations,
      writeStatus: (j) => this.writeStatus(j),
      removeFinalizer: (pod) => removeTrackingFinalizer(this.podClient, pod),
    }, needsFlush);
    if (step.error !== undefined) throw step.error;
    // A running Job with a deadline looks again when it passes, counted from startTime as this
    // pass left it (a resume restarts it).
    const deadlineInMs = ctx.finishedCondition === undefined ? msUntilActiveDeadline(job, now) : undefined;
    const requeueAfterMs = Math.min(step.retryAfterMs ?? Infinity, Math.max(deadlineInMs ?? Infinity, 0));
    return Number.isFinite(requeueAfterMs) ? { requeueAfterMs } : undefined;
  }

  /**
   * The working copy of the Job `key` names and its selector, or undefined when there is nothing
   * to do: the Job is gone (its records are dropped), managed elsewhere, finished, or unusable.
   */
  private jobToSync(key: string): { job: JobObject; selector: LabelSelectorRequirementSet } | undefined {
    const { namespace, name } = splitObjectKey(key);
    const { recorder } = this.options;
    const cached = this.options.jobs.get(namespace, name);
    if (cached === undefined) {
      this.forget(key);
      return undefined;
    }
    if (externalManager(cached) !== undefined) return undefined;
    if (isJobFinished(cached)) {
      this.options.backoffStore.remove(key);
      return undefined;
    }
    const mode = cached.spec?.completionMode;
    if (mode !== undefined && mode !== 'NonIndexed' && mode !== 'Indexed') {
      recorder.event(cached, 'Warning', 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown');
      return undefined;
    }
    try {
      const selector = labelSelectorFromObject(cached.spec?.selector);
      const job: JobObject = structuredClone(cached);
      (job.status ??= {}).uncountedTerminatedPods ??= {};
      return { job, selector };
    } catch (error) {
      // Validation keeps this out; if it gets in, retrying cannot help.
      recorder.event(cached, 'Warning', 'InvalidSelector', `invalid selector: ${errorMessage(error)}`);
      return undefined;
    }
  }

  /**
   * The outcome is decided: delete the remaining active pods. The outcome is declared only once
   * every one of them is going and the cache holds every pod we created; until then the pass
   * counts what finished and tries again.
   */
  private async stopActivePods(ctx: JobSyncContext, satisfied: boolean): Promise<PassStep> {
    const deletion = await this.control.deleteFinishedJobPods(ctx.job, ctx.activePods);
    if (deletion.deleted !== ctx.activePods.length || !satisfied) ctx.finishedCondition = undefined;
    ctx.terminating += deletion.deleted;
    ctx.ready -= deletion.deletedReady;
    return { active: ctx.activePods.length - deletion.deleted, conditionsChanged: false, ...(deletion.error !== undefined ? { error: deletion.error } : {}) };
  }

  /**
   * The Job runs: create or delete pods toward the wanted number (unless pods we asked for are
   * not in the cache yet, or the Job is being deleted), then see whether enough succeeded, else
   * keep the Suspended condition in step with spec.suspend.
   */
  private async runPods(ctx: JobSyncContext, satisfied: boolean, now: Date): Promise<PassStep> {
    let step: PassStep = { active: ctx.activePods.length, conditionsChanged: false };
    const managed = satisfied && ctx.job.metadata?.deletionTimestamp === undefined;
    if (managed) {
      const result = await manageJobPods(ctx, { control: this.control, expectations: this.options.expectations, clock: this.options.clock });
      step = {
        ...step,
        active: result.active,
        ...(result.error !== undefined ? { error: result.error } : {}),
        // Never sooner than the batching period (upstream: enqueueSyncJobWithDelay).
        ...(result.retryAfterMs !== undefined ? { retryAfterMs: Math.max(result.retryAfterMs, SYNC_JOB_BATCH_PERIOD_MS) } : {}),
      };
    }
    if (reachedCompletions(ctx, step.active)) {
      ctx.finishedCondition = newCondition(JOB_SUCCESS_CRITERIA_MET, 'True', '', '', now);
      return step;
    }
    // Conditions and their Events follow only a pass that managed pods.
    return managed ? { ...step, conditionsChanged: this.syncSuspendedCondition(ctx.job, now) } : step;
  }

  private forget(key: string): void {
    this.options.expectations.delete(key);
    this.options.finalizerExpectations.delete(key);
    this.options.backoffStore.remove(key);
  }

  /** The Job's pods (every pod of its namespace is a candidate: owned pods may no longer match). */
  private async claimPods(job: JobObject, selector: LabelSelectorRequirementSet): Promise<Pod[]> {
    const namespace = job.metadata?.namespace;
    const candidates = this.options.pods.list(namespace === undefined ? {} : { namespace });
    const { claimed, errors } = await claimJobPods(candidates, { job, selector, pods: this.podClient, canAdopt: () => this.canAdopt(job) });
    if (errors.length > 0) throw asError(errors[0]);
    return claimed;
  }

  /** Upstream's RecheckDeletionTimestamp: adopt only if the live Job is this one and not deleting. */
  private async canAdopt(job: JobObject): Promise<void> {
    const fresh = await this.jobClient.get(job.metadata?.namespace, job.metadata?.name ?? '');
    if (fresh.metadata?.uid !== job.metadata?.uid) {
      throw new ConflictError(`original Job ${objectKey(job)} is gone: got uid ${fresh.metadata?.uid ?? ''}, wanted ${job.metadata?.uid ?? ''}`);
    }
    if (fresh.metadata?.deletionTimestamp !== undefined) {
      throw new ConflictError(`Job ${objectKey(job)} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
    }
  }

  private newContext(key: string, job: JobObject, pods: Pod[]): JobSyncContext {
    const activePods = pods.filter(isPodActive);
    const uncounted = job.status?.uncountedTerminatedPods;
    const ctx: JobSyncContext = {
      key,
      job,
      pods,
      activePods,
      uncounted: { succeeded: new Set(uncounted?.succeeded ?? []), failed: new Set(uncounted?.failed ?? []) },
      expectedRemovals: this.options.finalizerExpectations.expected(key),
      succeeded: 0,
      failed: 0,
      ready: activePods.filter(isPodReady).length,
      terminating: pods.filter(isPodTerminating).length,
      prevSucceededIndexes: [],
      succeededIndexes: [],
      failedIndexes: undefined,
      podsWithDelayedDeletionPerIndex: new Map(),
      newBackoffRecord: this.options.backoffStore.get(key),
      finishedCondition: undefined,
    };
    const fresh = newFinishedPods(ctx);
    // Failures an Ignore rule of the podFailurePolicy matched do not count against backoffLimit.
    const countedFailures = fresh.failed.filter((pod) => matchPodFailurePolicy(job.spec?.podFailurePolicy, pod).countFailed).length;
    ctx.succeeded = (job.status?.succeeded ?? 0) + fresh.succeeded.length + ctx.uncounted.succeeded.size;
    ctx.failed = (job.status?.failed ?? 0) + countedFailures + ctx.uncounted.failed.size;
    ctx.newBackoffRecord = nextBackoffRecord(ctx.newBackoffRecord, fresh.succeeded, fresh.failed);
    return ctx;
  }

  /** An Indexed Job counts indexes, not pods. */
  private countIndexes(ctx: JobSyncContext): void {
    const { previous, current } = calculateSucceededIndexes(ctx.job, ctx.pods);
    ctx.prevSucceededIndexes = previous;
    ctx.succeededIndexes = current;
    ctx.succeeded = totalIndexes(current);
    if (hasBackoffLimitPerIndex(ctx.job)) {
      ctx.failedIndexes = calculateFailedIndexes(ctx.job, ctx.pods);
      ctx.podsWithDelayedDeletionPerIndex = podsWithDelayedDeletionPerIndex(ctx);
    }
  }

  /**
   * Suspended=True (JobSuspended) while spec.suspend, False (JobResumed) after a resume, with the
   * Events Suspended/Resumed. A resume restarts startTime: activeDeadlineSeconds counts the time a
   * Job is continuously active. Returns whether the condition changed.
   */
  private syncSuspendedCondition(job: JobObject, now: Date): boolean {
    const status: JobStatus = (job.status ??= {});
    const suspended = isSuspended(job);
    const { conditions, changed } = suspended
      ? ensureConditionStatus(status.conditions, JOB_SUSPENDED, 'True', 'JobSuspended', 'Job suspended', now)
      : ensureConditionStatus(status.conditions, JOB_SUSPENDED, 'False', 'JobResumed', 'Job resumed', now);
    if (!changed) return false;
    status.conditions = conditions;
    if (suspended) {
      this.options.recorder.event(job, 'Normal', 'Suspended', 'Job suspended');
    } else {
      this.options.recorder.event(job, 'Normal', 'Resumed', 'Job resumed');
      status.startTime = rfc3339(now);
    }
    return true;
  }

  /** PUT status with the resourceVersion read; zero counters are left out as upstream's JSON omits them. */
  private async writeStatus(job: JobObject): Promise<JobObject> {
    return this.jobClient.updateStatus(job.metadata?.namespace, { ...job, status: statusForWrite(job.status ?? {}) });
  }
}

/**
 * Enough pods succeeded and none is active. Without completions (a work queue) the first success
 * is enough once the remaining pods have finished; with completions, that many successes.
 */
function reachedCompletions(ctx: JobSyncContext, active: number): boolean {
  if (active !== 0) return false;
  const completions = ctx.job.spec?.completions;
  return completions === undefined ? ctx.succeeded > 0 : ctx.succeeded >= completions;
}

function statusForWrite(status: JobStatus): JobStatus {
  const out: JobStatus = { ...status };
  if (!out.active) delete out.active;
  if (!out.succeeded) delete out.succeeded;
  if (!out.failed) delete out.failed;
  if (!out.completedIndexes) delete out.completedIndexes;
  const uncounted = out.uncountedTerminatedPods ?? {};
  out.uncountedTerminatedPods = {
    ...(uncounted.succeeded?.length ? { succeeded: uncounted.succeeded } : {}),
    ...(uncounted.failed?.length ? { failed: uncounted.failed } : {}),
  };
  return out;
}
