// Equality the way upstream's apiequality.Semantic sees API objects read back from the server:
// an absent list or map equals an empty one, key order does not matter. Controllers compare what
// they computed with what the cache holds through this, so a round trip through the API server
// (which may drop `[]` or add `{}`) never looks like a change and never causes a write.

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map((item) => canonical(item) ?? null);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .map(([key, item]) => [key, canonical(item)] as const)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return entries.length === 0 ? undefined : Object.fromEntries(entries);
  }
  return value === null ? undefined : value;
}

/** A stable string that is equal for semantically equal values. */
export function semanticKey(value: unknown): string {
  return JSON.stringify(canonical(value) ?? null);
}

export function semanticEqual(a: unknown, b: unknown): boolean {
  return semanticKey(a) === semanticKey(b);
}
