// When a five-field cron schedule next fires, in a time zone: robfig/cron v3's SpecSchedule.Next,
// which upstream's CronJob controller uses. Its answer is the first whole minute after a given
// instant whose wall-clock fields, read in the schedule's zone, all match. So across DST:
//   - a wall time the clocks skip never fires: `30 2 * * *` in America/New_York does not run on
//     2024-03-10 (02:00 EST jumps to 03:00 EDT) and next runs 2024-03-11 02:30 EDT;
//   - a wall time the clocks repeat fires each time it happens: `30 1 * * *` runs at 01:30 EDT
//     and again at 01:30 EST on 2024-11-03 (robfig's own tests call this "runs twice").
import { type CronField, nextAllowed } from './cron-field.js';
import { type WallTime, ZoneClock } from './time-zone.js';

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
/** robfig gives up (returns Go's zero time) when nothing matches within five years. */
const SEARCH_YEARS = 5;

export interface ScheduleFields {
  readonly minute: CronField;
  readonly hour: CronField;
  readonly dayOfMonth: CronField;
  readonly month: CronField;
  readonly dayOfWeek: CronField;
}

function allows(field: CronField, value: number): boolean {
  return field.allows[value] === true;
}

/** A CronSchedule (cron-schedule.ts) of the five fields, or of a descriptor such as @daily. */
export class FieldSchedule {
  readonly fields: ScheduleFields;
  private readonly clock: ZoneClock;

  constructor(fields: ScheduleFields, zone: string) {
    this.fields = fields;
    this.clock = new ZoneClock(zone);
  }

  get zone(): string {
    return this.clock.zone;
  }

  /**
   * The search looks at one candidate instant at a time and, at the first field that does not
   * match, jumps to the earliest instant that could: the next day's start for a wrong month or
   * day (a wall-clock computation), the next allowed hour or minute for a wrong hour or minute (an
   * absolute step that stops at any DST transition on the way, so the wall clock is re-read
   * there). Worked example, `0 9 * * MON-FRI` after Fri 2025-01-03 09:00:00 UTC: Fri 09:00:01
   * is a weekday at hour 9, but minute 0 is behind us, so step to 10:00; hour 10 is past 9, so
   * step to Sat 00:00; Sat and Sun fail the day test; Mon 00:00 -> 09:00 matches.
   */
  next(after: Date): Date | undefined {
    let candidate = Math.floor(after.getTime() / SECOND_MS) * SECOND_MS + SECOND_MS;
    const lastYear = this.clock.wallTime(candidate).year + SEARCH_YEARS;
    for (;;) {
      const wall = this.clock.wallTime(candidate);
      if (wall.year > lastYear) return undefined;
      const { minute, hour, month } = this.fields;
      if (!allows(month, wall.month)) {
        candidate = this.clock.startOfDay(wall.year, wall.month + 1, 1);
      } else if (!this.dayMatches(wall)) {
        candidate = this.clock.startOfDay(wall.year, wall.month, wall.day + 1);
      } else if (!allows(hour, wall.hour)) {
        candidate = this.stepToHour(candidate, wall, nextAllowed(hour, wall.hour + 1));
      } else if (!allows(minute, wall.minute) || wall.second !== 0) {
        // Second 0 of a matching minute that is already behind us does not count either.
        const nextMinute = nextAllowed(minute, wall.minute + 1);
        const target = nextMinute === undefined
          ? candidate + (60 - wall.minute) * MINUTE_MS - wall.second * SECOND_MS
          : candidate + (nextMinute - wall.minute) * MINUTE_MS - wall.second * SECOND_MS;
        candidate = this.clock.advanceTo(candidate, target);
      } else {
        return new Date(candidate);
      }
    }
  }

  private stepToHour(candidate: number, wall: WallTime, nextHour: number | undefined): number {
    if (nextHour === undefined) return this.clock.startOfDay(wall.year, wall.month, wall.day + 1);
    const target = candidate + (nextHour - wall.hour) * HOUR_MS - wall.minute * MINUTE_MS - wall.second * SECOND_MS;
    return this.clock.advanceTo(candidate, target);
  }

  /** Both day fields restricted: either matches. Either one a star: both must. */
  private dayMatches(wall: WallTime): boolean {
    const { dayOfMonth, dayOfWeek } = this.fields;
    const monthDay = allows(dayOfMonth, wall.day);
    const weekDay = allows(dayOfWeek, wall.weekday);
    return dayOfMonth.star || dayOfWeek.star ? monthDay && weekDay : monthDay || weekDay;
  }
}
