// A watcher's private queue between the cache (which must never wait for a consumer) and the
// consumer's async iteration. It is bounded: a watcher that falls `limit` events behind is ended
// (after what is already queued) like upstream closes a slow cacheWatcher; its client re-watches
// from the last resourceVersion it saw, so nothing is lost and nobody else is slowed down.
import type { WatchEvent } from './registry-types.js';

export class WatcherQueue {
  #items: WatchEvent[] = [];
  #head = 0;
  #waiter: ((result: IteratorResult<WatchEvent>) => void) | undefined;
  #ended = false;
  #limit: number;

  constructor(options: { limit: number }) {
    this.#limit = options.limit;
  }

  get ended(): boolean {
    return this.#ended;
  }

  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Initial state and replayed history: not held against the bound (it grows to fit them). */
  pushUnbounded(event: WatchEvent): void {
    this.#limit++;
    this.push(event);
  }

  /** Returns false (and ends the queue) when the consumer is too far behind. */
  push(event: WatchEvent): boolean {
    if (this.#ended) return false;
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      waiter({ value: event, done: false });
      return true;
    }
    if (this.length >= this.#limit) {
      this.end();
      return false;
    }
    this.#items.push(event);
    return true;
  }

  /** No more events; the consumer still gets what is queued. */
  end(): void {
    this.#ended = true;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.({ value: undefined, done: true });
  }

  /** Stop now, dropping what is queued (the consumer went away). */
  abort(): void {
    this.#items = [];
    this.#head = 0;
    this.end();
  }

  next(): Promise<IteratorResult<WatchEvent>> {
    if (this.#head < this.#items.length) {
      const value = this.#items[this.#head] as WatchEvent;
      this.#head++;
      // Compact now and then so a long-lived watcher's array does not grow without bound.
      if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
        this.#items = this.#items.slice(this.#head);
        this.#head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }
}
