// Field-selector getters for kind strategies: a dotted path read as upstream's selectable-field
// strings (strings as they are, numbers and booleans printed, unset as the Go zero value).
import type { KubeObject } from '../../../api/object.js';

export type FieldGetter = (obj: KubeObject) => string;

function lookup(obj: unknown, path: string): unknown {
  let value: unknown = obj;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Reads `path`; `zero` is what an unset field prints as ('' for strings, 'false', '0'). */
export function pathField(path: string, zero = ''): FieldGetter {
  return (obj) => {
    const value = lookup(obj, path);
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return zero;
  };
}

/** A getter per path, for kinds whose selectable fields are plain string paths. */
export function pathFields(paths: readonly string[]): Record<string, FieldGetter> {
  return Object.fromEntries(paths.map((p) => [p, pathField(p)]));
}
