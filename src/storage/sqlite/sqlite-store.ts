// The embedded, durable Store: a SQLite revision log (see sqlite-log.ts) with group commit.
//
// Group commit: with synchronous=FULL every COMMIT costs an fsync, so one transaction per write
// caps throughput at the disk's fsync rate. Instead writes are queued, and one flush per event-loop
// turn runs all of them in ONE transaction, each with its own compare-and-swap check (a failed
// check rejects that write only). Promises resolve after COMMIT returns, so "resolved" still means
// "durable". Example: 16 callers each with one create in flight -> ~16 writes per fsync.
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import {
  AlreadyExistsError,
  CompactedError,
  ConflictError,
  K8tsError,
  NotFoundError,
  UnavailableError,
} from '../../lib/errors.js';
import type { KeyValue, ListOptions, ListResult, Store, StoreEvent, Watch, WatchOptions } from '../store.js';
import { SqliteLog } from './sqlite-log.js';
import { SqliteWatchHub } from './sqlite-watch-hub.js';

export interface SqliteStoreOptions {
  /** Database file, or ':memory:' (tests). */
  readonly path: string;
  /** Log rows per watch-replay page and per compaction batch (tests use small values). */
  readonly batchSize?: number;
}

type WriteRequest =
  | { readonly op: 'create'; readonly key: string; readonly value: string }
  | { readonly op: 'update'; readonly key: string; readonly value: string; readonly expectedRevision: number }
  | { readonly op: 'delete'; readonly key: string; readonly expectedRevision: number | undefined };

interface PendingWrite {
  readonly request: WriteRequest;
  resolve(kv: KeyValue): void;
  reject(error: Error): void;
}

type WriteOutcome = { readonly kv: KeyValue; readonly event: StoreEvent } | { readonly error: K8tsError };

export class SqliteStore implements Store {
  readonly #log: SqliteLog;
  readonly #hub: SqliteWatchHub;
  readonly #batchSize: number;
  #pending: PendingWrite[] = [];
  #flushScheduled = false;
  #revision: number;
  #compacted: number;
  #closed = false;

  constructor(options: SqliteStoreOptions) {
    this.#log = new SqliteLog({ path: options.path });
    this.#batchSize = options.batchSize ?? 500;
    this.#revision = Math.max(this.#log.meta('revision'), this.#log.maxLogRevision());
    this.#compacted = this.#log.meta('compacted');
    this.#hub = new SqliteWatchHub({
      source: {
        currentRevision: () => this.#revision,
        compactedRevision: () => this.#compacted,
        eventsAfter: (prefix, after, limit) => this.#log.eventsAfter(prefix, after, limit),
      },
      replayPageSize: this.#batchSize,
    });
  }

  get(key: string): Promise<KeyValue | undefined> {
    return this.#read(() => this.#log.get(key));
  }

  list(options: ListOptions): Promise<ListResult> {
    return this.#read(() => {
      const limit = options.limit !== undefined && options.limit > 0 ? options.limit : -1;
      // One row beyond the limit tells whether there is more; SQLite treats LIMIT -1 as none.
      const fetch = limit > 0 ? limit + 1 : -1;
      const query = { prefix: options.prefix, ...(options.startAfter !== undefined ? { startAfter: options.startAfter } : {}) };
      let revision = this.#revision;
      let rows: KeyValue[];
      const latest = options.revision === undefined || options.revision >= this.#revision;
      if (latest) {
        rows = this.#log.listLatest(query, fetch);
      } else {
        if (this.#compacted > 0 && options.revision <= this.#compacted) {
          throw new CompactedError(options.revision, this.#compacted);
        }
        revision = Math.max(options.revision, 0);
        rows = this.#log.listAt(query, revision, fetch);
      }
      const more = limit > 0 && rows.length > limit;
      if (!more) return { items: rows, revision, more, ...(limit > 0 ? { remaining: 0 } : {}) };
      const items = rows.slice(0, limit);
      // Counted in the same synchronous read, so it describes the same snapshot as the page.
      const after = { prefix: options.prefix, startAfter: (items[items.length - 1] as KeyValue).key };
      const remaining = latest ? this.#log.countLatest(after) : this.#log.countAt(after, revision);
      return { items, revision, more, remaining };
    });
  }

  count(prefix: string): Promise<number> {
    return this.#read(() => this.#log.count(prefix));
  }

  create(key: string, value: string): Promise<KeyValue> {
    return this.#enqueue({ op: 'create', key, value });
  }

  update(key: string, value: string, expectedRevision: number): Promise<KeyValue> {
    return this.#enqueue({ op: 'update', key, value, expectedRevision });
  }

  delete(key: string, expectedRevision?: number): Promise<KeyValue> {
    return this.#enqueue({ op: 'delete', key, expectedRevision });
  }

  watch(options: WatchOptions): Watch {
    return this.#hub.watch(options);
  }

  currentRevision(): Promise<number> {
    return this.#read(() => this.#revision);
  }

  compactedRevision(): Promise<number> {
    return this.#read(() => this.#compacted);
  }

  /**
   * Records the compacted revision first (readers check it, so nobody reads half-deleted
   * history), then deletes superseded rows in batches, yielding to the event loop in between.
   */
  async compact(revision: number): Promise<void> {
    const target = await this.#read(() => {
      const capped = Math.min(revision, this.#revision);
      if (capped <= this.#compacted) return undefined;
      this.#log.transaction(() => this.#log.setMeta('compacted', capped));
      this.#compacted = capped;
      return capped;
    });
    if (target === undefined) return;
    let cursor = 0;
    for (;;) {
      await nextMacrotask();
      const done = await this.#read(() => {
        const end = this.#log.batchEnd(cursor, target, this.#batchSize);
        if (end === undefined) return true;
        this.#log.transaction(() => this.#log.compactRange(cursor, end, target));
        cursor = end;
        return end >= target;
      });
      if (done) return;
    }
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#flush();
    this.#closed = true;
    this.#hub.close();
    this.#log.close();
    return Promise.resolve();
  }

  #read<T>(operation: () => T): Promise<T> {
    if (this.#closed) return Promise.reject(new UnavailableError('store is closed'));
    try {
      return Promise.resolve(operation());
    } catch (error) {
      if (error instanceof K8tsError) return Promise.reject(error);
      return Promise.reject(new UnavailableError('sqlite read failed', { cause: error }));
    }
  }

  #enqueue(request: WriteRequest): Promise<KeyValue> {
    if (this.#closed) return Promise.reject(new UnavailableError('store is closed'));
    return new Promise((resolve, reject) => {
      this.#pending.push({ request, resolve, reject });
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  /** Commits every queued write in one transaction, then resolves them and feeds the watchers. */
  #flush(): void {
    this.#flushScheduled = false;
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length === 0 || this.#closed) {
      for (const write of batch) write.reject(new UnavailableError('store is closed'));
      return;
    }
    let revision = this.#revision;
    let outcomes: WriteOutcome[];
    try {
      outcomes = this.#log.transaction(() => {
        const results = batch.map((write): WriteOutcome => {
          const outcome = this.#apply(write.request, revision + 1);
          if ('kv' in outcome) revision++;
          return outcome;
        });
        if (revision > this.#revision) this.#log.setMeta('revision', revision);
        return results;
      });
    } catch (error) {
      // The whole transaction rolled back: nothing of this batch happened.
      for (const write of batch) write.reject(new UnavailableError('sqlite write failed', { cause: error }));
      return;
    }
    this.#revision = revision;
    const events: StoreEvent[] = [];
    for (const outcome of outcomes) if ('event' in outcome) events.push(outcome.event);
    this.#hub.publish(events);
    outcomes.forEach((outcome, i) => {
      const write = batch[i] as PendingWrite;
      if ('kv' in outcome) write.resolve(outcome.kv);
      else write.reject(outcome.error);
    });
  }

  /** One write inside the batch transaction; it sees the writes before it in the same batch. */
  #apply(request: WriteRequest, revision: number): WriteOutcome {
    const prev = this.#log.get(request.key);
    if (request.op === 'create') {
      if (prev !== undefined) return { error: new AlreadyExistsError(`key ${request.key} already exists`) };
      const kv: KeyValue = { key: request.key, value: request.value, createRevision: revision, modRevision: revision };
      this.#log.appendRow({ revision, key: request.key, value: request.value, createRevision: revision, prevRevision: null });
      return { kv, event: { type: 'added', revision, kv } };
    }
    if (prev === undefined) return { error: new NotFoundError(`key ${request.key} not found`) };
    if (request.expectedRevision !== undefined && prev.modRevision !== request.expectedRevision) {
      return {
        error: new ConflictError(`key ${request.key} is at revision ${prev.modRevision}, not ${request.expectedRevision}`, {
          currentRevision: prev.modRevision,
        }),
      };
    }
    const value = request.op === 'update' ? request.value : null;
    this.#log.appendRow({ revision, key: request.key, value, createRevision: prev.createRevision, prevRevision: prev.modRevision });
    if (request.op === 'update') {
      const kv: KeyValue = { key: request.key, value: request.value, createRevision: prev.createRevision, modRevision: revision };
      return { kv, event: { type: 'modified', revision, kv, prevKv: prev } };
    }
    const kv: KeyValue = { ...prev, modRevision: revision };
    return { kv, event: { type: 'deleted', revision, kv, prevKv: prev } };
  }
}
