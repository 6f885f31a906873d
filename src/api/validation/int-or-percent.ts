// IntOrString fields that hold a count or a percentage (maxSurge, maxUnavailable).
import type { FieldError } from '../field-error.js';
import { goIntOrString, invalidRendered } from './go-value.js';
import { isValidPercent } from './name-rules.js';
import { NEGATIVE_MESSAGE } from './probe.js';

/** Upstream's ValidatePositiveIntOrPercent (despite the name, 0 is allowed). */
export function validateIntOrPercent(value: unknown, path: string): FieldError[] {
  if (typeof value === 'string') return isValidPercent(value).map((msg) => invalidRendered(path, goIntOrString(value), msg));
  if (typeof value === 'number') return value < 0 ? [invalidRendered(path, String(value), NEGATIVE_MESSAGE)] : [];
  return [invalidRendered(path, goIntOrString(value), "must be an integer or percentage (e.g '5%')")];
}

/** The number of a valid int or percentage ('25%' -> 25), else undefined. */
export function intOrPercentValue(value: unknown): { value: number; percent: boolean } | undefined {
  if (typeof value === 'number') return { value, percent: false };
  if (typeof value === 'string' && /^[0-9]+%$/.test(value)) return { value: Number(value.slice(0, -1)), percent: true };
  return undefined;
}

export function validateNotMoreThan100Percent(value: unknown, path: string): FieldError[] {
  const parsed = intOrPercentValue(value);
  if (!parsed?.percent || parsed.value <= 100) return [];
  return [invalidRendered(path, goIntOrString(value), 'must not be greater than 100%')];
}
