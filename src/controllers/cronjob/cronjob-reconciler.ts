// The CronJob reconciler (upstream: cronjob ControllerV2.sync + syncCronJob). One pass:
//   1. delete finished jobs beyond the history limits;
//   2. bring status.active / lastSuccessfulTime up to date with the owned jobs;
//   3. unless the CronJob is being deleted, has an unknown time zone, is suspended or has a
//      schedule that does not parse: find the activation due now, and start a job for it as the
//      deadline and concurrency policy allow;
//   4. write the status, once, through the status subresource with the resourceVersion read;
//   5. requeue for just after the next activation.
//
// No Expectations here, unlike the ReplicaSet controller: the job name is derived from the
// scheduled time (job-from-template.ts), so creating it twice fails with AlreadyExists, and a job
// already recorded in status.active or lastScheduleTime is never created again.
import type { EventRecorder } from '../../client/events/event-recorder.js';
import { ApiStatusError } from '../../client/api-status-error.js';
import type { Lister } from '../../client/informer/informer.js';
import type { ClientSet } from '../../client/resource-client.js';
import { CRON_JOBS, JOBS } from '../../client/resource-types.js';
import type { Clock } from '../../lib/clock.js';
import { AlreadyExistsError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { rfc3339 } from '../../lib/rfc3339.js';
import { isControlledBy } from '../framework/controller-ref.js';
import { splitObjectKey } from '../framework/object-key.js';
import type { ReconcileResult, Reconciler } from '../framework/reconciler.js';
import { addActive, isActiveByName, isActiveByUid } from './active-jobs.js';
import { CronJobPass, type CronJobPassDependencies } from './cronjob-pass.js';
import { cronJobSchedule, usesTimeZoneInSchedule } from './cronjob-schedule.js';
import { JOBS_BY_CONTROLLER_UID, type CronJobObject, type JobObject } from './cronjob-types.js';
import { errorMessage } from './error-message.js';
import { jobFromTemplate, jobNameFor } from './job-from-template.js';
import { cleanupFinishedJobs, deleteJob, trackOwnedJobs } from './job-tracking.js';
import { dueScheduleTime, nextScheduleDelayMs } from './schedule-times.js';
import { loadLocation } from '../../lib/cron/time-zone.js';

export interface CronJobReconcilerOptions {
  readonly clients: ClientSet;
  readonly cronJobs: Lister<CronJobObject>;
  /** Must carry the JOBS_BY_CONTROLLER_UID index. */
  readonly jobs: Lister<JobObject>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly recorder: EventRecorder;
  /** The zone of schedules without spec.timeZone: the controller's own, as upstream's time.Local. */
  readonly localTimeZone: string;
}

/** Upstream's NamespaceTerminatingCause: creating into a namespace being deleted is hopeless, not an event. */
function isNamespaceTerminating(error: unknown): boolean {
  // A 403 arrives as the ApiStatusError itself; typed errors carry theirs as the cause.
  const status = error instanceof ApiStatusError ? error : error instanceof Error ? error.cause : undefined;
  if (!(status instanceof ApiStatusError)) return false;
  return (status.status.details?.causes ?? []).some((cause) => cause.reason === 'NamespaceTerminating');
}

export class CronJobReconciler implements Reconciler {
  readonly name = 'cronjob';
  private readonly options: CronJobReconcilerOptions;
  private readonly deps: CronJobPassDependencies;

  constructor(options: CronJobReconcilerOptions) {
    this.options = options;
    this.deps = {
      jobClient: options.clients.resource<JobObject>(JOBS),
      cronJobClient: options.clients.resource<CronJobObject>(CRON_JOBS),
      recorder: options.recorder,
      logger: options.logger,
    };
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const { namespace, name } = splitObjectKey(key);
    const cronJob = this.options.cronJobs.get(namespace, name);
    if (cronJob === undefined) return;
    const uid = cronJob.metadata?.uid ?? '';
    const jobs = this.options.jobs.byIndex(JOBS_BY_CONTROLLER_UID, uid).filter((job) => job.metadata?.namespace === namespace);
    const pass = new CronJobPass(cronJob, this.deps);

    let requeueAfterMs: number | undefined;
    let syncError: Error | undefined;
    try {
      await cleanupFinishedJobs(pass, jobs);
      await trackOwnedJobs(pass, jobs);
      requeueAfterMs = await this.startDueJob(pass);
    } catch (error) {
      syncError = error instanceof Error ? error : new Error(String(error));
    }
    // What the pass did before failing (deleted jobs, finished ones) is recorded all the same.
    if (pass.statusChanged()) await this.deps.cronJobClient.updateStatus(namespace, pass.cronJob);
    if (syncError !== undefined) throw syncError;
    return requeueAfterMs === undefined ? undefined : { requeueAfterMs };
  }

  /** Step 3; returns the requeue delay, or undefined when only a change to the CronJob can help. */
  private async startDueJob(pass: CronJobPass): Promise<number | undefined> {
    const cronJob = pass.cronJob;
    const spec = cronJob.spec;
    if (cronJob.metadata?.deletionTimestamp !== undefined || spec === undefined) return undefined;
    const { localTimeZone } = this.options;
    if (spec.timeZone !== undefined && loadLocation(spec.timeZone, localTimeZone) === undefined) {
      pass.event('Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(spec.timeZone)}: unknown time zone ${spec.timeZone}`);
      return undefined;
    }
    if (spec.suspend === true) return undefined;
    if (usesTimeZoneInSchedule(cronJob)) {
      pass.event('Warning', 'UnsupportedSchedule', `CRON_TZ or TZ used in schedule ${JSON.stringify(spec.schedule)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`);
    }
    const { schedule, error } = cronJobSchedule(cronJob, localTimeZone);
    if (schedule === undefined) {
      pass.event('Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(spec.schedule)} : ${error}`);
      return undefined;
    }

    const now = this.options.clock.now();
    const due = dueScheduleTime(cronJob, now, schedule);
    if (due.tooManyMissed) {
      pass.event('Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
    }
    if (due.invalid !== undefined) {
      pass.event('Warning', 'InvalidSchedule', `invalid schedule: ${spec.schedule} : ${due.invalid}`);
      return undefined;
    }
    const requeue = (): number | undefined => nextScheduleDelayMs(pass.cronJob, now, schedule);
    // An activation older than startingDeadlineSeconds is never due: the search starts at the
    // deadline. (Upstream re-checks it afterwards for a MissSchedule event, a check that is never true.)
    const scheduledTime = due.scheduledTime;
    if (scheduledTime === undefined) return requeue();

    const lastScheduled = pass.status.lastScheduleTime;
    if (isActiveByName(pass.status, pass.namespace, jobNameFor(cronJob, scheduledTime))
      || (lastScheduled !== undefined && Date.parse(lastScheduled) === scheduledTime.getTime())) {
      return requeue(); // this activation has its job already
    }
    if (spec.concurrencyPolicy === 'Forbid' && (pass.status.active ?? []).length > 0) {
      // The activation is skipped, not postponed: lastScheduleTime stays, and when the running job
      // ends, this activation is found again and runs late (if the deadline allows).
      pass.event('Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return requeue();
    }
    if (spec.concurrencyPolicy === 'Replace') await this.deleteActiveJobs(pass);

    const job = await this.createJob(pass, scheduledTime);
    if (job === undefined) return undefined;
    addActive(pass.status, job);
    pass.status.lastScheduleTime = rfc3339(scheduledTime);
    return requeue();
  }

  /** Replace: every active job goes before the new one is created; a failure stops the pass. */
  private async deleteActiveJobs(pass: CronJobPass): Promise<void> {
    for (const ref of [...(pass.status.active ?? [])]) {
      let job: JobObject;
      try {
        job = await this.deps.jobClient.get(ref.namespace, ref.name ?? '');
      } catch (error) {
        pass.event('Warning', 'FailedGet', `Get job: ${errorMessage(error)}`);
        throw error;
      }
      const failure = await deleteJob(pass, job);
      if (failure !== undefined) throw new Error(`could not replace job ${ref.namespace ?? ''}/${ref.name ?? ''}`, { cause: failure });
    }
  }

  /**
   * Creates the job for `scheduledTime`. AlreadyExists is our own earlier create when the job is
   * ours and not yet recorded (return it, to be recorded now); a job of someone else's, or one
   * already recorded, leaves nothing to do (undefined).
   */
  private async createJob(pass: CronJobPass, scheduledTime: Date): Promise<JobObject | undefined> {
    const request = jobFromTemplate(pass.cronJob, scheduledTime, this.options.localTimeZone);
    const name = request.metadata?.name ?? '';
    try {
      const created = await this.deps.jobClient.create(pass.namespace, request);
      pass.event('Normal', 'SuccessfulCreate', `Created job ${name}`);
      return created;
    } catch (error) {
      if (isNamespaceTerminating(error)) throw error;
      if (!(error instanceof AlreadyExistsError)) {
        pass.event('Warning', 'FailedCreate', `Error creating job: ${errorMessage(error)}`);
        throw error;
      }
    }
    const existing = await this.deps.jobClient.get(pass.namespace, name);
    if (!isControlledBy(existing, pass.cronJob) || isActiveByUid(pass.status, existing.metadata?.uid)) return undefined;
    this.options.logger.info({ cronJob: pass.cronJob.metadata?.name, job: name }, 'cronjob job already exists');
    return existing;
  }
}
