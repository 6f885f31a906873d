// The watch cache's window of recent events, in revision order, bounded by count and by age (like
// upstream's cacher, which grows its window to keep ~75 s of history). It always keeps the newest
// `minCapacity` events; between that and `maxCapacity` it keeps events younger than `freshMs`.
// Why age matters: a watcher that falls behind is closed and re-watches from its last revision; if
// that revision is still in the window it is replayed from here (shared, already decoded objects),
// otherwise it must be served from the store, decoding every event for that one watcher. A
// fixed-size window of 1,024 events was ~0.5 s of history when pods were written at ~2,000
// events/s, so every reconnect went to the store.

export interface Revisioned {
  readonly revision: number;
}

export interface EventRingOptions {
  /** Events always kept. */
  readonly minCapacity: number;
  /** Events never exceeded (default minCapacity: a fixed-size ring). */
  readonly maxCapacity?: number;
  /** Events younger than this are kept up to maxCapacity (default 0: none beyond minCapacity). */
  readonly freshMs?: number;
  /** Monotonic milliseconds. */
  readonly now?: () => number;
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
  return value;
}

export class EventRing<T extends Revisioned> {
  readonly #minCapacity: number;
  readonly #maxCapacity: number;
  readonly #freshMs: number;
  readonly #now: () => number;
  /** Items from #head on are in the window; the array is compacted now and then. */
  #items: T[] = [];
  #times: number[] = [];
  #head = 0;

  constructor(options: EventRingOptions) {
    this.#minCapacity = positiveInteger(options.minCapacity, 'minCapacity');
    this.#maxCapacity = Math.max(this.#minCapacity, positiveInteger(options.maxCapacity ?? options.minCapacity, 'maxCapacity'));
    this.#freshMs = options.freshMs ?? 0;
    this.#now = options.now ?? (() => performance.now());
  }

  get size(): number {
    return this.#items.length - this.#head;
  }

  /** Appends; returns the newest item evicted to make room (undefined when none was). */
  push(item: T): T | undefined {
    const now = this.#now();
    this.#items.push(item);
    this.#times.push(now);
    let evicted: T | undefined;
    while (this.size > this.#maxCapacity || (this.size > this.#minCapacity && now - (this.#times[this.#head] ?? now) > this.#freshMs)) {
      evicted = this.#items[this.#head];
      this.#head++;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#times = this.#times.slice(this.#head);
      this.#head = 0;
    }
    return evicted;
  }

  clear(): void {
    this.#items = [];
    this.#times = [];
    this.#head = 0;
  }

  /** Every item with revision > afterRevision, oldest first (binary search for the start). */
  after(afterRevision: number): T[] {
    let lo = this.#head;
    let hi = this.#items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.#items[mid] as T).revision <= afterRevision) lo = mid + 1;
      else hi = mid;
    }
    return this.#items.slice(lo);
  }
}
