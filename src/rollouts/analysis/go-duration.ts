// Go's time.ParseDuration, which is what Argo uses for interval and initialDelay: a sequence of
// decimal numbers with units (ns, us, µs, ms, s, m, h), e.g. `1h30m`, `1.5s`, `500ms`; `0` alone
// is allowed; a bare number such as `30` is not (Go: `missing unit in duration "30"`).
import { MetricSpecError } from './analysis-errors.js';

const UNIT_MS: Record<string, number> = {
  ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000,
};

const PART = /(\d+\.?\d*|\.\d+)([^\d.]*)/y;

/** Milliseconds in a Go duration string; throws MetricSpecError with Go's wording. */
export function parseGoDuration(text: string): number {
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw new MetricSpecError(`time: invalid duration "${text}"`);
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < rest.length) {
    const at = PART.lastIndex;
    const match = PART.exec(rest);
    if (match === null || match.index !== at) throw new MetricSpecError(`time: invalid duration "${text}"`);
    const unit = match[2] ?? '';
    if (unit === '') throw new MetricSpecError(`time: missing unit in duration "${text}"`);
    const scale = Object.hasOwn(UNIT_MS, unit) ? UNIT_MS[unit] : undefined;
    if (scale === undefined) throw new MetricSpecError(`time: unknown unit "${unit}" in duration "${text}"`);
    total += Number(match[1]) * scale;
  }
  return sign * total;
}
