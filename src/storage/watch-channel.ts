// The consumer side of one store watch: an unbounded FIFO of events that a backend pushes into and
// a single async iterator drains. Backends own ordering and de-duplication; this only buffers,
// wakes the reader, and ends on abort, on `return()` (a `break` in for-await) or with an error.
//
// The buffer is unbounded on purpose: a store watch must not drop events (no gaps), and the
// apiserver's watch cache is the only heavy consumer, so it keeps up in practice.
import type { StoreEvent, Watch } from './store.js';

interface Waiter {
  resolve(result: IteratorResult<StoreEvent>): void;
  reject(error: unknown): void;
}

export interface WatchChannelOptions {
  readonly signal: AbortSignal;
  /** Called exactly once when the channel closes for any reason (unregister the subscriber). */
  readonly onClose: () => void;
}

export class WatchChannel implements Watch {
  readonly #onClose: () => void;
  readonly #signal: AbortSignal;
  readonly #onAbort = (): void => this.#close();
  #queue: StoreEvent[] = [];
  #head = 0;
  #waiter: Waiter | undefined;
  #error: unknown;
  #failed = false;
  #closed = false;

  constructor(options: WatchChannelOptions) {
    this.#onClose = options.onClose;
    this.#signal = options.signal;
    if (this.#signal.aborted) {
      // Closing synchronously would call onClose before the backend stored its subscriber.
      queueMicrotask(this.#onAbort);
    } else {
      this.#signal.addEventListener('abort', this.#onAbort, { once: true });
    }
  }

  /** True once aborted, returned, or failed: pushing more is pointless. */
  get closed(): boolean {
    return this.#closed || this.#failed;
  }

  push(event: StoreEvent): void {
    if (this.closed) return;
    const waiter = this.#waiter;
    if (waiter !== undefined) {
      this.#waiter = undefined;
      waiter.resolve({ value: event, done: false });
      return;
    }
    this.#queue.push(event);
  }

  /** Ends the watch with an error, delivered after the events already buffered. */
  fail(error: unknown): void {
    if (this.closed) return;
    this.#failed = true;
    this.#error = error;
    this.#detach();
    const waiter = this.#waiter;
    if (waiter !== undefined) {
      this.#waiter = undefined;
      this.#closed = true;
      waiter.reject(error);
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<StoreEvent> {
    return {
      next: () => this.#next(),
      return: () => {
        this.#close();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  #next(): Promise<IteratorResult<StoreEvent>> {
    if (this.#closed) return Promise.resolve({ value: undefined, done: true });
    if (this.#head < this.#queue.length) {
      const event = this.#queue[this.#head] as StoreEvent;
      this.#head++;
      if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
        // Drop the consumed front now and then so a long-lived watch does not grow without bound.
        this.#queue = this.#queue.slice(this.#head);
        this.#head = 0;
      }
      return Promise.resolve({ value: event, done: false });
    }
    if (this.#failed) {
      this.#closed = true;
      return Promise.reject(this.#error instanceof Error ? this.#error : new Error(String(this.#error)));
    }
    if (this.#waiter !== undefined) return Promise.reject(new Error('watch: concurrent next() calls'));
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue = [];
    this.#head = 0;
    if (!this.#failed) this.#detach();
    const waiter = this.#waiter;
    if (waiter !== undefined) {
      this.#waiter = undefined;
      waiter.resolve({ value: undefined, done: true });
    }
  }

  #detach(): void {
    this.#signal.removeEventListener('abort', this.#onAbort);
    this.#onClose();
  }
}
