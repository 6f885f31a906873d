// One field of a cron schedule ("*/15", "MON-FRI", "1,15"), parsed as robfig/cron v3 parses it
// for upstream's CronJob controller: a comma list of `*` | `?` | value | low-high, each with an
// optional `/step`; `value/step` means value-max/step; names (JAN, mon) are case-insensitive and
// allowed wherever a number is, except in the step. Messages follow robfig's, since they reach
// the user in an UnparseableSchedule event.

export interface FieldBounds {
  readonly min: number;
  readonly max: number;
  /** Lower-case name -> value, for months and weekdays. */
  readonly names?: Readonly<Record<string, number>>;
}

export const MINUTE_BOUNDS: FieldBounds = { min: 0, max: 59 };
export const HOUR_BOUNDS: FieldBounds = { min: 0, max: 23 };
export const DAY_OF_MONTH_BOUNDS: FieldBounds = { min: 1, max: 31 };
export const MONTH_BOUNDS: FieldBounds = {
  min: 1, max: 12,
  names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 },
};
/** 0-6 from Sunday: robfig refuses 7, which some crons also take for Sunday. */
export const DAY_OF_WEEK_BOUNDS: FieldBounds = {
  min: 0, max: 6,
  names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 },
};

/** The values a field allows. */
export interface CronField {
  /** `allows[v]` for v in [0, max]. */
  readonly allows: readonly boolean[];
  /**
   * The field was written as `*` or `?` (alone or in a list, possibly `*\/1`). It matters only for
   * days: when day-of-month or day-of-week is a star, a day must match both; when both are
   * restricted, either one suffices (`0 0 1,15 * MON` runs on the 1st, the 15th and Mondays).
   */
  readonly star: boolean;
}

export class CronSyntaxError extends Error {
  override readonly name = 'CronSyntaxError';
}

/** Go's strconv.Atoi over what a field may hold: an optional sign and decimal digits. */
function parseInteger(text: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw new CronSyntaxError(`failed to parse int from ${text}: strconv.Atoi: parsing "${text}": invalid syntax`);
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new CronSyntaxError(`failed to parse int from ${text}: strconv.Atoi: parsing "${text}": value out of range`);
  if (value < 0) throw new CronSyntaxError(`negative number (${value}) not allowed: ${text}`);
  return value;
}

function parseValue(text: string, bounds: FieldBounds): number {
  const named = bounds.names?.[text.toLowerCase()];
  return named ?? parseInteger(text);
}

/** The values one list element (`*`, `5`, `1-5`, `*\/2`, `10/5`, `mon-fri/2`) allows. */
function parseRange(expression: string, bounds: FieldBounds, allows: boolean[]): { readonly star: boolean } {
  const rangeAndStep = expression.split('/');
  const lowAndHigh = rangeAndStep[0]!.split('-');
  let start: number;
  let end: number;
  let star = false;
  // Like robfig, `*` ignores anything after a hyphen: `*-5` is `*`.
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = bounds.min;
    end = bounds.max;
    star = true;
  } else {
    start = parseValue(lowAndHigh[0]!, bounds);
    if (lowAndHigh.length > 2) throw new CronSyntaxError(`too many hyphens: ${expression}`);
    end = lowAndHigh.length === 2 ? parseValue(lowAndHigh[1]!, bounds) : start;
  }
  let step = 1;
  if (rangeAndStep.length > 2) throw new CronSyntaxError(`too many slashes: ${expression}`);
  if (rangeAndStep.length === 2) {
    step = parseInteger(rangeAndStep[1]!);
    if (lowAndHigh.length === 1) end = bounds.max;
    // `*/1` still counts as a star for the day rule; `*/2` does not.
    if (step > 1) star = false;
  }
  if (start < bounds.min) throw new CronSyntaxError(`beginning of range (${start}) below minimum (${bounds.min}): ${expression}`);
  if (end > bounds.max) throw new CronSyntaxError(`end of range (${end}) above maximum (${bounds.max}): ${expression}`);
  if (start > end) throw new CronSyntaxError(`beginning of range (${start}) beyond end of range (${end}): ${expression}`);
  if (step === 0) throw new CronSyntaxError(`step of range should be a positive number: ${expression}`);
  for (let value = start; value <= end; value += step) allows[value] = true;
  return { star };
}

/** Parses one field; throws CronSyntaxError. Empty list elements are skipped, as robfig does. */
export function parseCronField(text: string, bounds: FieldBounds): CronField {
  const allows = new Array<boolean>(bounds.max + 1).fill(false);
  let star = false;
  for (const expression of text.split(',')) {
    if (expression === '') continue;
    if (parseRange(expression, bounds, allows).star) star = true;
  }
  return { allows, star };
}

/** A field with every value allowed, written as `*`. */
export function everyValue(bounds: FieldBounds): CronField {
  return parseCronField('*', bounds);
}

/** A field allowing `value` only. */
export function onlyValue(bounds: FieldBounds, value: number): CronField {
  return parseCronField(String(value), bounds);
}

/** The smallest allowed value >= `from`, or undefined. */
export function nextAllowed(field: CronField, from: number): number | undefined {
  for (let value = Math.max(from, 0); value < field.allows.length; value++) {
    if (field.allows[value] === true) return value;
  }
  return undefined;
}
