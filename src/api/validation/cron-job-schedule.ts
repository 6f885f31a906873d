// A CronJob's `spec.schedule` and `spec.timeZone` (upstream: validateScheduleFormat and
// validateTimeZone, 1.32). The schedule must parse as standard cron; a `TZ=`/`CRON_TZ=` prefix is
// refused in favour of spec.timeZone, except on a CronJob that already had one (it may keep it,
// but not together with spec.timeZone). The time zone must be an explicit IANA name.
import { cronScheduleSyntaxError } from '../../lib/cron/cron-schedule-syntax.js';
import { isKnownTimeZone } from '../../lib/cron/time-zone.js';
import { invalid, type FieldError } from '../field-error.js';

/** Upstream's file-name rules of the tz database (with the legacy digits and '+'). */
const TIME_ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

export function validateSchedule(schedule: string, path: string, allowTzInSchedule: boolean, timeZone: unknown): FieldError[] {
  const errs: FieldError[] = [];
  const syntaxError = cronScheduleSyntaxError(schedule);
  if (syntaxError !== undefined) errs.push(invalid(path, schedule, syntaxError));
  if (schedule.includes('TZ')) {
    if (!allowTzInSchedule) errs.push(invalid(path, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
    else if (timeZone !== undefined && timeZone !== null)
      errs.push(invalid(path, schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
  }
  return errs;
}

export function validateTimeZone(timeZone: unknown, path: string): FieldError[] {
  if (typeof timeZone !== 'string') return [];
  if (timeZone === '') return [invalid(path, timeZone, 'timeZone must be nil or non-empty string')];
  const unknown = invalid(path, timeZone, `unknown time zone ${timeZone}`);
  const partsOk = timeZone.split('/').every((part) => part !== '.' && part !== '..' && !part.startsWith('-') && TIME_ZONE_PART.test(part));
  if (!partsOk) return [unknown];
  // Go's LoadLocation accepts "Local" (the server's own zone), which would make the schedule
  // depend on where the controller runs.
  const errs: FieldError[] = [];
  if (timeZone.toLowerCase() === 'local')
    errs.push(invalid(path, timeZone, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
  if (timeZone !== 'Local' && !isKnownTimeZone(timeZone)) errs.push(unknown);
  return errs;
}
