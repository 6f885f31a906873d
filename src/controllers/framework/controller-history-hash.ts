// The two ingredients of a ControllerRevision's hash, kept byte-compatible with upstream so a
// revision's data hashes to the same name here as under kube-controller-manager.

const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

/**
 * FNV-1, 32 bits (Go's hash/fnv New32): multiply, then xor each byte. (FNV-1a, which the
 * pod-template-hash uses, xors first.) `seed` continues an earlier sum, as further writes to the
 * same Go hasher do. Example: fnv32('a') = 0x050c5d7e, where FNV-1a would give 0xe40c292c.
 */
export function fnv32(input: string | Uint8Array, seed = FNV32_OFFSET): number {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  let hash = seed;
  for (const byte of bytes) {
    hash = Math.imul(hash, FNV32_PRIME);
    hash = (hash ^ byte) >>> 0;
  }
  return hash >>> 0;
}

/** What Go's encoding/json escapes beyond JSON.stringify: HTML characters and JS line separators. */
const GO_EXTRA_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029',
};

function goString(text: string): string {
  return JSON.stringify(text).replace(/[<>&\u2028\u2029]/g, (ch) => GO_EXTRA_ESCAPES[ch] ?? ch);
}

/**
 * JSON as Go's json.Marshal writes a map[string]interface{}: compact, object keys sorted at every
 * level, HTML characters escaped. A revision's data is such a map upstream (the controllers build
 * it by unmarshalling and re-marshalling), so these are the bytes upstream hashes and compares.
 * Example: {b: 1, a: '<x>'} -> `{"a":"\u003cx\u003e","b":1}`.
 */
export function goJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort();
    return `{${keys.map((key) => `${goString(key)}:${goJson(record[key])}`).join(',')}}`;
  }
  if (typeof value === 'string') return goString(value);
  return JSON.stringify(value) ?? 'null';
}
