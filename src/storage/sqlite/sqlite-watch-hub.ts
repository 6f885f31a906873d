// Watch fan-out for the SQLite store. Committed batches are published here (after COMMIT), and a
// watcher that starts at an older revision first replays the log page by page.
//
// Why replay then live has no gap and no duplicate: the subscriber is registered before the first
// log page is read, so any event committed from then on is both buffered here and (if committed
// before a later page is read) found in the log. Every event is delivered only if its revision is
// above the last one delivered, and the replay ends on a short page, when everything committed
// so far has been read; the buffer then holds whatever was committed after that page.
import { CompactedError, UnavailableError } from '../../lib/errors.js';
import type { StoreEvent, Watch, WatchOptions } from '../store.js';
import { WatchChannel } from '../watch-channel.js';

interface Subscriber {
  readonly prefix: string;
  readonly channel: WatchChannel;
  /** Revision of the last event delivered (or the watch's afterRevision). */
  lastRevision: number;
  /** Live events that arrived during the replay, delivered after it. Undefined once live. */
  pending: StoreEvent[] | undefined;
}

export interface WatchHubSource {
  /** Revision of the last committed write. */
  currentRevision(): number;
  compactedRevision(): number;
  /** Reads committed events from the log. */
  eventsAfter(prefix: string, afterRevision: number, limit: number): StoreEvent[];
}

export class SqliteWatchHub {
  readonly #source: WatchHubSource;
  readonly #pageSize: number;
  readonly #subscribers = new Set<Subscriber>();
  #closed = false;

  constructor(options: { source: WatchHubSource; replayPageSize?: number }) {
    this.#source = options.source;
    this.#pageSize = options.replayPageSize ?? 500;
  }

  watch(options: WatchOptions): Watch {
    const subscriber: Subscriber = {
      prefix: options.prefix,
      channel: new WatchChannel({ signal: options.signal, onClose: () => this.#subscribers.delete(subscriber) }),
      lastRevision: options.afterRevision,
      pending: [],
    };
    if (this.#closed) {
      subscriber.channel.fail(new UnavailableError('store is closed'));
      return subscriber.channel;
    }
    const compacted = this.#source.compactedRevision();
    if (options.afterRevision < compacted) {
      subscriber.channel.fail(new CompactedError(options.afterRevision + 1, compacted));
      return subscriber.channel;
    }
    this.#subscribers.add(subscriber);
    if (options.afterRevision >= this.#source.currentRevision()) {
      subscriber.pending = undefined;
    } else {
      setImmediate(() => this.#replay(subscriber));
    }
    return subscriber.channel;
  }

  /** Delivers a committed batch (ascending revisions) to every matching watcher. */
  publish(events: readonly StoreEvent[]): void {
    for (const subscriber of this.#subscribers) {
      for (const event of events) {
        if (!event.kv.key.startsWith(subscriber.prefix)) continue;
        if (subscriber.pending !== undefined) subscriber.pending.push(event);
        else this.#deliver(subscriber, event);
      }
    }
  }

  close(): void {
    this.#closed = true;
    for (const subscriber of [...this.#subscribers]) subscriber.channel.fail(new UnavailableError('store is closed'));
    this.#subscribers.clear();
  }

  /** One page of replay per macrotask, so a long history never blocks the event loop for long. */
  #replay(subscriber: Subscriber): void {
    if (subscriber.channel.closed || this.#closed) return;
    // Compaction records its revision before deleting rows; a cursor below it may have lost rows.
    const compacted = this.#source.compactedRevision();
    if (subscriber.lastRevision < compacted) {
      subscriber.channel.fail(new CompactedError(subscriber.lastRevision + 1, compacted));
      return;
    }
    let page: StoreEvent[];
    try {
      page = this.#source.eventsAfter(subscriber.prefix, subscriber.lastRevision, this.#pageSize);
    } catch (error) {
      subscriber.channel.fail(new UnavailableError('reading the revision log failed', { cause: error }));
      return;
    }
    for (const event of page) this.#deliver(subscriber, event);
    if (page.length === this.#pageSize) {
      setImmediate(() => this.#replay(subscriber));
      return;
    }
    const pending = subscriber.pending ?? [];
    subscriber.pending = undefined;
    for (const event of pending) this.#deliver(subscriber, event);
  }

  #deliver(subscriber: Subscriber, event: StoreEvent): void {
    if (event.revision <= subscriber.lastRevision) return;
    subscriber.lastRevision = event.revision;
    subscriber.channel.push(event);
  }
}
