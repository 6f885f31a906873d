// An in-process Store for tests and throwaway clusters. It keeps every version of every key since
// the last compaction, so lists at an older revision and watches from an older revision work
// exactly as on the durable backends.
import {
  AlreadyExistsError,
  CompactedError,
  ConflictError,
  NotFoundError,
  UnavailableError,
} from '../../lib/errors.js';
import type { KeyValue, ListOptions, ListResult, Store, StoreEvent, Watch, WatchOptions } from '../store.js';
import { WatchChannel } from '../watch-channel.js';

/** One write to a key. `value` undefined marks a deletion (tombstone). */
interface Version {
  readonly revision: number;
  readonly createRevision: number;
  readonly value: string | undefined;
}

interface Subscriber {
  readonly prefix: string;
  readonly channel: WatchChannel;
}

export class MemoryStore implements Store {
  /** Every key with history since the last compaction, versions in ascending revision order. */
  readonly #versions = new Map<string, Version[]>();
  /**
   * The keys of #versions in ascending order (tombstoned keys stay until compaction), except
   * those in #newKeys: a new key is only pushed there and merged in by the next range read,
   * because a sorted insert per create costs O(keys) and creates far outnumber range reads.
   */
  #sortedKeysMerged: string[] = [];
  #newKeys: string[] = [];
  /** Every event since the last compaction, ascending by revision. */
  #events: StoreEvent[] = [];
  readonly #subscribers = new Set<Subscriber>();
  #revision = 0;
  #compacted = 0;
  #closed = false;

  get(key: string): Promise<KeyValue | undefined> {
    return this.#run(() => this.#current(key));
  }

  list(options: ListOptions): Promise<ListResult> {
    return this.#run(() => {
      const sortedKeys = this.#sortedKeys();
      const revision = this.#readRevision(options.revision);
      const limit = options.limit !== undefined && options.limit > 0 ? options.limit : Infinity;
      const items: KeyValue[] = [];
      let index = lowerBound(sortedKeys, options.prefix);
      if (options.startAfter !== undefined && options.startAfter >= options.prefix) {
        index = lowerBound(sortedKeys, options.startAfter);
        if (sortedKeys[index] === options.startAfter) index++;
      }
      let remaining = 0;
      for (; index < sortedKeys.length; index++) {
        const key = sortedKeys[index] as string;
        if (!key.startsWith(options.prefix)) break;
        if (this.#at(key, revision) === undefined) continue;
        // Past the page: only counted, for `remaining`.
        if (items.length === limit) remaining++;
        else items.push(this.#at(key, revision) as KeyValue);
      }
      if (limit === Infinity) return { items, revision, more: false };
      return { items, revision, more: remaining > 0, remaining };
    });
  }

  count(prefix: string): Promise<number> {
    return this.#run(() => {
      let n = 0;
      const sortedKeys = this.#sortedKeys();
      for (let i = lowerBound(sortedKeys, prefix); i < sortedKeys.length; i++) {
        const key = sortedKeys[i] as string;
        if (!key.startsWith(prefix)) break;
        if (this.#current(key) !== undefined) n++;
      }
      return n;
    });
  }

  create(key: string, value: string): Promise<KeyValue> {
    return this.#run(() => {
      if (this.#current(key) !== undefined) throw new AlreadyExistsError(`key ${key} already exists`);
      const revision = ++this.#revision;
      const kv: KeyValue = { key, value, createRevision: revision, modRevision: revision };
      this.#append(key, { revision, createRevision: revision, value });
      this.#publish({ type: 'added', revision, kv });
      return kv;
    });
  }

  update(key: string, value: string, expectedRevision: number): Promise<KeyValue> {
    return this.#run(() => {
      const prev = this.#current(key);
      if (prev === undefined) throw new NotFoundError(`key ${key} not found`);
      if (prev.modRevision !== expectedRevision) {
        throw new ConflictError(`key ${key} is at revision ${prev.modRevision}, not ${expectedRevision}`, {
          currentRevision: prev.modRevision,
        });
      }
      const revision = ++this.#revision;
      const kv: KeyValue = { key, value, createRevision: prev.createRevision, modRevision: revision };
      this.#append(key, { revision, createRevision: prev.createRevision, value });
      this.#publish({ type: 'modified', revision, kv, prevKv: prev });
      return kv;
    });
  }

  delete(key: string, expectedRevision?: number): Promise<KeyValue> {
    return this.#run(() => {
      const prev = this.#current(key);
      if (prev === undefined) throw new NotFoundError(`key ${key} not found`);
      if (expectedRevision !== undefined && prev.modRevision !== expectedRevision) {
        throw new ConflictError(`key ${key} is at revision ${prev.modRevision}, not ${expectedRevision}`, {
          currentRevision: prev.modRevision,
        });
      }
      const revision = ++this.#revision;
      const kv: KeyValue = { ...prev, modRevision: revision };
      this.#append(key, { revision, createRevision: prev.createRevision, value: undefined });
      this.#publish({ type: 'deleted', revision, kv, prevKv: prev });
      return kv;
    });
  }

  watch(options: WatchOptions): Watch {
    const subscriber: Subscriber = {
      prefix: options.prefix,
      channel: new WatchChannel({ signal: options.signal, onClose: () => this.#subscribers.delete(subscriber) }),
    };
    if (this.#closed) {
      subscriber.channel.fail(new UnavailableError('store is closed'));
      return subscriber.channel;
    }
    if (options.afterRevision < this.#compacted) {
      subscriber.channel.fail(new CompactedError(options.afterRevision + 1, this.#compacted));
      return subscriber.channel;
    }
    // Everything here is synchronous, so replaying the log and subscribing cannot interleave
    // with a write: no gap and no duplicate between the replayed and the live part.
    for (let i = this.#firstEventAfter(options.afterRevision); i < this.#events.length; i++) {
      const event = this.#events[i] as StoreEvent;
      if (event.kv.key.startsWith(options.prefix)) subscriber.channel.push(event);
    }
    if (!subscriber.channel.closed) this.#subscribers.add(subscriber);
    return subscriber.channel;
  }

  currentRevision(): Promise<number> {
    return this.#run(() => this.#revision);
  }

  compact(revision: number): Promise<void> {
    return this.#run(() => {
      const target = Math.min(revision, this.#revision);
      if (target <= this.#compacted) return;
      this.#compacted = target;
      this.#events = this.#events.slice(this.#firstEventAfter(target));
      const dropped = new Set<string>();
      for (const [key, versions] of this.#versions) {
        // Keep the newest version at or below the target (it is still the state after it)
        // unless it is a tombstone; everything older is superseded.
        let newestOld = -1;
        while (newestOld + 1 < versions.length && (versions[newestOld + 1] as Version).revision <= target) newestOld++;
        if (newestOld < 0) continue;
        const keepFrom = (versions[newestOld] as Version).value === undefined ? newestOld + 1 : newestOld;
        if (keepFrom === 0) continue;
        versions.splice(0, keepFrom);
        if (versions.length === 0) dropped.add(key);
      }
      if (dropped.size > 0) {
        for (const key of dropped) this.#versions.delete(key);
        this.#sortedKeysMerged = this.#sortedKeys().filter((key) => !dropped.has(key));
      }
    });
  }

  compactedRevision(): Promise<number> {
    return this.#run(() => this.#compacted);
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      for (const subscriber of [...this.#subscribers]) subscriber.channel.fail(new UnavailableError('store is closed'));
      this.#subscribers.clear();
    }
    return Promise.resolve();
  }

  /** Runs a synchronous operation, turning a throw into a rejection. */
  #run<T>(operation: () => T): Promise<T> {
    if (this.#closed) return Promise.reject(new UnavailableError('store is closed'));
    try {
      return Promise.resolve(operation());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  #readRevision(requested: number | undefined): number {
    if (requested === undefined || requested >= this.#revision) return this.#revision;
    if (this.#compacted > 0 && requested <= this.#compacted) throw new CompactedError(requested, this.#compacted);
    return Math.max(requested, 0);
  }

  #current(key: string): KeyValue | undefined {
    return this.#at(key, this.#revision);
  }

  /** The live value of `key` as of `revision`, if any. */
  #at(key: string, revision: number): KeyValue | undefined {
    const versions = this.#versions.get(key);
    if (versions === undefined) return undefined;
    let lo = 0;
    let hi = versions.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((versions[mid] as Version).revision <= revision) lo = mid + 1;
      else hi = mid;
    }
    const version = versions[lo - 1];
    if (version?.value === undefined) return undefined;
    return { key, value: version.value, createRevision: version.createRevision, modRevision: version.revision };
  }

  #append(key: string, version: Version): void {
    const versions = this.#versions.get(key);
    if (versions !== undefined) {
      versions.push(version);
      return;
    }
    this.#versions.set(key, [version]);
    this.#newKeys.push(key);
  }

  /** Every key in ascending order: merges the keys created since the last range read. */
  #sortedKeys(): string[] {
    if (this.#newKeys.length === 0) return this.#sortedKeysMerged;
    // Default sort order is UTF-16 code unit order, the same as `<` in lowerBound.
    const added = this.#newKeys.sort();
    this.#newKeys = [];
    const old = this.#sortedKeysMerged;
    const merged = new Array<string>(old.length + added.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < old.length && j < added.length) merged[k++] = (old[i] as string) < (added[j] as string) ? (old[i++] as string) : (added[j++] as string);
    while (i < old.length) merged[k++] = old[i++] as string;
    while (j < added.length) merged[k++] = added[j++] as string;
    this.#sortedKeysMerged = merged;
    return merged;
  }

  #publish(event: StoreEvent): void {
    this.#events.push(event);
    for (const subscriber of this.#subscribers) {
      if (event.kv.key.startsWith(subscriber.prefix)) subscriber.channel.push(event);
    }
  }

  /** Index of the first retained event with revision > `revision`. */
  #firstEventAfter(revision: number): number {
    let lo = 0;
    let hi = this.#events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.#events[mid] as StoreEvent).revision <= revision) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** First index whose key is >= `key` (JS string order). */
function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as string) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
