// How long a canary `pause` step waits. Argo's RolloutPause.DurationSeconds: an integer is
// seconds; a string is either an integer ("30") or a Go duration ("30s", "1m30s", "1h"); anything
// else is -1 (invalid). Absent means "pause until resumed".
//
//   {duration: 30}      -> 30       {duration: "1m30s"} -> 90
//   {duration: "45"}    -> 45       {duration: "1.5m"}  -> 90
//   {duration: "soon"}  -> -1       {}                  -> undefined (indefinite)
import type { RolloutPause } from './v1alpha1/canary-strategy.js';

const UNIT_SECONDS: Readonly<Record<string, number>> = {
  ns: 1e-9, us: 1e-6, 'µs': 1e-6, 'μs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600,
};

/** Seconds in a Go duration string (time.ParseDuration), or undefined when it does not parse. */
export function goDurationSeconds(text: string): number | undefined {
  const sign = text.startsWith('-') ? -1 : 1;
  const body = text.replace(/^[-+]/, '');
  if (body === '0') return 0;
  if (body === '') return undefined;
  let total = 0;
  let rest = body;
  while (rest !== '') {
    const match = /^(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/.exec(rest);
    if (match === null) return undefined;
    total += Number(match[1]) * (UNIT_SECONDS[match[2] ?? ''] ?? 0);
    rest = rest.slice(match[0].length);
  }
  return sign * total;
}

/** Whole seconds of a pause (Go truncates toward zero), -1 when invalid, undefined when indefinite. */
export function pauseDurationSeconds(pause: RolloutPause): number | undefined {
  const duration = pause.duration;
  if (duration === undefined || duration === null) return undefined;
  if (typeof duration === 'number') return Number.isInteger(duration) ? duration : -1;
  if (/^[-+]?\d+$/.test(duration)) return Number(duration);
  const seconds = goDurationSeconds(duration);
  return seconds === undefined ? -1 : Math.trunc(seconds);
}
