// Kubernetes resource quantities (`100m`, `1Gi`, `2.5e3`): parsed to a plain number in base units
// (cores, bytes, ...). Used by validation (requests <= limits) and by the scheduler (fit).
// Float precision is ample for comparisons of the sizes real manifests use.
import { BadRequestError } from '../lib/errors.js';

/** Upstream's text when a quantity does not parse. */
export const QUANTITY_FORMAT_MESSAGE =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const BINARY_SUFFIXES: Readonly<Record<string, number>> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** Decimal suffixes as powers of ten, so '100m' is computed as Number('100e-3') (exactly 0.1). */
const DECIMAL_EXPONENTS: Readonly<Record<string, number>> = {
  '': 0,
  n: -9,
  u: -6,
  m: -3,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

const NUMBER_RE = /^([+-]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(.*)$/;
const EXPONENT_RE = /^[eE]([+-]?[0-9]+)$/;

/**
 * Parsed texts: the same few quantities (`100m`, `128Mi`) are parsed for every pod by admission,
 * validation and QoS (two regular expressions and a Number() each). Short texts only, and the
 * map starts over when full, so what clients send cannot make it grow without bound.
 */
const parsedTexts = new Map<string, number>();
const PARSED_LIMIT = 1024;
const PARSED_MAX_LENGTH = 32;

/** The quantity's value in base units, or undefined when it is not a valid quantity. */
export function tryParseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const known = parsedTexts.get(value);
  if (known !== undefined) return known;
  const result = parseText(value);
  if (result !== undefined && value.length <= PARSED_MAX_LENGTH) {
    if (parsedTexts.size >= PARSED_LIMIT) parsedTexts.clear();
    parsedTexts.set(value, result);
  }
  return result;
}

function parseText(value: string): number | undefined {
  const match = NUMBER_RE.exec(value);
  if (!match) return undefined;
  const [, sign = '', digits = '', suffix = ''] = match;
  const binary = BINARY_SUFFIXES[suffix];
  let result: number;
  if (binary !== undefined) {
    result = Number(digits) * binary;
  } else {
    const exponent = DECIMAL_EXPONENTS[suffix] ?? EXPONENT_RE.exec(suffix)?.[1];
    if (exponent === undefined) return undefined;
    result = Number(`${digits}e${exponent}`);
  }
  return sign === '-' ? -result : result;
}

/**
 * Parses a Kubernetes quantity to its value in base units: '100m' -> 0.1, '1Gi' -> 1073741824,
 * '1.5e3' -> 1500. JSON numbers (YAML `cpu: 1`) are accepted as they are.
 * @throws BadRequestError with upstream's message when the text is not a quantity.
 */
export function parseQuantity(value: string | number): number {
  const parsed = tryParseQuantity(value);
  if (parsed === undefined) throw new BadRequestError(`${QUANTITY_FORMAT_MESSAGE}: ${JSON.stringify(value)}`);
  return parsed;
}

const DECIMAL_SUFFIXES = ['n', 'u', 'm', '', 'k', 'M', 'G', 'T', 'P', 'E'] as const;

/**
 * A whole number of `unit`s (nano, micro, milli or ones; rounded) in canonical decimal form: the
 * largest suffix that keeps the number whole, as the API server writes quantities. In millis:
 * 1500 -> "1500m", 2000 -> "2", 200000000000 -> "200M".
 */
export function formatDecimalQuantity(count: number, unit: 'n' | 'u' | 'm' | ''): string {
  let value = Math.round(count);
  if (value === 0) return '0';
  let index = DECIMAL_SUFFIXES.indexOf(unit);
  while (value % 1000 === 0 && index < DECIMAL_SUFFIXES.length - 1) {
    value /= 1000;
    index++;
  }
  return `${value}${DECIMAL_SUFFIXES[index] ?? ''}`;
}
