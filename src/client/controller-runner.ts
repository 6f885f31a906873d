// ControllerRunner: the one place that owns a controller's work queue, workers and backoff
// (DESIGN.md, "How a controller is written"). The registration's handlers enqueue keys; N workers
// take keys and call reconcile(key): success forgets the key's backoff (and re-adds it after
// requeueAfterMs when asked), a throw re-adds it rate-limited. The queue guarantees one key is
// never reconciled by two workers at once.
import type { ControllerRegistration } from '../controllers/framework/controller-context.js';
import type { Clock } from '../lib/clock.js';
import { systemClock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { realTimers, type Timers } from './timers.js';
import { WorkQueue } from './workqueue/work-queue.js';

export interface ControllerRunnerOptions {
  readonly registration: ControllerRegistration;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly timers?: Timers;
  /** Overrides registration.workers (default 2). */
  readonly workers?: number;
  /** Awaited after connecting handlers and before the first reconcile (e.g. informers' sync). */
  readonly waitForSync?: (signal: AbortSignal) => Promise<void>;
}

export class ControllerRunner {
  private readonly registration: ControllerRegistration;
  private readonly logger: Logger;
  private readonly workers: number;
  private readonly waitForSync: ((signal: AbortSignal) => Promise<void>) | undefined;
  /** Exposed for tests and metrics. */
  readonly queue: WorkQueue<string>;

  constructor(options: ControllerRunnerOptions) {
    this.registration = options.registration;
    this.logger = options.logger.child({ controller: options.registration.reconciler.name });
    this.workers = Math.max(1, options.workers ?? options.registration.workers ?? 2);
    this.waitForSync = options.waitForSync;
    this.queue = new WorkQueue<string>({ timers: options.timers ?? realTimers, clock: options.clock ?? systemClock });
  }

  /** Runs until the signal aborts, then lets in-flight reconciles finish and resolves. */
  async run(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const queue = this.queue;
    const onAbort = (): void => queue.shutDown();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      this.registration.connect(
        (key) => queue.add(key),
        (key, delayMs) => queue.addAfter(key, delayMs),
      );
      if (this.waitForSync) {
        try {
          await this.waitForSync(signal);
        } catch (error) {
          if (signal.aborted) return;
          throw error;
        }
      }
      this.logger.info({ workers: this.workers }, 'controller started');
      await Promise.all(Array.from({ length: this.workers }, () => this.work(signal)));
    } finally {
      signal.removeEventListener('abort', onAbort);
      queue.shutDown();
    }
  }

  private async work(signal: AbortSignal): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined || signal.aborted) {
        if (key !== undefined) this.queue.done(key);
        return;
      }
      await this.process(key, signal);
      // A reconcile that resolves without real I/O (and keys that requeue at once) would otherwise
      // keep this loop on microtasks forever, starving sockets, timers and signals: yield a turn.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** One reconcile of `key`, with the queue bookkeeping around it. */
  private async process(key: string, signal: AbortSignal): Promise<void> {
    try {
      const result = await this.registration.reconciler.reconcile(key, signal);
      this.queue.forget(key);
      if (result?.requeueAfterMs !== undefined) this.queue.addAfter(key, result.requeueAfterMs);
    } catch (error) {
      if (signal.aborted) return;
      const attempts = this.queue.numRequeues(key) + 1;
      this.logger.warn({ key, attempts, err: error }, 'reconcile failed, retrying with backoff');
      this.queue.addRateLimited(key);
    } finally {
      this.queue.done(key);
    }
  }
}
