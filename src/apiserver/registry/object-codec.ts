// How objects are stored: JSON without metadata.resourceVersion (the store's modRevision is the
// resourceVersion, so storing it would only let the two disagree). Reading puts it back and makes
// sure apiVersion/kind are present, since clients rely on them in every response.
import type { KindInfo } from '../../api/kind-info.js';
import { apiVersionOf, type KubeObject } from '../../api/object.js';
import type { KeyValue } from '../../storage/store.js';
import { noteServedJson, servesAsStored } from './served-json.js';
import type { StorageMapping } from './strategy.js';

/** `storage`: the kind is stored in another resource's shape (strategy.ts, StorageMapping). */
export function encodeObject(served: KubeObject, storage?: StorageMapping): string {
  const obj = storage ? storage.toStorage(served) : served;
  const metadata = obj.metadata;
  if (metadata?.resourceVersion === undefined) return JSON.stringify(obj);
  const { resourceVersion: _dropped, ...rest } = metadata;
  return JSON.stringify({ ...obj, metadata: rest });
}

/** Sets apiVersion/kind (first, as upstream orders them) and the resourceVersion, in place. */
export function withTypeAndVersion(obj: KubeObject, info: KindInfo, revision: number | undefined): KubeObject {
  const metadata = { ...(obj.metadata ?? {}) };
  if (revision === undefined) delete metadata.resourceVersion;
  else metadata.resourceVersion = String(revision);
  const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = obj;
  return { apiVersion: apiVersionOf(info.group, info.version), kind: info.kind, metadata, ...rest };
}

export function decodeObject(kv: KeyValue, info: KindInfo, storage?: StorageMapping): KubeObject {
  return decodeParsed(JSON.parse(kv.value) as KubeObject, kv, info, storage);
}

/**
 * decodeObject for the watch cache: frozen, and when its text can be reused (served-json.ts) noted
 * so that watch lines and answers of it need not serialize it again.
 */
export function decodeShared(kv: KeyValue, info: KindInfo, storage?: StorageMapping): KubeObject {
  const parsed = JSON.parse(kv.value) as KubeObject;
  if (storage === undefined && servesAsStored(parsed, info, kv.value)) {
    // apiVersion and kind are already the served ones: only the resourceVersion is missing.
    (parsed.metadata as { resourceVersion?: string }).resourceVersion = String(kv.modRevision);
    noteServedJson(deepFreeze(parsed), kv.value, kv.modRevision);
    return parsed;
  }
  return deepFreeze(decodeParsed(parsed, kv, info, storage));
}

function decodeParsed(parsed: KubeObject, kv: KeyValue, info: KindInfo, storage: StorageMapping | undefined): KubeObject {
  if (storage === undefined && startsWithTypeMeta(parsed)) {
    // What encodeObject stored from a served object (apiVersion, kind, metadata first): the fresh
    // parse is ours, so stamp it in place; the result is the same object, in the same key order,
    // as withTypeAndVersion's copy, without copying every top-level member and the metadata.
    parsed.apiVersion = apiVersionOf(info.group, info.version);
    parsed.kind = info.kind;
    (parsed.metadata as { resourceVersion?: string }).resourceVersion = String(kv.modRevision);
    return parsed;
  }
  return withTypeAndVersion(storage ? storage.fromStorage(parsed) : parsed, info, kv.modRevision);
}

/** True when the first three members are apiVersion, kind and a metadata object, in that order. */
function startsWithTypeMeta(obj: KubeObject): boolean {
  let index = 0;
  for (const key in obj) {
    if (key !== (index === 0 ? 'apiVersion' : index === 1 ? 'kind' : 'metadata')) return false;
    if (++index === 3) break;
  }
  const metadata = obj.metadata;
  return index === 3 && typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata);
}

/**
 * Makes a shared object read-only all the way down, so a consumer that mutates it fails loudly.
 * Every object the watch cache holds goes through here: plain loops that only recurse into
 * objects cost about half of Object.values and a call per leaf (for...in is safe: these are
 * plain JSON data, nothing inherited is enumerable).
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const inner: unknown = value[i];
      if (typeof inner === 'object' && inner !== null) deepFreeze(inner);
    }
  } else {
    for (const key in value) {
      const inner: unknown = (value as Record<string, unknown>)[key];
      if (typeof inner === 'object' && inner !== null) deepFreeze(inner);
    }
  }
  return value;
}
