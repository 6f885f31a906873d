// The per-resource watch cache (upstream's cacher): ONE store watch per resource, started lazily,
// feeding
//   - the current state (key -> object), for the synthetic ADDED events of `resourceVersion=0`
//   - a window of recent events (event-ring.ts), so a watcher can resume from a resourceVersion in it
//   - every watcher, each with its own namespace/selector filter and its own bounded queue.
// Each store event is decoded once; the object (frozen) and its WatchEvent are shared by all
// watchers, so consumers must never mutate them.
// A resume point older than the window is served by a direct store watch (watch-from-store.ts),
// which answers 410 Expired when the store has compacted it away. A store watch that fails with
// UnavailableError is restarted from the last revision seen; one that was compacted under us
// (long outage) relists and ends every watcher with 410, as their history has a hole.
import type { KindInfo } from '../../api/kind-info.js';
import type { StorageMapping } from './strategy.js';
import { apiVersionOf, type KubeObject } from '../../api/object.js';
import { CompactedError } from '../../lib/errors.js';
import type { Store, StoreEvent } from '../../storage/store.js';
import { CacheEntry, translateEntry, type ChangeType } from './cache-entry.js';
import { EventRing } from './event-ring.js';
import { decodeShared, deepFreeze } from './object-codec.js';
import type { ObjectFilter } from './object-filter.js';
import type { WatchEvent } from './registry-types.js';
import { expiredEvent, watchFromStore } from './watch-from-store.js';
import { WatcherQueue } from './watcher-queue.js';

/** Upstream's cacher keeps ~75 s of history too (its eventFreshDuration). */
const DEFAULT_WINDOW = { minCapacity: 1024, maxCapacity: 32_768, freshMs: 75_000 } as const;

export interface WatchCacheOptions {
  readonly store: Store;
  readonly info: KindInfo;
  /** The kind's StorageMapping, when it is stored in another resource's shape. */
  readonly storage?: StorageMapping | undefined;
  /** The resource prefix (`/registry/apps/deployments/`). */
  readonly prefix: string;
  /** A fixed number of events kept for resuming; default: the last 75 s of events, 1,024 to 32,768. */
  readonly capacity?: number;
  /** Events a watcher may fall behind before it is closed (default 1000). */
  readonly watcherQueueLimit?: number;
  /** Bookmark period for watchers that allow them (default 60 s). */
  readonly bookmarkIntervalMs?: number;
  /** Pause before restarting a failed store watch (default 250 ms). */
  readonly retryDelayMs?: number;
}

/** Where a watch starts. */
export type WatchStart =
  /** Changes after this revision. */
  | { readonly kind: 'resume'; readonly afterRevision: number }
  /** Changes after the store's current revision, no initial state. */
  | { readonly kind: 'now' }
  /** ADDED for the cache's current state (any recent state, `resourceVersion=0`), then changes. */
  | { readonly kind: 'cached-state' }
  /** ADDED for the store's current state (a consistent read), then changes. */
  | { readonly kind: 'consistent-state' };

export interface CacheWatchRequest {
  /** Namespace prefix (or the resource prefix for all namespaces). */
  readonly keyPrefix: string;
  readonly filter: ObjectFilter;
  readonly start: WatchStart;
  readonly allowBookmarks: boolean;
  /** Send the `k8s.io/initial-events-end` bookmark after the initial state (sendInitialEvents). */
  readonly initialEventsEnd: boolean;
  readonly signal: AbortSignal;
}

interface Watcher {
  readonly keyPrefix: string;
  readonly filter: ObjectFilter;
  readonly afterRevision: number;
  readonly allowBookmarks: boolean;
  readonly queue: WatcherQueue;
}

export class WatchCache {
  readonly #store: Store;
  readonly #info: KindInfo;
  readonly #storage: StorageMapping | undefined;
  readonly #prefix: string;
  readonly #ring: EventRing<CacheEntry>;
  readonly #queueLimit: number;
  readonly #bookmarkIntervalMs: number;
  readonly #retryDelayMs: number;
  readonly #state = new Map<string, KubeObject>();
  readonly #watchers = new Set<Watcher>();
  readonly #abort = new AbortController();
  #started: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** The revision the cache reflects: everything up to it has been applied. */
  #revision = 0;
  /** Every event after this revision is in the ring. */
  #windowStart = 0;

  constructor(options: WatchCacheOptions) {
    this.#store = options.store;
    this.#info = options.info;
    this.#storage = options.storage;
    this.#prefix = options.prefix;
    this.#ring = new EventRing(options.capacity === undefined ? DEFAULT_WINDOW : { minCapacity: options.capacity });
    this.#queueLimit = options.watcherQueueLimit ?? 1000;
    this.#bookmarkIntervalMs = options.bookmarkIntervalMs ?? 60_000;
    this.#retryDelayMs = options.retryDelayMs ?? 250;
  }

  /** The revision the cache has caught up to (for tests and bookmarks). */
  get revision(): number {
    return this.#revision;
  }

  get watcherCount(): number {
    return this.#watchers.size;
  }

  /** Lists the resource and starts the store watch, once. A failed start is retried by the next caller. */
  ensureStarted(): Promise<void> {
    if (this.#abort.signal.aborted) return Promise.reject(new Error('watch cache is closed'));
    this.#started ??= this.#start().catch((error: unknown) => {
      this.#started = undefined;
      throw error;
    });
    return this.#started;
  }

  /**
   * The cached object at `key` if it is exactly the stored revision `revision` (else undefined: not
   * cached yet, or the cache lags the store). Deep-frozen and shared: read it, never mutate it.
   */
  objectAt(key: string, revision: number): KubeObject | undefined {
    const object = this.#state.get(key);
    return object?.metadata?.resourceVersion === String(revision) ? object : undefined;
  }

  close(): void {
    this.#abort.abort();
    if (this.#timer) clearInterval(this.#timer);
    for (const watcher of this.#watchers) watcher.queue.end();
    this.#watchers.clear();
  }

  watch(request: CacheWatchRequest): AsyncIterable<WatchEvent> {
    return this.#watch(request);
  }

  async *#watch(request: CacheWatchRequest): AsyncGenerator<WatchEvent> {
    await this.ensureStarted();
    const initial: WatchEvent[] = [];
    let afterRevision: number;
    switch (request.start.kind) {
      case 'resume':
        afterRevision = request.start.afterRevision;
        break;
      case 'now':
        afterRevision = Math.max(this.#revision, await this.#store.currentRevision());
        break;
      case 'cached-state':
        afterRevision = this.#revision;
        for (const key of [...this.#state.keys()].sort()) {
          const object = this.#state.get(key);
          if (object && key.startsWith(request.keyPrefix) && request.filter.matches(object)) initial.push({ type: 'ADDED', object });
        }
        break;
      case 'consistent-state': {
        const list = await this.#store.list({ prefix: request.keyPrefix });
        afterRevision = list.revision;
        for (const kv of list.items) {
          const object = decodeShared(kv, this.#info, this.#storage);
          if (request.filter.matches(object)) initial.push({ type: 'ADDED', object });
        }
        break;
      }
    }
    if (request.signal.aborted) return;

    if (afterRevision < this.#windowStart) {
      // Older than the window: only the store still has that history (if not compacted).
      yield* watchFromStore({
        store: this.#store, info: this.#info, storage: this.#storage, keyPrefix: request.keyPrefix, filter: request.filter,
        afterRevision, signal: request.signal,
      });
      return;
    }

    // From here to the registration nothing awaits, so no event can slip between replay and live.
    const watcher: Watcher = {
      keyPrefix: request.keyPrefix, filter: request.filter, afterRevision,
      allowBookmarks: request.allowBookmarks, queue: new WatcherQueue({ limit: this.#queueLimit }),
    };
    for (const event of initial) watcher.queue.pushUnbounded(event);
    if (request.initialEventsEnd) {
      watcher.queue.pushUnbounded(this.#bookmark(afterRevision, { 'k8s.io/initial-events-end': 'true' }));
    }
    for (const entry of this.#ring.after(afterRevision)) {
      const event = translateEntry(entry, watcher.keyPrefix, watcher.filter);
      if (event) watcher.queue.pushUnbounded(event);
    }
    this.#watchers.add(watcher);
    const onAbort = (): void => watcher.queue.abort();
    request.signal.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        const next = await watcher.queue.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      request.signal.removeEventListener('abort', onAbort);
      this.#watchers.delete(watcher);
    }
  }

  async #start(): Promise<void> {
    const list = await this.#store.list({ prefix: this.#prefix });
    this.#state.clear();
    for (const kv of list.items) this.#state.set(kv.key, decodeShared(kv, this.#info, this.#storage));
    this.#revision = list.revision;
    this.#windowStart = list.revision;
    this.#ring.clear();
    void this.#run();
    this.#timer = setInterval(() => this.#sendBookmarks(), this.#bookmarkIntervalMs);
    this.#timer.unref();
  }

  async #run(): Promise<void> {
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      try {
        for await (const event of this.#store.watch({ prefix: this.#prefix, afterRevision: this.#revision, signal })) {
          this.#apply(event);
        }
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof CompactedError) {
          await this.#relist().catch(() => undefined);
          continue;
        }
        // UnavailableError (or anything unexpected): resume from the last revision after a pause.
        await pause(this.#retryDelayMs, signal);
      }
    }
  }

  /** The store forgot history we had not seen: start over, and tell every watcher it must too. */
  async #relist(): Promise<void> {
    const list = await this.#store.list({ prefix: this.#prefix });
    const stale = this.#revision;
    this.#state.clear();
    for (const kv of list.items) this.#state.set(kv.key, decodeShared(kv, this.#info, this.#storage));
    this.#ring.clear();
    this.#revision = list.revision;
    this.#windowStart = list.revision;
    for (const watcher of this.#watchers) {
      watcher.queue.push(expiredEvent(stale, list.revision));
      watcher.queue.end();
    }
    this.#watchers.clear();
  }

  #apply(event: StoreEvent): void {
    if (event.revision <= this.#revision) return;
    const key = event.kv.key;
    const prevObject = this.#state.get(key);
    const object = decodeShared(event.kv, this.#info, this.#storage);
    const type: ChangeType = event.type === 'added' ? 'ADDED' : event.type === 'modified' ? 'MODIFIED' : 'DELETED';
    if (type === 'DELETED') this.#state.delete(key);
    else this.#state.set(key, object);
    const entry = new CacheEntry({ revision: event.revision, key, type, object, prevObject: type === 'MODIFIED' ? prevObject : undefined });
    const evicted = this.#ring.push(entry);
    if (evicted) this.#windowStart = evicted.revision;
    this.#revision = event.revision;
    for (const watcher of this.#watchers) {
      if (entry.revision <= watcher.afterRevision) continue;
      const out = translateEntry(entry, watcher.keyPrefix, watcher.filter);
      if (out && !watcher.queue.push(out)) this.#watchers.delete(watcher);
    }
  }

  #sendBookmarks(): void {
    let shared: WatchEvent | undefined;
    for (const watcher of this.#watchers) {
      if (!watcher.allowBookmarks) continue;
      let event: WatchEvent;
      if (watcher.afterRevision > this.#revision) event = this.#bookmark(watcher.afterRevision);
      else event = shared ??= this.#bookmark(this.#revision);
      if (!watcher.queue.push(event)) this.#watchers.delete(watcher);
    }
  }

  #bookmark(revision: number, annotations?: Record<string, string>): WatchEvent {
    const metadata: Record<string, unknown> = { resourceVersion: String(revision) };
    if (annotations) metadata['annotations'] = annotations;
    const object = deepFreeze({ kind: this.#info.kind, apiVersion: apiVersionOf(this.#info.group, this.#info.version), metadata });
    return Object.freeze({ type: 'BOOKMARK', object });
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
