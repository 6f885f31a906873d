// Cron schedules as upstream's CronJob controller reads them (robfig/cron v3's ParseStandard):
//   - five fields: minute hour day-of-month month day-of-week (see cron-field.ts);
//   - descriptors @yearly @annually @monthly @weekly @daily @midnight @hourly (exact, lower case);
//   - `@every <Go duration>`: fires that long after the previous time, whole seconds, at least 1 s;
//   - an optional `TZ=<zone> ` or `CRON_TZ=<zone> ` prefix, which overrides the zone.
// Parse errors are CronSyntaxError with robfig's wording.
import {
  CronSyntaxError, DAY_OF_MONTH_BOUNDS, DAY_OF_WEEK_BOUNDS, everyValue, HOUR_BOUNDS, MINUTE_BOUNDS, MONTH_BOUNDS, onlyValue,
  parseCronField,
} from './cron-field.js';
import { FieldSchedule, type ScheduleFields } from './field-schedule.js';
import { GoDurationError, parseGoDuration } from './go-duration.js';
import { loadLocation } from './time-zone.js';

export { CronSyntaxError } from './cron-field.js';

export interface CronSchedule {
  /** The first activation strictly after `after`, or undefined when none comes within 5 years. */
  next(after: Date): Date | undefined;
}

/** `@every`: activations a fixed delay apart, counted from the previous one. */
export class EverySchedule implements CronSchedule {
  readonly delayMs: number;

  constructor(delayMs: number) {
    this.delayMs = delayMs;
  }

  /** robfig drops the fraction of a second of `after`, so activations stay on whole seconds. */
  next(after: Date): Date {
    const afterMs = after.getTime();
    return new Date(afterMs - (((afterMs % 1000) + 1000) % 1000) + this.delayMs);
  }
}

const NANOSECONDS_PER_SECOND = 1_000_000_000n;

function everySchedule(durationText: string, descriptor: string): EverySchedule {
  let nanoseconds: bigint;
  try {
    nanoseconds = parseGoDuration(durationText);
  } catch (error) {
    if (!(error instanceof GoDurationError)) throw error;
    throw new CronSyntaxError(`failed to parse duration ${descriptor}: ${error.message}`);
  }
  // Less than a second (negative too) becomes one second; the rest is truncated to seconds.
  const seconds = nanoseconds < NANOSECONDS_PER_SECOND ? 1n : nanoseconds / NANOSECONDS_PER_SECOND;
  return new EverySchedule(Number(seconds) * 1000);
}

function descriptorFields(descriptor: string): ScheduleFields | undefined {
  const midnight = { minute: onlyValue(MINUTE_BOUNDS, 0), hour: onlyValue(HOUR_BOUNDS, 0) };
  const anyDay = { dayOfMonth: everyValue(DAY_OF_MONTH_BOUNDS), month: everyValue(MONTH_BOUNDS), dayOfWeek: everyValue(DAY_OF_WEEK_BOUNDS) };
  switch (descriptor) {
    case '@yearly':
    case '@annually':
      return { ...midnight, ...anyDay, dayOfMonth: onlyValue(DAY_OF_MONTH_BOUNDS, 1), month: onlyValue(MONTH_BOUNDS, 1) };
    case '@monthly':
      return { ...midnight, ...anyDay, dayOfMonth: onlyValue(DAY_OF_MONTH_BOUNDS, 1) };
    case '@weekly':
      return { ...midnight, ...anyDay, dayOfWeek: onlyValue(DAY_OF_WEEK_BOUNDS, 0) };
    case '@daily':
    case '@midnight':
      return { ...midnight, ...anyDay };
    case '@hourly':
      return { minute: onlyValue(MINUTE_BOUNDS, 0), hour: everyValue(HOUR_BOUNDS), ...anyDay };
    default:
      return undefined;
  }
}

/** Splits `TZ=Europe/Berlin 0 3 * * *` into its zone and the schedule proper. */
function splitZonePrefix(text: string, defaultZone: string): { readonly zone: string; readonly rest: string } {
  if (!text.startsWith('TZ=') && !text.startsWith('CRON_TZ=')) return { zone: defaultZone, rest: text };
  const equals = text.indexOf('=');
  const space = text.indexOf(' ');
  // Without a space robfig slices [equals+1:-1] and panics; upstream recovers and reports the panic.
  if (space < 0) throw new CronSyntaxError(`invalid schedule format: runtime error: slice bounds out of range [${equals + 1}:-1]`);
  const name = text.slice(equals + 1, space);
  const zone = loadLocation(name, defaultZone);
  if (zone === undefined) throw new CronSyntaxError(`provided bad location ${name}: unknown time zone ${name}`);
  return { zone, rest: text.slice(space).trim() };
}

/**
 * Parses `text`; five-field and descriptor schedules run in `defaultZone` unless the text has a
 * TZ= prefix. Throws CronSyntaxError.
 */
export function parseCronSchedule(text: string, defaultZone: string): CronSchedule {
  if (text.length === 0) throw new CronSyntaxError('empty spec string');
  const { zone, rest } = splitZonePrefix(text, defaultZone);
  if (rest.startsWith('@')) {
    if (rest.startsWith('@every ')) return everySchedule(rest.slice('@every '.length), rest);
    const fields = descriptorFields(rest);
    if (fields === undefined) throw new CronSyntaxError(`unrecognized descriptor: ${rest}`);
    return new FieldSchedule(fields, zone);
  }
  const words = rest.split(/\s+/).filter((word) => word !== '');
  if (words.length !== 5) throw new CronSyntaxError(`expected exactly 5 fields, found ${words.length}: [${words.join(' ')}]`);
  const [minute, hour, dayOfMonth, month, dayOfWeek] = words as [string, string, string, string, string];
  return new FieldSchedule({
    minute: parseCronField(minute, MINUTE_BOUNDS),
    hour: parseCronField(hour, HOUR_BOUNDS),
    dayOfMonth: parseCronField(dayOfMonth, DAY_OF_MONTH_BOUNDS),
    month: parseCronField(month, MONTH_BOUNDS),
    dayOfWeek: parseCronField(dayOfWeek, DAY_OF_WEEK_BOUNDS),
  }, zone);
}
