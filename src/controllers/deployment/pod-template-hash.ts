// The pod-template-hash: names a Deployment's ReplicaSets (`web-7c5b8d9f4`) and labels their pods.
// Upstream: controller.ComputeHash = FNV-32a over the printed template, then collisionCount as 8
// little-endian bytes, then the decimal of the sum mapped through rand.SafeEncodeString. We hash a
// canonical JSON of the *defaulted, normalised* template instead of Go's printer, so the idea and
// the alphabet match but not the exact strings (no client relies on the value itself).
//
// Normalising matters for `kubectl rollout undo`: it sends the old ReplicaSet's template with
// `metadata.creationTimestamp: null` and every server default filled in; that must compare equal
// to (and hash like) the template it came from.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { defaultPodTemplateSpec } from '../../api/defaults/pod-spec.js';
import { isRecord, type JsonRecord } from '../../api/validation/json-access.js';
import { POD_TEMPLATE_HASH_LABEL } from './deployment-types.js';

/** Upstream's rand alphabet: no vowels (no words) and no look-alikes (0/o, 1/l, 3/e). */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Upstream's SafeEncodeString: each character c becomes SAFE_ALPHABET[code(c) % 27]. */
export function safeEncodeString(text: string): string {
  let out = '';
  for (const ch of text) out += SAFE_ALPHABET[(ch.codePointAt(0) ?? 0) % SAFE_ALPHABET.length] ?? '';
  return out;
}

const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

/** FNV-1a, 32 bits, over bytes. */
function fnv32a(bytes: Uint8Array, seed = FNV32_OFFSET): number {
  let hash = seed;
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, FNV32_PRIME) >>> 0;
  }
  return hash >>> 0;
}

/**
 * Drops what Go's Semantic.DeepEqual cannot see: null fields, empty lists and empty maps (nil and
 * empty are equal there), recursively. Key order is fixed later by the canonical printer.
 */
function prune(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(prune).map((item) => (item === undefined ? {} : item));
    return items.length === 0 ? undefined : items;
  }
  if (isRecord(value)) {
    const out: JsonRecord = {};
    for (const [key, item] of Object.entries(value)) {
      const pruned = prune(item);
      if (pruned !== undefined) out[key] = pruned;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value === null ? undefined : value;
}

/** JSON with object keys sorted at every level. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The template as compared and hashed: a defaulted copy without `pod-template-hash` and without
 * null/empty fields. `creationTimestamp` in template metadata is meaningless and always dropped.
 */
export function normalizePodTemplate(template: PodTemplateSpec | undefined): unknown {
  const copy = structuredClone(template ?? {}) as JsonRecord;
  defaultPodTemplateSpec(copy);
  const metadata = isRecord(copy.metadata) ? copy.metadata : undefined;
  if (metadata) {
    delete metadata.creationTimestamp;
    if (isRecord(metadata.labels)) delete metadata.labels[POD_TEMPLATE_HASH_LABEL];
  }
  return prune(copy) ?? {};
}

/** Upstream's EqualIgnoreHash: the templates are the same apart from the pod-template-hash label. */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return canonicalJson(normalizePodTemplate(a)) === canonicalJson(normalizePodTemplate(b));
}

/**
 * The pod-template-hash of a template (up to 10 characters of SAFE_ALPHABET). A collisionCount
 * (status.collisionCount, bumped when the name is taken by a different template) salts the hash
 * so the next attempt gets a different name.
 */
export function computePodTemplateHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  let hash = fnv32a(new TextEncoder().encode(canonicalJson(normalizePodTemplate(template))));
  if (collisionCount !== undefined) {
    const salt = new Uint8Array(8);
    new DataView(salt.buffer).setUint32(0, collisionCount >>> 0, true);
    hash = fnv32a(salt, hash);
  }
  return safeEncodeString(String(hash));
}
