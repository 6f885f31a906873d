// Keeps the Store's history bounded while leaving at least `retentionMs` of it for watchers that
// resume from a recent revision. Each tick samples (now, currentRevision) and compacts to the
// newest sample at least retentionMs old.
//
// Example with retention 5 min, interval 1 min: samples (0:00, r100) (0:01, r130) ... at 0:06 the
// newest sample at least 5 min old is (0:01, r130), so history up to r130 goes; everything
// written since 0:01 (more than 5 minutes' worth) stays.
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { Store } from './store.js';

export interface CompactorOptions {
  readonly store: Store;
  readonly clock: Clock;
  /** Minimum age of history before it may be compacted; default 5 minutes. */
  readonly retentionMs?: number;
  /** How often to sample and compact; default one fifth of the retention. */
  readonly intervalMs?: number;
  readonly logger?: Logger;
}

interface Sample {
  readonly time: number;
  readonly revision: number;
}

export class Compactor {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #retentionMs: number;
  readonly #intervalMs: number;
  readonly #logger: Logger | undefined;
  #samples: Sample[] = [];
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(options: CompactorOptions) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#retentionMs = options.retentionMs ?? 5 * 60_000;
    this.#intervalMs = options.intervalMs ?? Math.max(1000, Math.floor(this.#retentionMs / 5));
    this.#logger = options.logger;
  }

  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => void this.tick(), this.#intervalMs);
    this.#timer.unref();
    void this.tick();
  }

  /** Stops the timer and waits for a compaction in progress. */
  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /**
   * One sample-and-compact pass (the timer calls this; tests call it directly). Never throws: a
   * failed pass is logged and the next one tries again. Overlapping calls share one pass.
   */
  tick(): Promise<void> {
    this.#running ??= this.#pass().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #pass(): Promise<void> {
    try {
      const now = this.#clock.now().getTime();
      this.#samples.push({ time: now, revision: await this.#store.currentRevision() });
      let target: Sample | undefined;
      while (this.#samples.length > 0 && (this.#samples[0] as Sample).time <= now - this.#retentionMs) {
        target = this.#samples.shift();
      }
      if (target === undefined) return;
      if (target.revision <= (await this.#store.compactedRevision())) return;
      await this.#store.compact(target.revision);
      this.#logger?.debug({ revision: target.revision }, 'compacted store');
    } catch (error) {
      this.#logger?.warn({ err: error }, 'store compaction failed');
    }
  }
}
