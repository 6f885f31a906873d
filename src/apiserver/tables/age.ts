// The AGE column (and every other "how long ago" cell): upstream's duration.HumanDuration, which
// keeps two or three significant figures and switches units at fixed thresholds:
//   < 2m: seconds (`119s`); < 10m: `3m5s`; < 3h: minutes (`179m`); < 8h: `7h59m`; < 48h: `47h`;
//   < 8d: `7d23h`; < 2y: days (`729d`); < 8y: `7y364d`; then years (`8y`).
// Timestamps slightly in the future (clock skew under 2s) read `0s`; further ones `<invalid>`.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Go's int(d / unit): truncation toward zero. */
const whole = (ms: number, unit: number): number => Math.trunc(ms / unit);

/** Upstream's HumanDuration for a duration in milliseconds. */
export function humanDuration(ms: number): string {
  const seconds = whole(ms, SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = whole(ms, MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = whole(ms, HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

/** Milliseconds since the epoch, or undefined for a missing or unparsable timestamp. */
export function parseTimestamp(timestamp: string | null | undefined): number | undefined {
  if (!timestamp) return undefined;
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? undefined : ms;
}

/** How long ago `timestamp` was, as upstream prints it; `<unknown>` when it is missing. */
export function translateTimestampSince(timestamp: string | null | undefined, now: Date): string {
  const ms = parseTimestamp(timestamp);
  return ms === undefined ? '<unknown>' : humanDuration(now.getTime() - ms);
}
