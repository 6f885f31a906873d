// Whether a CronJob schedule parses, with the error text upstream's API server answers when it does
// not. Upstream validates `spec.schedule` with the same parser its CronJob controller runs
// (robfig/cron v3's ParseStandard), so this asks ours (cron-schedule.ts): what validation accepts,
// the controller can run. Examples: `*/5 * * * *`, `0 9 * * mon-fri`, `@hourly` parse;
// `* * * *` answers `expected exactly 5 fields, found 4: [* * * *]`, `61 * * * *` answers
// `end of range (61) above maximum (59): 61`.
import { CronSyntaxError, parseCronSchedule } from './cron-schedule.js';

/** Why the schedule does not parse, in upstream's words, or undefined when it does. */
export function cronScheduleSyntaxError(schedule: string): string | undefined {
  try {
    // The zone does not matter for syntax; a TZ= prefix is checked by the parser itself.
    parseCronSchedule(schedule, 'UTC');
    return undefined;
  } catch (error) {
    if (error instanceof CronSyntaxError) return error.message;
    throw error;
  }
}
