// Go's time.ParseDuration, for `@every <duration>` schedules: upstream's API validation and
// controller both accept whatever robfig/cron accepts, and robfig hands the text to Go.
// Syntax: [-+]?([0-9]*(\.[0-9]*)?unit)+ or "0", units ns us µs μs ms s m h ("1h30m", "1.5h").

const UNIT_NANOSECONDS: Readonly<Record<string, bigint>> = {
  ns: 1n, us: 1_000n, 'µs': 1_000n, 'μs': 1_000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n,
};

const MAX_INT64 = (1n << 63n) - 1n;

export class GoDurationError extends Error {
  override readonly name = 'GoDurationError';
}

/** Nanoseconds, as Go's int64 Duration; throws GoDurationError with Go's message. */
export function parseGoDuration(text: string): bigint {
  const quoted = JSON.stringify(text);
  const invalid = (): GoDurationError => new GoDurationError(`time: invalid duration ${quoted}`);
  let rest = text;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  if (rest === '0') return 0n;
  if (rest === '') throw invalid();
  let total = 0n;
  while (rest !== '') {
    const number = /^(\d*)(?:\.(\d*))?/.exec(rest)!;
    const [matched, whole = '', fraction] = number;
    if (whole === '' && (fraction === undefined || fraction === '')) throw invalid();
    rest = rest.slice(matched.length);
    const unitLength = rest.search(/[\d.]/);
    const unit = unitLength < 0 ? rest : rest.slice(0, unitLength);
    if (unit === '') throw new GoDurationError(`time: missing unit in duration ${quoted}`);
    rest = rest.slice(unit.length);
    const scale = UNIT_NANOSECONDS[unit];
    if (scale === undefined) throw new GoDurationError(`time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}`);
    let value = BigInt(whole === '' ? '0' : whole) * scale;
    if (fraction !== undefined && fraction !== '') {
      // Like Go, the fraction is applied in floating point and truncated.
      value += BigInt(Math.floor(Number(`0.${fraction}`) * Number(scale)));
    }
    total += value;
    if (total > MAX_INT64 + (negative ? 1n : 0n)) throw invalid();
  }
  return negative ? -total : total;
}
