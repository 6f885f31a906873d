// RFC 7386 JSON Merge Patch (application/merge-patch+json), e.g. `kubectl scale` sends
// {"spec":{"replicas":4}} and `kubectl label` sends {"metadata":{"labels":{"x":null}}}.
import { cloneJson, isJsonObject } from './json-value.js';

/**
 * Objects merge recursively, `null` deletes a key, anything else (arrays too) replaces. Never
 * mutates `patch`; mutates `doc` only when `inPlace` (a private copy the caller made for this).
 */
export function applyMergePatch(doc: unknown, patch: unknown, inPlace = false): unknown {
  // Work on a full copy: callers default and store the result, which must share nothing with `doc`.
  return mergeInto(inPlace ? doc : cloneJson(doc), patch);
}

function mergeInto(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const result = isJsonObject(target) ? target : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else {
      result[key] = mergeInto(result[key], value);
    }
  }
  return result;
}
