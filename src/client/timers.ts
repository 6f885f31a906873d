// Timers as a dependency, like Clock: the work queue (addAfter, backoff), informers (resync,
// retry) and leader election wait through this, so tests move time with FakeTimers instead of
// sleeping.
import { FakeClock } from '../lib/clock.js';

export interface Timers {
  /** Runs `callback` once after `ms`; returns a function that cancels it. */
  schedule(ms: number, callback: () => void): () => void;
}

/** Node's timers, unref'd: a pending retry or resync never keeps the process alive on its own. */
export const realTimers: Timers = {
  schedule(ms, callback) {
    const handle = setTimeout(callback, Math.max(0, ms));
    handle.unref();
    return () => clearTimeout(handle);
  },
};

/** Resolves after `ms` on `timers`, or rejects with the signal's reason when it aborts first. */
export function sleep(timers: Timers, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      cancel();
      reject(signal.reason as Error);
    };
    const cancel = timers.schedule(ms, () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

interface PendingTimer {
  readonly due: number;
  readonly seq: number;
  readonly callback: () => void;
}

/**
 * Timers that fire only when the test advances them, sharing a FakeClock so `clock.now()` and
 * timer deadlines agree. `advance(ms)` fires every due timer in deadline order (timers scheduled
 * by a firing callback fire too, if due).
 */
export class FakeTimers implements Timers {
  readonly clock: FakeClock;
  private readonly pending = new Set<PendingTimer>();
  private seq = 0;

  constructor(options: { clock?: FakeClock } = {}) {
    this.clock = options.clock ?? new FakeClock();
  }

  schedule(ms: number, callback: () => void): () => void {
    const timer: PendingTimer = { due: this.clock.now().getTime() + Math.max(0, ms), seq: this.seq++, callback };
    this.pending.add(timer);
    return () => this.pending.delete(timer);
  }

  /** How many timers are waiting. */
  get size(): number {
    return this.pending.size;
  }

  advance(ms: number): void {
    const end = this.clock.now().getTime() + ms;
    for (;;) {
      const next = [...this.pending].filter((t) => t.due <= end).sort((a, b) => a.due - b.due || a.seq - b.seq)[0];
      if (!next) break;
      this.pending.delete(next);
      const now = this.clock.now().getTime();
      if (next.due > now) this.clock.advance(next.due - now);
      next.callback();
    }
    const now = this.clock.now().getTime();
    if (end > now) this.clock.advance(end - now);
  }
}
