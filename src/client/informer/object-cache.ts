// The indexed store behind an informer (client-go's thread-safe store + indexer): objects by key,
// plus for each index name a map from index value to keys. The `namespace` index always exists.
// Objects are deep-frozen on the way in: cached objects are shared by every controller, and a
// stray mutation throws at once instead of corrupting everyone's view.
import type { KubeObject } from '../../api/object.js';
import type { Indexers } from './informer.js';
import { objectKey } from './object-key.js';

export const NAMESPACE_INDEX = 'namespace';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export interface CacheDelta<T> {
  readonly added: T[];
  readonly updated: { readonly old: T; readonly current: T }[];
  readonly deleted: T[];
}

export class ObjectCache<T extends KubeObject> {
  private readonly objects = new Map<string, T>();
  private readonly indexers = new Map<string, (object: T) => readonly string[]>();
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor() {
    this.addIndexers({ [NAMESPACE_INDEX]: (object) => [object.metadata?.namespace ?? ''] });
  }

  get size(): number {
    return this.objects.size;
  }

  get(key: string): T | undefined {
    return this.objects.get(key);
  }

  list(): T[] {
    return [...this.objects.values()];
  }

  byIndex(indexName: string, value: string): T[] {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`informer has no index named "${indexName}"`);
    const out: T[] = [];
    for (const key of index.get(value) ?? []) {
      const object = this.objects.get(key);
      if (object) out.push(object);
    }
    return out;
  }

  hasIndex(indexName: string): boolean {
    return this.indices.has(indexName);
  }

  /**
   * Adds index functions and indexes what is already cached. Informers are shared, so two
   * controllers may declare the same index: the first declaration of a name wins (keep names
   * descriptive, e.g. `spec.nodeName`, so equal names mean equal functions).
   */
  addIndexers(indexers: Indexers<T>): void {
    for (const [name, indexFunction] of Object.entries(indexers)) {
      if (this.indexers.has(name)) continue;
      this.indexers.set(name, indexFunction);
      this.indices.set(name, new Map());
      for (const [key, object] of this.objects) this.index(name, key, object, 'add');
    }
  }

  /** Stores `object`; returns the object it replaced. */
  upsert(object: T): T | undefined {
    const key = objectKey(object);
    const old = this.objects.get(key);
    if (old) this.reindex(key, old, 'remove');
    const frozen = deepFreeze(object);
    this.objects.set(key, frozen);
    this.reindex(key, frozen, 'add');
    return old;
  }

  /** Removes the object with `key`; returns what was cached. */
  remove(key: string): T | undefined {
    const old = this.objects.get(key);
    if (!old) return undefined;
    this.reindex(key, old, 'remove');
    this.objects.delete(key);
    return old;
  }

  /**
   * Makes the cache hold exactly `items` (a relist) and says what changed: new keys are added,
   * keys with a different resourceVersion updated, keys no longer listed deleted.
   */
  replace(items: readonly T[]): CacheDelta<T> {
    const delta: CacheDelta<T> = { added: [], updated: [], deleted: [] };
    const listed = new Set<string>();
    for (const item of items) {
      const key = objectKey(item);
      listed.add(key);
      const old = this.objects.get(key);
      if (old && old.metadata?.resourceVersion === item.metadata?.resourceVersion) continue;
      this.upsert(item);
      if (old) delta.updated.push({ old, current: item });
      else delta.added.push(item);
    }
    for (const key of [...this.objects.keys()]) {
      if (listed.has(key)) continue;
      const old = this.remove(key);
      if (old) delta.deleted.push(old);
    }
    return delta;
  }

  private reindex(key: string, object: T, mode: 'add' | 'remove'): void {
    for (const name of this.indexers.keys()) this.index(name, key, object, mode);
  }

  private index(name: string, key: string, object: T, mode: 'add' | 'remove'): void {
    const indexFunction = this.indexers.get(name);
    const index = this.indices.get(name);
    if (!indexFunction || !index) return;
    for (const value of indexFunction(object)) {
      let keys = index.get(value);
      if (mode === 'add') {
        if (!keys) {
          keys = new Set();
          index.set(value, keys);
        }
        keys.add(key);
      } else if (keys) {
        keys.delete(key);
        if (keys.size === 0) index.delete(value);
      }
    }
  }
}
