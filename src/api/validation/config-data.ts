// What ConfigMaps and Secrets share: data keys, the 1 MiB size limit, and `immutable`.
import { forbidden, invalid, type FieldError } from '../field-error.js';
import { isConfigMapKey } from './name-rules.js';
import { jsonEqual, type JsonRecord } from './json-access.js';

/** Upstream's MaxSecretSize, also the ConfigMap limit. */
export const MAX_CONFIG_DATA_SIZE = 1024 * 1024;

export const IMMUTABLE_WHEN_SET = 'field is immutable when `immutable` is set';

export function validateDataKeys(data: unknown, path: string): FieldError[] {
  if (typeof data !== 'object' || data === null) return [];
  const errs: FieldError[] = [];
  for (const key of Object.keys(data)) for (const msg of isConfigMapKey(key)) errs.push(invalid(`${path}[${key}]`, key, msg));
  return errs;
}

/** Once `immutable: true` is stored, it and the listed data fields may not change. */
export function validateImmutableData(obj: JsonRecord, old: JsonRecord, fields: readonly string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true) errs.push(forbidden('immutable', IMMUTABLE_WHEN_SET));
  for (const field of fields) if (!jsonEqual(obj[field] ?? {}, old[field] ?? {})) errs.push(forbidden(field, IMMUTABLE_WHEN_SET));
  return errs;
}
