// The AnalysisRun controller's reconciler (Argo: analysis/controller.go syncHandler +
// analysis.go reconcileAnalysisRun). One "pass" is one call of the engine
// (src/rollouts/analysis: take the measurements that are due, judge them, assess the run).
//
// Measurements can take seconds (a Prometheus query, a web endpoint, the gateway waiting for
// traffic), so a pass never runs on a worker: reconcile starts it in the background and returns at
// once, and the pass itself writes the status, records the Events and schedules the next look:
//
//   reconcile(ns/r)          -> starts pass #1, returns {}          (worker free again)
//   ... 2 s later pass #1 done: status written (Running, 1 measurement), enqueueAfter(ns/r, 60 s)
//   informer MODIFIED ns/r   -> reconcile starts pass #2: nothing due, status unchanged, no write,
//                               enqueueAfter(ns/r, 58 s)
//   60 s after measurement 1 -> reconcile starts pass #3, which measures again.
//
// At most one pass per run is in flight. A reconcile that finds one running does nothing, unless
// the run was told to terminate (or was deleted/recreated): then the pass is aborted (its provider
// calls are cancelled through the AbortSignal) and the run is reconciled again at once, so
// `spec.terminate: true` ends a run without waiting for a slow measurement.
//
// A pass that fails (an API error while writing, the pass time limit) is reported on the next
// reconcile of its key by throwing, so the shared runner retries with its backoff.
import type { EventRecorder } from '../../client/events/event-recorder.js';
import type { Lister } from '../../client/informer/informer.js';
import type { ClientSet } from '../../client/resource-client.js';
import { ANALYSIS_RUNS } from '../../client/resource-types.js';
import type { Clock } from '../../lib/clock.js';
import { NotFoundError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { isCompletedPhase, reconcileAnalysisRun, type MetricProviders } from '../../rollouts/analysis/index.js';
import { splitObjectKey } from '../framework/object-key.js';
import type { ReconcileResult, Reconciler } from '../framework/reconciler.js';
import type { AnalysisRunObject } from '../../rollouts/analysis-objects.js';
import { sameStatus, writeAnalysisRunStatus } from './analysis-run-status-writer.js';
import { ttlRemainingMs } from './analysis-run-ttl.js';
import { secretLookup } from './secret-lookup.js';

/** Upper bound on one pass; providers have shorter limits of their own (web 10 s, prometheus 30 s). */
export const DEFAULT_PASS_TIMEOUT_MS = 5 * 60 * 1000;

export interface AnalysisRunReconcilerOptions {
  readonly clients: ClientSet;
  readonly analysisRuns: Lister<AnalysisRunObject>;
  readonly providers: MetricProviders;
  readonly recorder: EventRecorder;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly passTimeoutMs?: number;
}

interface Pass {
  readonly uid: string | undefined;
  readonly terminating: boolean;
  readonly abort: AbortController;
  done: Promise<void>;
}

type Enqueue = (key: string) => void;
type EnqueueAfter = (key: string, delayMs: number) => void;

export class AnalysisRunReconciler implements Reconciler {
  readonly name = 'analysis-run';
  private readonly options: AnalysisRunReconcilerOptions;
  private readonly passTimeoutMs: number;
  private readonly passes = new Map<string, Pass>();
  private readonly failures = new Map<string, Error>();
  private enqueue: Enqueue = () => undefined;
  private enqueueAfter: EnqueueAfter = () => undefined;

  constructor(options: AnalysisRunReconcilerOptions) {
    this.options = options;
    this.passTimeoutMs = options.passTimeoutMs ?? DEFAULT_PASS_TIMEOUT_MS;
  }

  /** Where finished passes put their keys back (the registration's connect supplies the queue). */
  bindQueue(enqueue: Enqueue, enqueueAfter: EnqueueAfter): void {
    this.enqueue = enqueue;
    this.enqueueAfter = enqueueAfter;
  }

  /** Resolves when no pass is in flight (tests; a graceful stop). */
  async idle(): Promise<void> {
    while (this.passes.size > 0) await Promise.all([...this.passes.values()].map((p) => p.done));
  }

  /** Keys with a pass in flight (tests, logs). */
  inFlight(): string[] {
    return [...this.passes.keys()];
  }

  reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult | void> {
    const failure = this.failures.get(key);
    if (failure !== undefined) {
      this.failures.delete(key);
      return Promise.reject(failure);
    }
    const { namespace, name } = splitObjectKey(key);
    const run = this.options.analysisRuns.get(namespace, name);
    const pass = this.passes.get(key);
    if (run === undefined || run.metadata?.deletionTimestamp !== undefined) {
      pass?.abort.abort();
      return Promise.resolve();
    }
    if (pass !== undefined) {
      const recreated = pass.uid !== run.metadata?.uid;
      if (recreated || (run.spec.terminate === true && !pass.terminating)) pass.abort.abort();
      return Promise.resolve();
    }
    if (isCompletedPhase(run.status?.phase)) return this.expire(run);
    this.start(key, run, signal);
    return Promise.resolve();
  }

  /** A completed run with a ttlStrategy is deleted once its time to live has passed. */
  private async expire(run: AnalysisRunObject): Promise<ReconcileResult | void> {
    const remaining = ttlRemainingMs(run, this.options.clock.now());
    if (remaining === undefined) return;
    if (remaining > 0) return { requeueAfterMs: remaining };
    this.options.logger.info({ namespace: run.metadata?.namespace, name: run.metadata?.name }, 'deleting analysis run past its ttl');
    try {
      await this.options.clients.resource<AnalysisRunObject>(ANALYSIS_RUNS).delete(run.metadata?.namespace, run.metadata?.name ?? '', {
        preconditions: { uid: run.metadata?.uid ?? '' },
      });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }

  private start(key: string, run: AnalysisRunObject, shutdown: AbortSignal): void {
    const pass: Pass = { uid: run.metadata?.uid, terminating: run.spec.terminate === true, abort: new AbortController(), done: Promise.resolve() };
    this.passes.set(key, pass);
    pass.done = this.runPass(key, run, pass, shutdown).finally(() => {
      if (this.passes.get(key) === pass) this.passes.delete(key);
    });
  }

  private async runPass(key: string, run: AnalysisRunObject, pass: Pass, shutdown: AbortSignal): Promise<void> {
    const { clients, clock, providers, recorder, logger } = this.options;
    const signal = AbortSignal.any([shutdown, pass.abort.signal, AbortSignal.timeout(this.passTimeoutMs)]);
    const namespace = run.metadata?.namespace ?? 'default';
    const log = logger.child({ namespace, name: run.metadata?.name });
    try {
      const result = await reconcileAnalysisRun({
        run, providers, clock, signal, lookupSecret: secretLookup(clients, namespace),
      });
      let target = run;
      if (!sameStatus(result.status, run.status)) {
        if (signal.aborted) throw signal.reason;
        const written = await writeAnalysisRunStatus(clients.resource<AnalysisRunObject>(ANALYSIS_RUNS), run, result.status);
        if (written === undefined) {
          // Stale pass (someone else wrote status, or the run is gone): look again from scratch.
          log.debug('analysis run changed during the pass, measuring again');
          this.enqueue(key);
          return;
        }
        target = written;
        log.debug({ phase: result.status.phase }, 'analysis run status written');
      }
      for (const event of result.events) recorder.event(target, event.type, event.reason, event.message);
      if (result.requeueAfterMs !== undefined) this.enqueueAfter(key, result.requeueAfterMs);
    } catch (error) {
      if (shutdown.aborted) return;
      if (pass.abort.signal.aborted) {
        // Superseded (terminate, delete): the next reconcile decides what to do now.
        this.enqueue(key);
        return;
      }
      log.warn({ err: error }, 'analysis run pass failed');
      this.failures.set(key, error instanceof Error ? error : new Error('analysis run pass failed', { cause: error }));
      this.enqueue(key);
    }
  }
}
