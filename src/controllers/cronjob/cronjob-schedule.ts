// A CronJob's schedule, read as upstream's controller reads it (formatSchedule + ParseStandard):
// `spec.timeZone` picks the zone, else the controller's own zone; a `TZ=`/`CRON_TZ=` prefix in
// `spec.schedule` (refused by validation for new objects, kept working for old ones) wins over
// both, and is reported as unsupported.
import { CronSyntaxError, parseCronSchedule, type CronSchedule } from '../../lib/cron/cron-schedule.js';
import type { CronJobObject } from './cronjob-types.js';
import { loadLocation } from '../../lib/cron/time-zone.js';

export type CronJobSchedule =
  | { readonly schedule: CronSchedule; readonly error?: undefined }
  | { readonly schedule?: undefined; readonly error: string };

/** True when the schedule text mentions TZ (upstream's test is exactly this substring check). */
export function usesTimeZoneInSchedule(cronJob: CronJobObject): boolean {
  return (cronJob.spec?.schedule ?? '').includes('TZ');
}

/**
 * The parsed schedule of `cronJob`, or robfig's error text. An unknown `spec.timeZone` falls back
 * to `localZone` here, as upstream's does: the reconciler refuses such a CronJob before it asks.
 */
export function cronJobSchedule(cronJob: CronJobObject, localZone: string): CronJobSchedule {
  const text = cronJob.spec?.schedule ?? '';
  const timeZone = cronJob.spec?.timeZone;
  const zone = !usesTimeZoneInSchedule(cronJob) && timeZone !== undefined ? loadLocation(timeZone, localZone) ?? localZone : localZone;
  try {
    return { schedule: parseCronSchedule(text, zone) };
  } catch (error) {
    if (error instanceof CronSyntaxError) return { error: error.message };
    throw error;
  }
}
