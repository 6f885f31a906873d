// Events expire --event-ttl (default 1h, upstream's default) after they were last seen. Upstream
// attaches an etcd lease to every Event write; our stores have no leases, so the API server runs
// this sweeper instead. It keeps, per stored Event, only its key, revision and expiry time, fed
// by one store watch (a paged list first), so a sweep never reads or parses the Events themselves:
// it walks that small map and deletes what is due. The deletions go through the store with the
// revision seen, so an Event written again meanwhile (a count bump) is left for its new expiry;
// watchers see ordinary DELETED events.
//
// "Last seen" is the latest of series.lastObservedTime, lastTimestamp, eventTime and
// creationTimestamp: recurring events stay while they recur, and nothing goes sooner than TTL
// after it was created.
import type { Clock } from '../../lib/clock.js';
import { CompactedError, ConflictError, NotFoundError, UnavailableError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { Store, StoreEvent } from '../../storage/store.js';

/** Where core Events live (events.k8s.io Events are stored there too). */
export const EVENTS_PREFIX = '/registry/core/events/';
/** Upstream's --event-ttl default. */
export const DEFAULT_EVENT_TTL_MS = 60 * 60_000;

export interface EventExpiryOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly ttlMs?: number;
  /** How often to sweep; default a tenth of the TTL, between 1 s and 1 min. */
  readonly intervalMs?: number;
  readonly logger?: Logger;
  /** Pause after the store is unavailable before watching again (default 1 s). */
  readonly retryDelayMs?: number;
  readonly prefix?: string;
}

interface Tracked {
  readonly revision: number;
  readonly expiresAt: number;
}

const PAGE = 500;

export class EventExpiry {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #intervalMs: number;
  readonly #retryDelayMs: number;
  readonly #logger: Logger | undefined;
  readonly #prefix: string;
  readonly #tracked = new Map<string, Tracked>();
  readonly #abort = new AbortController();
  /** Everything up to this revision is reflected in #tracked. */
  #revision = 0;
  #caughtUp: { revision: number; resolve: () => void }[] = [];
  #timer: NodeJS.Timeout | undefined;
  #following: Promise<void> | undefined;
  #sweeping: Promise<number> | undefined;

  constructor(options: EventExpiryOptions) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#ttlMs = options.ttlMs ?? DEFAULT_EVENT_TTL_MS;
    this.#intervalMs = options.intervalMs ?? Math.min(60_000, Math.max(1000, Math.floor(this.#ttlMs / 10)));
    this.#retryDelayMs = options.retryDelayMs ?? 1000;
    this.#logger = options.logger;
    this.#prefix = options.prefix ?? EVENTS_PREFIX;
  }

  /** Starts following the store and sweeping on a timer. */
  start(): void {
    if (this.#following !== undefined) return;
    this.#following = this.#follow(this.#abort.signal);
    this.#timer = setInterval(() => void this.sweep(), this.#intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#abort.abort();
    await this.#following;
    await this.#sweeping;
    for (const waiter of this.#caughtUp) waiter.resolve();
    this.#caughtUp = [];
  }

  /** How many Events are being tracked (for tests and logs). */
  get trackedCount(): number {
    return this.#tracked.size;
  }

  /** Resolves once everything written up to `revision` (default: now) has been seen. */
  async caughtUp(revision?: number): Promise<void> {
    const target = revision ?? (await this.#store.currentRevision());
    if (this.#revision >= target) return;
    await new Promise<void>((resolve) => this.#caughtUp.push({ revision: target, resolve }));
  }

  /**
   * Deletes every tracked Event whose expiry has passed; resolves with how many went. Never
   * throws: a failed delete is logged and tried again next time. Overlapping calls share one pass.
   */
  sweep(): Promise<number> {
    this.#sweeping ??= this.#sweepOnce().finally(() => {
      this.#sweeping = undefined;
    });
    return this.#sweeping;
  }

  async #sweepOnce(): Promise<number> {
    const now = this.#clock.now().getTime();
    const due: [string, Tracked][] = [];
    for (const entry of this.#tracked) if (entry[1].expiresAt <= now) due.push(entry);
    let deleted = 0;
    for (const [key, tracked] of due) {
      if (this.#abort.signal.aborted) break;
      try {
        await this.#store.delete(key, tracked.revision);
        deleted++;
      } catch (error) {
        // Written again (Conflict) or gone (NotFound): the watch brings the new state.
        if (error instanceof ConflictError || error instanceof NotFoundError) continue;
        this.#logger?.warn({ err: error, key }, 'event expiry: delete failed');
        break;
      }
      // Forget it at once (the watch will confirm): a second sweep must not try again.
      if (this.#tracked.get(key)?.revision === tracked.revision) this.#tracked.delete(key);
    }
    if (deleted > 0) this.#logger?.debug({ deleted }, 'expired events deleted');
    return deleted;
  }

  async #follow(signal: AbortSignal): Promise<void> {
    let needList = true;
    while (!signal.aborted) {
      try {
        if (needList) {
          await this.#relist(signal);
          needList = false;
        }
        for await (const event of this.#store.watch({ prefix: this.#prefix, afterRevision: this.#revision, signal })) {
          this.#apply(event);
          this.#advance(event.revision);
        }
      } catch (error) {
        if (signal.aborted) return;
        // Fell behind compaction: what was missed can only be learnt by listing again.
        if (error instanceof CompactedError) needList = true;
        else if (!(error instanceof UnavailableError)) this.#logger?.warn({ err: error }, 'event expiry: watch failed');
        await delay(this.#retryDelayMs, signal);
      }
    }
  }

  async #relist(signal: AbortSignal): Promise<void> {
    const fresh = new Map<string, Tracked>();
    let page = await this.#store.list({ prefix: this.#prefix, limit: PAGE });
    const revision = page.revision;
    for (;;) {
      for (const kv of page.items) fresh.set(kv.key, { revision: kv.modRevision, expiresAt: this.#expiry(kv.value) });
      const last = page.items.at(-1);
      if (!page.more || last === undefined || signal.aborted) break;
      page = await this.#store.list({ prefix: this.#prefix, limit: PAGE, revision, startAfter: last.key });
    }
    this.#tracked.clear();
    for (const [key, tracked] of fresh) this.#tracked.set(key, tracked);
    this.#revision = revision;
    this.#advance(revision);
  }

  #apply(event: StoreEvent): void {
    if (event.type === 'deleted') this.#tracked.delete(event.kv.key);
    else this.#tracked.set(event.kv.key, { revision: event.kv.modRevision, expiresAt: this.#expiry(event.kv.value) });
  }

  #advance(revision: number): void {
    if (revision > this.#revision) this.#revision = revision;
    const ready = this.#caughtUp.filter((waiter) => waiter.revision <= this.#revision);
    if (ready.length === 0) return;
    this.#caughtUp = this.#caughtUp.filter((waiter) => waiter.revision > this.#revision);
    for (const waiter of ready) waiter.resolve();
  }

  #expiry(value: string): number {
    return lastSeen(value, this.#clock.now().getTime()) + this.#ttlMs;
  }
}

/** The latest of the Event's observation times (ms); `fallback` when it names none. */
export function lastSeen(value: string, fallback: number): number {
  // Read straight from the stored JSON instead of parsing all of it (one parse per Event write
  // was ~1% of the API server's CPU while it scheduled pods): each of these members names a string
  // that holds no quote, and `"name":"` cannot occur inside a JSON string, where quotes are escaped.
  let latest = Number.NaN;
  for (const member of OBSERVATION_MEMBERS) {
    const ms = Date.parse(stringMember(value, member) ?? '');
    if (Number.isFinite(ms) && !(ms <= latest)) latest = ms;
  }
  return Number.isNaN(latest) ? fallback : latest;
}

/** series.lastObservedTime, lastTimestamp, eventTime, metadata.creationTimestamp: no other member of an Event has these names. */
const OBSERVATION_MEMBERS = ['"lastObservedTime":"', '"lastTimestamp":"', '"eventTime":"', '"creationTimestamp":"'];

function stringMember(json: string, opening: string): string | undefined {
  const start = json.indexOf(opening);
  if (start < 0) return undefined;
  const from = start + opening.length;
  const end = json.indexOf('"', from);
  return end < 0 ? undefined : json.slice(from, end);
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
