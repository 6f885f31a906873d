// Rate-limited syncing (kube-proxy's BoundedFrequencyRunner): a burst of informer events becomes
// one sync; syncs start at least minIntervalMs apart and never overlap; a full sync (re-read the
// tables, re-check the base-chain jumps) runs every resyncIntervalMs to repair what others
// changed; a failed sync is retried as a full one after retryMs.
import type { Timers } from '../../client/timers.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';

export interface SyncSchedulerOptions {
  readonly sync: (full: boolean) => Promise<void>;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly logger: Logger;
  readonly minIntervalMs: number;
  readonly resyncIntervalMs: number;
  readonly retryMs: number;
}

export class SyncScheduler {
  private readonly options: SyncSchedulerOptions;
  private dirty = false;
  private full = true;
  private running: Promise<void> | undefined;
  private cancelTimer: (() => void) | undefined;
  private timerDue = Infinity;
  private lastStart = -Infinity;
  private stopped = false;
  private cancelResync: (() => void) | undefined;

  constructor(options: SyncSchedulerOptions) {
    this.options = options;
  }

  /** Asks for a sync as soon as the rate limit allows. */
  request(): void {
    if (this.stopped) return;
    this.dirty = true;
    if (this.running) return; // the sync in flight re-arms when it ends
    this.arm(Math.max(0, this.lastStart + this.options.minIntervalMs - this.now()));
  }

  /** Starts the periodic full resync; the first sync is a full one. */
  start(): void {
    this.scheduleResync();
    this.request();
  }

  /** No new syncs; resolves when the one in flight (if any) has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelResync?.();
    await this.running;
  }

  private now(): number {
    return this.options.clock.now().getTime();
  }

  private scheduleResync(): void {
    this.cancelResync = this.options.timers.schedule(this.options.resyncIntervalMs, () => {
      this.full = true;
      this.request();
      if (!this.stopped) this.scheduleResync();
    });
  }

  private arm(delayMs: number): void {
    const due = this.now() + delayMs;
    if (this.cancelTimer && this.timerDue <= due) return;
    this.cancelTimer?.();
    this.timerDue = due;
    this.cancelTimer = this.options.timers.schedule(delayMs, () => {
      this.cancelTimer = undefined;
      this.timerDue = Infinity;
      this.fire();
    });
  }

  private fire(): void {
    if (this.stopped || this.running || !this.dirty) return;
    this.dirty = false;
    const full = this.full;
    this.full = false;
    this.lastStart = this.now();
    this.running = this.options.sync(full).then(
      () => undefined,
      (error: unknown) => {
        this.options.logger.warn({ err: error, full }, 'service proxy sync failed; retrying');
        this.full = true;
        this.dirty = true;
        return 'retry' as const;
      },
    ).then((outcome) => {
      this.running = undefined;
      if (this.stopped) return;
      if (outcome === 'retry') this.arm(this.options.retryMs);
      else if (this.dirty) this.arm(Math.max(0, this.lastStart + this.options.minIntervalMs - this.now()));
    });
  }
}
