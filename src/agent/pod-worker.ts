// One worker per pod UID: syncs of one pod never overlap (a change that arrives during a sync
// makes exactly one more pass afterwards), different pods sync concurrently. Each pass says when
// the next one is due (probes, back-off, runtime polling); the worker sets that timer.
// A change to the pod's status alone (above all the echo of the agent's own status write) is no
// reason for a pass, as in kubelet, whose pod config hands status-only changes to
// HandlePodReconcile instead of a sync: the worker keeps the newer pod for its next pass. Two
// exceptions, as there: a pod with readiness gates (someone else's condition changes its Ready)
// and a new phase (a pod set Failed or Succeeded stops its containers).
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from '../lib/logger.js';
import type { PodObject } from './object-types.js';
import type { PodSync, SyncOutcome } from './pod-sync.js';

const ERROR_RETRY_MS = 2000;

class PodWorker {
  pod: PodObject | undefined;
  gone = false;
  readonly sync: PodSync;
  private dirty = false;
  private loop: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly logger: Logger;
  private readonly onFinished: () => void;

  constructor(sync: PodSync, logger: Logger, onFinished: () => void) {
    this.sync = sync;
    this.logger = logger;
    this.onFinished = onFinished;
  }

  kick(): Promise<void> {
    this.dirty = true;
    this.loop ??= this.run().finally(() => {
      this.loop = undefined;
      // A change that arrived while the last pass was finishing still gets its pass.
      if (this.dirty) void this.kick();
    });
    return this.loop;
  }

  idle(): Promise<void> {
    return this.loop ?? Promise.resolve();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async run(): Promise<void> {
    let outcome: SyncOutcome = { finished: false };
    while (this.dirty) {
      this.dirty = false;
      this.stop();
      try {
        outcome = await this.sync.sync(this.gone ? undefined : this.pod);
      } catch (error) {
        this.logger.warn({ err: error, uid: this.sync.uid }, 'pod sync failed');
        outcome = { finished: false, nextSyncMs: ERROR_RETRY_MS };
      }
    }
    if (outcome.finished) {
      this.onFinished();
      return;
    }
    if (outcome.nextSyncMs !== undefined) {
      this.timer = setTimeout(() => void this.kick(), outcome.nextSyncMs);
      this.timer.unref();
    }
  }
}

export interface PodWorkersOptions {
  readonly createSync: (uid: string) => PodSync;
  readonly logger: Logger;
}

export class PodWorkers {
  private readonly workers = new Map<string, PodWorker>();
  private readonly options: PodWorkersOptions;
  private stopped = false;

  constructor(options: PodWorkersOptions) {
    this.options = options;
  }

  /** The pod was added or changed: sync it (starting a worker for a new UID). */
  update(pod: PodObject): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    let worker = this.workers.get(uid);
    if (!worker) {
      const created = new PodWorker(this.options.createSync(uid), this.options.logger, () => {
        if (this.workers.get(uid) === created) this.workers.delete(uid);
      });
      worker = created;
      this.workers.set(uid, worker);
    }
    const previous = worker.pod;
    worker.pod = pod;
    if (previous && !needsSync(previous, pod)) return Promise.resolve();
    return this.stopped ? Promise.resolve() : worker.kick();
  }

  /** The pod object is gone from the API: tear down whatever is left, then drop the worker. */
  delete(uid: string): Promise<void> {
    const worker = this.workers.get(uid);
    if (!worker) return Promise.resolve();
    worker.gone = true;
    return this.stopped ? Promise.resolve() : worker.kick();
  }

  has(uid: string): boolean {
    return this.workers.has(uid);
  }

  uids(): string[] {
    return [...this.workers.keys()];
  }

  /** The worker's sync, for log lookups. */
  syncOf(uid: string): PodSync | undefined {
    return this.workers.get(uid)?.sync;
  }

  /** Another pass for every pod now (tests; after the clock moved). */
  async syncAll(): Promise<void> {
    await Promise.all([...this.workers.values()].map((w) => w.kick()));
  }

  /** Resolves once no sync is running. */
  async idle(): Promise<void> {
    await Promise.all([...this.workers.values()].map((w) => w.idle()));
  }

  /** Stops the timers; running syncs finish on their own. */
  stop(): void {
    this.stopped = true;
    for (const worker of this.workers.values()) worker.stop();
  }
}

/** Whether `next` differs from `previous` in anything a sync acts on (not only in its status). */
export function needsSync(previous: PodObject, next: PodObject): boolean {
  if ((next.spec?.readinessGates ?? []).length > 0) return true;
  if (previous.status?.phase !== next.status?.phase) return true;
  if (!isDeepStrictEqual(previous.spec, next.spec)) return true;
  const { resourceVersion: _a, managedFields: _b, ...before } = previous.metadata ?? {};
  const { resourceVersion: _c, managedFields: _d, ...after } = next.metadata ?? {};
  return !isDeepStrictEqual(before, after);
}
