// The Job a CronJob runs for one scheduled time (upstream's getJobFromTemplate2 and getJobName).
import { newControllerRef } from '../framework/controller-ref.js';
import { CRON_JOB_TYPE, SCHEDULED_TIMESTAMP_ANNOTATION, type CronJobObject, type JobObject } from './cronjob-types.js';
import { formatRfc3339InZone, loadLocation } from '../../lib/cron/time-zone.js';

/**
 * `<cronjob>-<scheduled time in minutes since the epoch>`: 2025-01-01T09:00Z gives `backup-28928700`.
 * One name per scheduled time makes creating it a lock: a retried create, or a second controller
 * acting on a stale cache, gets AlreadyExists instead of a second job. Minutes, because no
 * schedule the controller runs fires more than once a minute (validation caps the CronJob name at
 * 52 characters so the 11-character suffix fits in 63).
 */
export function jobNameFor(cronJob: CronJobObject, scheduledTime: Date): string {
  return `${cronJob.metadata?.name ?? ''}-${Math.floor(scheduledTime.getTime() / 60_000)}`;
}

/**
 * The job for `scheduledTime`: the template's labels, annotations and spec, the scheduled-time
 * annotation, and a controller reference to the CronJob. The annotation is in `spec.timeZone`,
 * else UTC (upstream formats it in time.LoadLocation(timeZone ?? ""), which is UTC), whatever zone
 * the controller itself runs in.
 */
export function jobFromTemplate(cronJob: CronJobObject, scheduledTime: Date, localZone: string): JobObject {
  const template = cronJob.spec?.jobTemplate ?? {};
  const zone = loadLocation(cronJob.spec?.timeZone ?? '', localZone) ?? 'UTC';
  const metadata: NonNullable<JobObject['metadata']> = {
    name: jobNameFor(cronJob, scheduledTime),
    labels: { ...(template.metadata?.labels ?? {}) },
    annotations: {
      ...(template.metadata?.annotations ?? {}),
      [SCHEDULED_TIMESTAMP_ANNOTATION]: formatRfc3339InZone(scheduledTime.getTime(), zone),
    },
    ownerReferences: [newControllerRef(cronJob, CRON_JOB_TYPE)],
  };
  if (cronJob.metadata?.namespace !== undefined) metadata.namespace = cronJob.metadata.namespace;
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata,
    spec: structuredClone(template.spec ?? { template: {} }),
  };
}
