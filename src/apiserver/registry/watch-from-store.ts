// A watch served straight from the store, for a resume point older than the watch cache's window.
// Same translation rules as the cache; objects are decoded per watcher (this path is rare). A
// compacted resume point ends the watch with an ERROR event: Status 410 Expired
// `too old resource version: <rv> (<oldest>)`, after which clients relist.
import type { KindInfo } from '../../api/kind-info.js';
import { CompactedError, UnavailableError } from '../../lib/errors.js';
import type { Store } from '../../storage/store.js';
import { statusFromError } from '../status.js';
import { ExpiredError } from './api-errors.js';
import { CacheEntry, translateEntry } from './cache-entry.js';
import { decodeObject } from './object-codec.js';
import type { ObjectFilter } from './object-filter.js';
import type { WatchEvent } from './registry-types.js';
import type { StorageMapping } from './strategy.js';

export function expiredEvent(requested: number, oldest: number): WatchEvent {
  const { status } = statusFromError(new ExpiredError(`too old resource version: ${requested} (${oldest})`));
  return { type: 'ERROR', object: status };
}

export async function* watchFromStore(options: {
  readonly store: Store;
  readonly info: KindInfo;
  readonly storage?: StorageMapping | undefined;
  readonly keyPrefix: string;
  readonly filter: ObjectFilter;
  readonly afterRevision: number;
  readonly signal: AbortSignal;
}): AsyncGenerator<WatchEvent> {
  const { store, info, storage, keyPrefix, filter, afterRevision, signal } = options;
  try {
    for await (const event of store.watch({ prefix: keyPrefix, afterRevision, signal })) {
      const type = event.type === 'added' ? 'ADDED' : event.type === 'modified' ? 'MODIFIED' : 'DELETED';
      const entry = new CacheEntry({
        revision: event.revision, key: event.kv.key, type,
        object: decodeObject(event.kv, info, storage),
        prevObject: type === 'MODIFIED' && event.prevKv ? decodeObject(event.prevKv, info, storage) : undefined,
      });
      const out = translateEntry(entry, keyPrefix, filter);
      if (out) yield out;
    }
  } catch (error) {
    if (error instanceof CompactedError) {
      yield expiredEvent(afterRevision, error.compactedRevision);
      return;
    }
    // The store connection dropped: end the stream; the client re-watches from its last revision.
    if (error instanceof UnavailableError) return;
    throw error;
  }
}
