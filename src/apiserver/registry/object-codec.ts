// How objects are stored: JSON without metadata.resourceVersion (the store's modRevision is the
// resourceVersion, so storing it would only let the two disagree). Reading puts it back and makes
// sure apiVersion/kind are present, since clients rely on them in every response.
import type { KindInfo } from '../../api/kind-info.js';
import { apiVersionOf, type KubeObject } from '../../api/object.js';
import type { KeyValue } from '../../storage/store.js';
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
  const parsed = JSON.parse(kv.value) as KubeObject;
  return withTypeAndVersion(storage ? storage.fromStorage(parsed) : parsed, info, kv.modRevision);
}

/** Makes a shared object read-only all the way down, so a consumer that mutates it fails loudly. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
