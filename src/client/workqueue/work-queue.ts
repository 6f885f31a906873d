// WorkQueue<K> (client-go's rate-limiting, delaying work queue) with its guarantees:
// - a key added many times before a worker takes it is handed out once (dirty set);
// - a key is never held by two workers: re-adding a key that is being processed parks it until
//   done(key), which puts it back;
// - addAfter(key, ms) adds later (on the injected Timers; the earliest pending deadline wins);
// - addRateLimited(key) adds after the rate limiter's delay; forget(key) resets that backoff.
// Workers loop: `const key = await queue.get(); if (key === undefined) return; try ... finally done(key)`.
import type { Clock } from '../../lib/clock.js';
import { systemClock } from '../../lib/clock.js';
import { realTimers, type Timers } from '../timers.js';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.js';

export interface WorkQueueOptions<K> {
  readonly timers?: Timers;
  /** The rate limiter's clock; pass FakeTimers.clock with FakeTimers. */
  readonly clock?: Clock;
  readonly rateLimiter?: RateLimiter<K>;
}

interface Waiting {
  readonly due: number;
  readonly cancel: () => void;
}

export class WorkQueue<K> {
  private readonly timers: Timers;
  private readonly clock: Clock;
  private readonly rateLimiter: RateLimiter<K>;
  private readonly queue: K[] = [];
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly waiting = new Map<K, Waiting>();
  private readonly getters: ((key: K | undefined) => void)[] = [];
  private shuttingDown = false;

  constructor(options: WorkQueueOptions<K> = {}) {
    this.timers = options.timers ?? realTimers;
    this.clock = options.clock ?? systemClock;
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter<K>(this.clock);
  }

  /** Keys ready to be handed out (not counting those being processed or waiting). */
  get length(): number {
    return this.queue.length;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  add(key: K): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return; // done(key) re-queues it
    const getter = this.getters.shift();
    if (getter) {
      this.dirty.delete(key);
      this.processing.add(key);
      getter(key);
      return;
    }
    this.queue.push(key);
  }

  /** Resolves to the next key (marking it processing), or undefined once shut down and drained. */
  get(): Promise<K | undefined> {
    const key = this.queue.shift();
    if (key !== undefined) {
      this.dirty.delete(key);
      this.processing.add(key);
      return Promise.resolve(key);
    }
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** The worker finished `key`; if it was added meanwhile it goes back in the queue. */
  done(key: K): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.dirty.delete(key);
      this.add(key);
    }
  }

  addAfter(key: K, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const due = this.clock.now().getTime() + delayMs;
    const existing = this.waiting.get(key);
    if (existing && existing.due <= due) return;
    existing?.cancel();
    const cancel = this.timers.schedule(delayMs, () => {
      this.waiting.delete(key);
      this.add(key);
    });
    this.waiting.set(key, { due, cancel });
  }

  addRateLimited(key: K): void {
    this.addAfter(key, this.rateLimiter.when(key));
  }

  forget(key: K): void {
    this.rateLimiter.forget(key);
  }

  numRequeues(key: K): number {
    return this.rateLimiter.numRequeues(key);
  }

  /** Stops accepting keys and cancels delayed ones; waiting get() calls resolve to undefined. */
  shutDown(): void {
    this.shuttingDown = true;
    for (const waiting of this.waiting.values()) waiting.cancel();
    this.waiting.clear();
    for (const getter of this.getters.splice(0)) getter(undefined);
  }
}
