// Which scheduled time a CronJob owes a job for, and when to look again (upstream's
// mostRecentScheduleTime, nextScheduleTime and nextScheduleTimeDuration). Pure functions of the
// CronJob, the schedule and "now".
import type { CronSchedule } from '../../lib/cron/cron-schedule.js';
import type { CronJobObject } from './cronjob-types.js';

/** Upstream's nextScheduleDelta: requeue a little after the activation, so clock skew cannot make us early. */
export const NEXT_SCHEDULE_DELTA_MS = 100;
/** More missed activations than this earns a TooManyMissedTimes warning (the latest still runs). */
export const TOO_MANY_MISSED = 100;

export type MissedSchedules = 'none' | 'few' | 'many';

export interface ScheduleWindow {
  /** Where the search started: lastScheduleTime, else creationTimestamp (maybe moved up to the deadline). */
  readonly earliest: Date;
  /** The latest activation in (earliest, now], if any. */
  readonly mostRecent: Date | undefined;
  readonly missed: MissedSchedules;
  /** Set when the schedule cannot be used: activations under a second apart, or none ahead. */
  readonly invalid?: string;
}

const NOT_ONE_SECOND_APART = 'time difference between two schedules is less than 1 second';

function parseTime(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/**
 * The latest activation since the CronJob last scheduled (or was created), without walking every
 * missed one: a CronJob down for a year on `* * * * *` would otherwise take half a million steps.
 * The gap between the first two activations t1 and t2 estimates how many were missed; the search
 * then starts one gap before the estimated last one and lets the schedule find the real times.
 *
 * Worked example, hourly `0 * * * *`, last scheduled 10:00, now 13:30: t1 = 11:00, t2 = 12:00,
 * gap 3600 s, elapsed since t1 9000 s, so 9000 / 3600 + 1 = 3 missed (11, 12, 13). The search
 * starts at t1 + (3 - 2) gaps = 12:00 and finds 13:00, the one to run.
 *
 * The estimate assumes a regular schedule, as upstream's does, and shares its blind spot: for
 * `0 9 * * 1-5` last run Wednesday 09:00 and now Monday 08:00, t1 = Thu, t2 = Fri, one day
 * apart, so 4 missed and the search starts Saturday 09:00; it finds nothing before now, and
 * Friday's missed run is not made. Upstream behaves the same; Monday 09:00 runs on time.
 */
export function mostRecentScheduleTime(
  cronJob: CronJobObject, now: Date, schedule: CronSchedule, includeStartingDeadline: boolean,
): ScheduleWindow {
  let earliest = parseTime(cronJob.status?.lastScheduleTime) ?? parseTime(cronJob.metadata?.creationTimestamp) ?? new Date(0);
  const deadlineSeconds = cronJob.spec?.startingDeadlineSeconds;
  if (includeStartingDeadline && deadlineSeconds !== undefined) {
    // Nothing older than the deadline may start, so there is no point looking before it.
    const deadline = new Date(now.getTime() - deadlineSeconds * 1000);
    if (deadline > earliest) earliest = deadline;
  }
  const t1 = schedule.next(earliest);
  if (t1 === undefined) return { earliest, mostRecent: undefined, missed: 'none', invalid: NOT_ONE_SECOND_APART };
  if (now < t1) return { earliest, mostRecent: undefined, missed: 'none' };
  const t2 = schedule.next(t1);
  if (t2 === undefined) return { earliest, mostRecent: undefined, missed: 'none', invalid: NOT_ONE_SECOND_APART };
  if (now < t2) return { earliest, mostRecent: t1, missed: 'none' };

  const gapSeconds = Math.round((t2.getTime() - t1.getTime()) / 1000);
  if (gapSeconds < 1) return { earliest, mostRecent: undefined, missed: 'none', invalid: NOT_ONE_SECOND_APART };
  const elapsedSeconds = Math.trunc((now.getTime() - t1.getTime()) / 1000);
  const missedCount = Math.floor(elapsedSeconds / gapSeconds) + 1;
  let mostRecent: Date | undefined;
  const searchFrom = new Date(t1.getTime() + (missedCount - 2) * gapSeconds * 1000);
  for (let t = schedule.next(searchFrom); t !== undefined && t <= now; t = schedule.next(t)) mostRecent = t;
  return { earliest, mostRecent, missed: missedCount > TOO_MANY_MISSED ? 'many' : 'few' };
}

export interface DueTime {
  /** The activation a job is owed for, if any is due. */
  readonly scheduledTime: Date | undefined;
  /** More than TOO_MANY_MISSED activations went by since the last one. */
  readonly tooManyMissed: boolean;
  readonly invalid?: string;
}

/** The activation due now, honouring startingDeadlineSeconds when looking back (upstream's nextScheduleTime). */
export function dueScheduleTime(cronJob: CronJobObject, now: Date, schedule: CronSchedule): DueTime {
  const window = mostRecentScheduleTime(cronJob, now, schedule, true);
  const scheduledTime = window.mostRecent !== undefined && window.mostRecent <= now ? window.mostRecent : undefined;
  return {
    scheduledTime,
    tooManyMissed: scheduledTime !== undefined && window.missed === 'many',
    ...(window.invalid === undefined ? {} : { invalid: window.invalid }),
  };
}

/**
 * Milliseconds until the activation after the latest one due, plus NEXT_SCHEDULE_DELTA_MS
 * (upstream's nextScheduleTimeDuration); undefined when the schedule never fires again.
 */
export function nextScheduleDelayMs(cronJob: CronJobObject, now: Date, schedule: CronSchedule): number | undefined {
  const window = mostRecentScheduleTime(cronJob, now, schedule, false);
  let from: Date;
  if (window.invalid !== undefined) from = now;
  else if (window.mostRecent !== undefined) from = window.mostRecent;
  // Nothing missed: the next activation after `earliest` is still ahead. Missed ones the estimate
  // could not place: look from now.
  else from = window.missed === 'none' ? window.earliest : now;
  const next = schedule.next(from);
  return next === undefined ? undefined : next.getTime() + NEXT_SCHEDULE_DELTA_MS - now.getTime();
}
