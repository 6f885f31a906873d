// A token bucket (golang.org/x/time/rate style reservations): `qps` tokens a second, at most
// `burst` saved up. reserve() takes a token now or a future one and says how long to wait for it,
// so callers can sleep with whatever timer they use (real for HTTP, injected for the work queue).
// Example: qps 10, burst 100 -> 100 calls go at once, the 101st waits 100 ms, the 102nd 200 ms.

export interface TokenBucketOptions {
  readonly qps: number;
  readonly burst: number;
  /** Milliseconds; defaults to Date.now. */
  readonly now?: () => number;
}

export class TokenBucket {
  private readonly qps: number;
  private readonly burst: number;
  private readonly now: () => number;
  private tokens: number;
  private last: number;

  constructor(options: TokenBucketOptions) {
    if (!(options.qps > 0) || !(options.burst >= 1)) throw new RangeError('token bucket needs qps > 0 and burst >= 1');
    this.qps = options.qps;
    this.burst = options.burst;
    this.now = options.now ?? Date.now;
    this.tokens = options.burst;
    this.last = this.now();
  }

  /** Takes one token; returns the milliseconds until it is really available (0: now). */
  reserve(): number {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.qps) * 1000);
  }
}
