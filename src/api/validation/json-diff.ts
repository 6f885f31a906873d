// A short, readable list of where two JSON values differ. Upstream appends a Go cmp.Diff of the
// PodSpec to its "pod updates may not change fields" error; this is our equivalent.
import { isRecord, jsonEqual } from './json-access.js';

const MAX_LINES = 10;

function walk(before: unknown, after: unknown, path: string, out: string[]): void {
  if (out.length >= MAX_LINES || jsonEqual(before, after)) return;
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) walk(before[key], after[key], `${path}.${key}`, out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    before.forEach((item, i) => walk(item, after[i], `${path}[${i}]`, out));
    return;
  }
  out.push(`- ${path}: ${JSON.stringify(before) ?? 'null'}`, `+ ${path}: ${JSON.stringify(after) ?? 'null'}`);
}

/** Lines like `- spec.x: 1` / `+ spec.x: 2`, at most a few pairs. */
export function describeJsonDiff(before: unknown, after: unknown, path: string): string[] {
  const out: string[] = [];
  walk(before, after, path, out);
  return out;
}
