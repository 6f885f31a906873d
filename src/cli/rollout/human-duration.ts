// How long ago something happened, printed as kubectl and the Argo Rollouts plugin print AGE
// (apimachinery's duration.HumanDuration): two or three significant figures, units switching at
// fixed thresholds. Worked examples: 59 s -> `59s`; 185 s -> `3m5s`; 11 min -> `11m`;
// 3 h 20 min -> `3h20m`; 30 h -> `30h`; 50 h -> `2d2h`; 20 days -> `20d`.
// (The API server's table code has the same function; the CLI may not import the apiserver.)

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** `unit` and `rest` as `3m5s`, dropping a zero rest (`3m`). */
const pair = (major: number, majorUnit: string, minor: number, minorUnit: string): string =>
  minor === 0 ? `${major}${majorUnit}` : `${major}${majorUnit}${minor}${minorUnit}`;

export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) return pair(minutes, 'm', seconds % 60, 's');
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) return pair(hours, 'h', minutes % 60, 'm');
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) return pair(days, 'd', hours % 24, 'h');
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) return pair(years, 'y', days % 365, 'd');
  return `${years}y`;
}

/** The age of an object created at `timestamp`, `<unknown>` when it has none. */
export function ageSince(timestamp: string | undefined, now: Date): string {
  const ms = timestamp === undefined ? Number.NaN : Date.parse(timestamp);
  return Number.isNaN(ms) ? '<unknown>' : humanDuration(now.getTime() - ms);
}
