// How long a failed key waits before it is retried: client-go's DefaultControllerRateLimiter,
// the larger of a per-key exponential backoff (5 ms doubling per failure, at most 1000 s) and an
// overall token bucket (10 retries/s, bursts of 100) so a mass failure cannot spin the workers.
// Example: a key failing 4 times waits 5, 10, 20, 40 ms; the 18th failure waits 655 s; from the
// 19th on it waits the 1000 s cap. After 100 immediate retries of different keys the bucket adds
// 100 ms per further retry.
import type { Clock } from '../../lib/clock.js';
import { TokenBucket } from '../token-bucket.js';

export interface RateLimiter<K> {
  /** The delay for this (failed) attempt; counts the failure. */
  when(key: K): number;
  /** The key succeeded: reset its backoff. */
  forget(key: K): void;
  /** Failures counted for the key since it was last forgotten. */
  numRequeues(key: K): number;
}

export class ExponentialRateLimiter<K> implements RateLimiter<K> {
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly failures = new Map<K, number>();

  constructor(options: { baseMs: number; maxMs: number }) {
    this.baseMs = options.baseMs;
    this.maxMs = options.maxMs;
  }

  when(key: K): number {
    const failures = this.failures.get(key) ?? 0;
    this.failures.set(key, failures + 1);
    // 2 ** 1024 is Infinity: cap the exponent before it matters.
    return Math.min(this.maxMs, this.baseMs * 2 ** Math.min(failures, 62));
  }

  forget(key: K): void {
    this.failures.delete(key);
  }

  numRequeues(key: K): number {
    return this.failures.get(key) ?? 0;
  }
}

export class BucketRateLimiter<K> implements RateLimiter<K> {
  private readonly bucket: TokenBucket;

  constructor(options: { qps: number; burst: number; clock: Clock }) {
    this.bucket = new TokenBucket({ qps: options.qps, burst: options.burst, now: () => options.clock.now().getTime() });
  }

  when(): number {
    return this.bucket.reserve();
  }

  forget(): void {
    // The bucket is shared by every key; nothing to reset.
  }

  numRequeues(): number {
    return 0;
  }
}

export class MaxOfRateLimiter<K> implements RateLimiter<K> {
  private readonly limiters: readonly RateLimiter<K>[];

  constructor(options: { limiters: readonly RateLimiter<K>[] }) {
    this.limiters = options.limiters;
  }

  when(key: K): number {
    return Math.max(0, ...this.limiters.map((limiter) => limiter.when(key)));
  }

  forget(key: K): void {
    for (const limiter of this.limiters) limiter.forget(key);
  }

  numRequeues(key: K): number {
    return Math.max(0, ...this.limiters.map((limiter) => limiter.numRequeues(key)));
  }
}

export function defaultControllerRateLimiter<K>(clock: Clock): RateLimiter<K> {
  return new MaxOfRateLimiter<K>({
    limiters: [new ExponentialRateLimiter<K>({ baseMs: 5, maxMs: 1000 * 1000 }), new BucketRateLimiter<K>({ qps: 10, burst: 100, clock })],
  });
}
