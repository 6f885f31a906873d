// Gateway API durations (GEP-2257): one to four <digits><unit> parts, units h, m, s, ms, e.g.
// "1h30m" or "500ms". The data plane and validation share this parser.

const PART = /([0-9]{1,5})(h|ms|m|s)/gy;
const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** Milliseconds, or undefined when the value is not a valid Gateway API duration. */
export function parseGatewayDuration(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  PART.lastIndex = 0;
  let total = 0;
  let parts = 0;
  let end = 0;
  for (let m = PART.exec(value); m !== null; m = PART.exec(value)) {
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0);
    parts++;
    end = PART.lastIndex;
  }
  return parts >= 1 && parts <= 4 && end === value.length ? total : undefined;
}
