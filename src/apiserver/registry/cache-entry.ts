// One store event as the watch cache keeps it: decoded once, frozen, and shared by every watcher.
// The WatchEvent objects are shared too (one per shape), so the HTTP layer can serialize each
// event once and reuse the text for every watcher (it caches by object identity).
import type { KubeObject } from '../../api/object.js';
import { deepFreeze } from './object-codec.js';
import type { ObjectFilter } from './object-filter.js';
import type { WatchEvent } from './registry-types.js';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export class CacheEntry {
  readonly revision: number;
  readonly key: string;
  readonly type: ChangeType;
  /** The object after the change (for DELETED: its last state, resourceVersion = the deletion revision). */
  readonly object: KubeObject;
  /** The object before the change (MODIFIED only): what selector transitions compare against. */
  readonly prevObject: KubeObject | undefined;
  readonly event: WatchEvent;
  #asAdded: WatchEvent | undefined;
  #asDeleted: WatchEvent | undefined;

  constructor(options: { revision: number; key: string; type: ChangeType; object: KubeObject; prevObject: KubeObject | undefined }) {
    this.revision = options.revision;
    this.key = options.key;
    this.type = options.type;
    this.object = options.object;
    this.prevObject = options.prevObject;
    this.event = Object.freeze({ type: options.type, object: options.object });
  }

  /** A modification that made the object start matching a watcher's selector. */
  asAdded(): WatchEvent {
    this.#asAdded ??= Object.freeze({ type: 'ADDED', object: this.object });
    return this.#asAdded;
  }

  /**
   * A modification that made the object stop matching: upstream sends DELETED with the previous
   * content but the event's resourceVersion, so clients can resume from it.
   */
  asDeleted(): WatchEvent {
    if (!this.#asDeleted) {
      const prev = this.prevObject ?? this.object;
      // Shallow copies only: the nested parts stay shared and frozen.
      const object = deepFreeze({ ...prev, metadata: { ...(prev.metadata ?? {}), resourceVersion: String(this.revision) } });
      this.#asDeleted = Object.freeze({ type: 'DELETED', object });
    }
    return this.#asDeleted;
  }
}

/**
 * What a watcher with this namespace prefix and selector sees of an entry (upstream's cacheWatcher
 * rules): a MODIFIED that enters the selector is ADDED, one that leaves it is DELETED.
 */
export function translateEntry(entry: CacheEntry, keyPrefix: string, filter: ObjectFilter): WatchEvent | undefined {
  if (!entry.key.startsWith(keyPrefix)) return undefined;
  if (!filter.selective) return entry.event;
  const matchesNow = filter.matches(entry.object);
  if (entry.type !== 'MODIFIED') return matchesNow ? entry.event : undefined;
  const matchedBefore = entry.prevObject !== undefined && filter.matches(entry.prevObject);
  if (matchesNow && matchedBefore) return entry.event;
  if (matchesNow) return entry.asAdded();
  if (matchedBefore) return entry.asDeleted();
  return undefined;
}
