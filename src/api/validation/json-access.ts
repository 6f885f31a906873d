// Safe readers for the open JSON documents defaulting and validation walk. Objects arrive straight
// from a request body, so any field may have the wrong JSON type; these never throw, they answer
// "absent" instead, and the validators report what is missing.

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value when it is a JSON object, else undefined. */
export function recordOf(value: unknown): JsonRecord | undefined {
  return isRecord(value) ? value : undefined;
}

/** The JSON objects of an array (non-objects are skipped); [] when the value is not an array. */
export function recordsOf(value: unknown): JsonRecord[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** The value when it is an array, else []. */
export function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The value when it is a string, else ''. (Upstream's zero value for a missing string field.) */
export function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The value when it is a finite number, else undefined. */
export function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A map of strings (labels, selectors, data); non-string values are dropped. */
export function stringMapOf(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) if (typeof item === 'string') out[key] = item;
  return out;
}

/** `parent[key]` as an object, created empty when absent or not an object. */
export function ensureRecord(parent: JsonRecord, key: string): JsonRecord {
  const existing = parent[key];
  if (isRecord(existing)) return existing;
  const created: JsonRecord = {};
  parent[key] = created;
  return created;
}

/** A Go pointer left nil: absent or null (an empty string or a zero is a value the client set). */
export function isNil(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

/** Unset in upstream's sense: absent, null or the empty string. */
export function isUnset(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
}

/**
 * Structural equality of JSON values for immutability checks, in the spirit of upstream's
 * `Semantic.DeepEqual`: key order is ignored, and a null, absent or empty-list field is the
 * same as no field (Go cannot tell a nil slice from a missing one either).
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keysA = Object.keys(a).filter((k) => present(a[k]));
    const keysB = Object.keys(b).filter((k) => present(b[k]));
    if (keysA.length !== keysB.length) return false;
    return keysA.every((k) => jsonEqual(a[k], b[k]));
  }
  return false;
}
