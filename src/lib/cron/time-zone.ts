// Wall-clock time in an IANA time zone, from the tz data built into Node's ICU (`Intl`). A cron
// schedule speaks in wall-clock fields ("02:30 on Sundays in Europe/Berlin"); the controller
// speaks in instants. This module is the only place that converts between the two.

const SECOND_MS = 1000;
const DAY_MS = 86_400_000;

/** The wall-clock fields of one instant in one zone. `month` is 1-12, `weekday` 0 (Sunday)-6. */
export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly weekday: number;
  /** Wall clock minus UTC: -18_000_000 for New York in winter. */
  readonly offsetMs: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    // h23, not hour12: false, which some ICU versions render as "24" at midnight.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23',
      year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/**
 * Whether `zone` names a time zone as Go's time.LoadLocation decides on a Linux host, from the tz
 * data Node carries (Intl), since there is no zoneinfo lookup here. `UTC` is known; the empty
 * string is not a name (callers map it). Go reads the zone from a file named exactly like it, so
 * `america/new_york` and `utc` are unknown there while Intl accepts any case: a name Intl only
 * re-cases is refused too. (Aliases such as `US/Eastern` resolve to another name and are
 * accepted either way.)
 */
export function isKnownTimeZone(zone: string): boolean {
  if (zone === '') return false;
  let resolved: string;
  try {
    resolved = formatterFor(zone).resolvedOptions().timeZone;
  } catch {
    return false;
  }
  return resolved === zone || resolved.toLowerCase() !== zone.toLowerCase();
}

/**
 * The zone Go's time.LoadLocation(name) gives, or undefined where it fails: `""` is UTC, `Local`
 * is the process's zone (`localZone`), anything else must be a known tz database name.
 */
export function loadLocation(name: string, localZone: string): string | undefined {
  if (name === '') return 'UTC';
  if (name === 'Local') return localZone;
  return isKnownTimeZone(name) ? name : undefined;
}

/** The process's own zone (the `TZ` environment variable, else the host's), as Go's time.Local. */
export function processTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Maps instants to wall-clock time and back in one zone. Throws RangeError for an unknown zone. */
export class ZoneClock {
  readonly zone: string;
  private readonly formatter: Intl.DateTimeFormat;

  constructor(zone: string) {
    this.zone = zone;
    this.formatter = formatterFor(zone);
  }

  /** Wall clock minus UTC at `instantMs` (whole seconds: no zone in use has finer offsets). */
  offsetAt(instantMs: number): number {
    const second = Math.floor(instantMs / SECOND_MS) * SECOND_MS;
    const field: Record<string, number> = {};
    for (const part of this.formatter.formatToParts(second)) {
      if (part.type !== 'literal') field[part.type] = Number(part.value);
    }
    const wallAsUtc = Date.UTC(field.year ?? 0, (field.month ?? 1) - 1, field.day ?? 1, field.hour ?? 0, field.minute ?? 0, field.second ?? 0);
    return wallAsUtc - second;
  }

  wallTime(instantMs: number): WallTime {
    const offsetMs = this.offsetAt(instantMs);
    const wall = new Date(instantMs + offsetMs);
    return {
      year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate(),
      hour: wall.getUTCHours(), minute: wall.getUTCMinutes(), second: wall.getUTCSeconds(),
      weekday: wall.getUTCDay(), offsetMs,
    };
  }

  /**
   * The first instant of the local date `year-month-day` (overflowing fields roll over as in
   * Date.UTC: month 13 is January of the next year). That is midnight, unless a DST gap swallows
   * midnight: on 2018-11-04 in America/Sao_Paulo clocks jumped from 00:00 to 01:00, so the day
   * began at 01:00 local (03:00 UTC).
   */
  startOfDay(year: number, month: number, day: number): number {
    const wallMs = Date.UTC(year, month - 1, day);
    // The offsets a day either side bracket any transition near midnight; real zones never
    // change offset twice within two days.
    const before = this.offsetAt(wallMs - DAY_MS);
    const after = this.offsetAt(wallMs + DAY_MS);
    // In an overlap both candidates are that wall time; the earlier one comes first.
    const candidates = [wallMs - Math.max(before, after), wallMs - Math.min(before, after)];
    for (const instant of candidates) {
      if (instant + this.offsetAt(instant) === wallMs) return instant;
    }
    // A gap: before the transition the wall clock is short of midnight, after it past it. The
    // transition lies between the two candidates; find it to the second.
    return this.firstInstantWhere(candidates[0]!, candidates[1]!, (instant) => instant + this.offsetAt(instant) >= wallMs);
  }

  /**
   * `targetMs`, or the first offset change after `fromMs` when one comes sooner. A search that
   * steps in absolute time ("the next hour boundary is 25 minutes away") uses this so a DST
   * transition in the middle of a step is looked at, not stepped over.
   */
  advanceTo(fromMs: number, targetMs: number): number {
    const target = this.offsetAt(targetMs);
    if (this.offsetAt(fromMs) === target) return targetMs;
    return this.firstInstantWhere(fromMs, targetMs, (instant) => this.offsetAt(instant) === target);
  }

  /** The first whole second in (lowMs, highMs] where `holds` is true; it must stay true after. */
  private firstInstantWhere(lowMs: number, highMs: number, holds: (instantMs: number) => boolean): number {
    let low = Math.floor(lowMs / SECOND_MS);
    let high = Math.ceil(highMs / SECOND_MS);
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (holds(middle * SECOND_MS)) high = middle;
      else low = middle;
    }
    return high * SECOND_MS;
  }
}

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * RFC 3339 in `zone`, as Go's time.RFC3339 layout prints it: whole seconds, the zone's offset,
 * and `Z` whenever the offset is zero (London in winter too). `2025-03-30T03:00:00+02:00`.
 */
export function formatRfc3339InZone(instantMs: number, zone: string): string {
  const wall = new ZoneClock(zone).wallTime(instantMs);
  const date = `${String(wall.year).padStart(4, '0')}-${twoDigits(wall.month)}-${twoDigits(wall.day)}`;
  const time = `${twoDigits(wall.hour)}:${twoDigits(wall.minute)}:${twoDigits(wall.second)}`;
  if (wall.offsetMs === 0) return `${date}T${time}Z`;
  const offsetMinutes = Math.abs(wall.offsetMs) / 60_000;
  const sign = wall.offsetMs < 0 ? '-' : '+';
  return `${date}T${time}${sign}${twoDigits(Math.floor(offsetMinutes / 60))}:${twoDigits(offsetMinutes % 60)}`;
}
