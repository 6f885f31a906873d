// Go-style durations for flags that mirror upstream ones (`--node-monitor-grace-period 50s`):
// a sequence of decimal numbers with units ns, us/µs, ms, s, m, h (`1m30s`, `1.5s`, `500ms`).
import { UsageError } from './usage-error.js';

const UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds (rounded) of a Go duration; `0` alone needs no unit, as in Go. */
export function parseDurationMs(flag: string, text: string): number {
  if (text === '0') return 0;
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let index = 0;
  while (index < text.length) {
    part.lastIndex = index;
    const match = part.exec(text);
    if (!match?.[1] || !match[2]) break;
    total += Number(match[1]) * (UNIT_MS[match[2]] ?? 0);
    index = part.lastIndex;
  }
  if (text.length === 0 || index !== text.length) {
    throw new UsageError(`invalid ${flag} ${JSON.stringify(text)}: use a duration such as 50s, 1m30s or 500ms`);
  }
  return Math.round(total);
}
