// The CronJob controller's wiring: CronJobs enqueue themselves, jobs enqueue the CronJob that
// controls them, and the reconciler's requeueAfter wakes each CronJob just after its next
// activation. A changed schedule or time zone is looked at when its new next activation comes
// (upstream's updateCronJob); any other change is looked at now.
import type { Lister } from '../../client/informer/informer.js';
import { CRON_JOBS, JOBS } from '../../client/resource-types.js';
import { componentLogger } from '../../lib/logger.js';
import type { ControllerFactory } from '../framework/controller-context.js';
import { getControllerOf } from '../framework/controller-ref.js';
import { objectKey } from '../framework/object-key.js';
import { CronJobReconciler } from './cronjob-reconciler.js';
import { cronJobSchedule } from './cronjob-schedule.js';
import { CRON_JOB_TYPE, JOB_INDEXERS, type CronJobObject, type JobObject } from './cronjob-types.js';
import { nextScheduleDelayMs } from './schedule-times.js';
import { processTimeZone } from '../../lib/cron/time-zone.js';

export interface CronJobControllerOptions {
  /** Zone of schedules without spec.timeZone (default: this process's zone, i.e. TZ, else the host's). */
  readonly localTimeZone?: string;
}

/** The CronJob (by uid) that controls `job`, if it is in the cache. */
function controllingCronJob(job: JobObject, cronJobs: Lister<CronJobObject>): CronJobObject | undefined {
  const ref = getControllerOf(job);
  if (ref?.kind !== CRON_JOB_TYPE.kind || !ref.apiVersion.startsWith('batch/')) return undefined;
  const cronJob = cronJobs.get(job.metadata?.namespace, ref.name);
  return cronJob?.metadata?.uid === ref.uid ? cronJob : undefined;
}

function scheduleChanged(before: CronJobObject, after: CronJobObject): boolean {
  return before.spec?.schedule !== after.spec?.schedule || before.spec?.timeZone !== after.spec?.timeZone;
}

export function cronJobControllerWith(options: CronJobControllerOptions = {}): ControllerFactory {
  return (context) => {
    const localTimeZone = options.localTimeZone ?? processTimeZone();
    const jobInformer = context.informers.informerFor<JobObject>(JOBS);
    const cronJobInformer = context.informers.informerFor<CronJobObject>(CRON_JOBS);
    jobInformer.addIndexers(JOB_INDEXERS);
    const cronJobs = cronJobInformer.lister;
    const reconciler = new CronJobReconciler({
      clients: context.clients,
      cronJobs,
      jobs: jobInformer.lister,
      clock: context.clock,
      logger: componentLogger(context.logger, 'cronjob-controller'),
      recorder: context.recorder,
      localTimeZone,
    });

    return {
      reconciler,
      connect(enqueue, enqueueAfter) {
        const enqueueOwner = (job: JobObject): void => {
          const cronJob = controllingCronJob(job, cronJobs);
          if (cronJob !== undefined) enqueue(objectKey(cronJob));
        };
        jobInformer.addHandlers({
          add: enqueueOwner,
          update: (oldJob, newJob) => {
            if (oldJob.metadata?.resourceVersion === newJob.metadata?.resourceVersion) return; // resync
            if (getControllerOf(oldJob)?.uid !== getControllerOf(newJob)?.uid) enqueueOwner(oldJob);
            enqueueOwner(newJob);
          },
          delete: enqueueOwner,
        });
        cronJobInformer.addHandlers({
          add: (cronJob) => enqueue(objectKey(cronJob)),
          update: (oldCronJob, cronJob) => {
            if (!scheduleChanged(oldCronJob, cronJob)) {
              enqueue(objectKey(cronJob));
              return;
            }
            // A schedule that does not parse is reconciled now, so its warning event is not lost.
            const { schedule } = cronJobSchedule(cronJob, localTimeZone);
            const delayMs = schedule === undefined ? undefined : nextScheduleDelayMs(cronJob, context.clock.now(), schedule);
            if (delayMs === undefined) enqueue(objectKey(cronJob));
            else enqueueAfter(objectKey(cronJob), delayMs);
          },
          delete: (cronJob) => enqueue(objectKey(cronJob)),
        });
      },
    };
  };
}

export const cronJobController: ControllerFactory = cronJobControllerWith();
