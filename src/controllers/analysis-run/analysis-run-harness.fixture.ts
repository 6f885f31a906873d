// Test harness for the AnalysisRun reconciler: FakeClientSet + FakeClock + FakeEventRecorder, a
// lister that is a snapshot of the fake client refreshed before each reconcile, the real providers,
// and a loopback HTTP server standing in for web endpoints, Prometheus and the gateway admin
// server. `pass()` reconciles one key and waits for the background pass it started (no sleeps).
import type { Metric } from '../../api/rollouts/v1alpha1/metric.js';
import { FakeEventRecorder } from '../../client/events/fake-event-recorder.js';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { ANALYSIS_RUNS } from '../../client/resource-types.js';
import { FakeClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import { startServer, type LocalServer, type RecordedRequest, type Reply } from '../../rollouts/analysis/providers/local-http-server.fixture.js';
import { SnapshotLister } from '../framework/snapshot-lister.fixture.js';
import { defaultMetricProviders } from './analysis-run-controller.js';
import type { AnalysisRunObject } from '../../rollouts/analysis-objects.js';
import { AnalysisRunReconciler } from './analysis-run-reconciler.js';

export const KEY = 'ns/run';

/** A web metric reading `{"value": ...}` from the local server's /metric path. */
export function webMetric(server: LocalServer, fields: Partial<Metric> = {}): Metric {
  return {
    name: 'success-rate',
    successCondition: 'result >= 0.99',
    provider: { web: { url: `${server.url}/metric`, jsonPath: '{$.value}' } },
    ...fields,
  };
}

export class AnalysisRunHarness {
  readonly clock = new FakeClock();
  readonly clients = new FakeClientSet({ clock: this.clock });
  readonly recorder = new FakeEventRecorder();
  readonly runs = new SnapshotLister<AnalysisRunObject>(this.clients.resource(ANALYSIS_RUNS));
  readonly enqueued: string[] = [];
  readonly requeues: { key: string; delayMs: number }[] = [];
  readonly reconciler: AnalysisRunReconciler;
  readonly server: LocalServer;
  readonly shutdown = new AbortController();
  /** What the local server answers next: a value (as {"value": v}), or a full reply; the last one repeats. */
  readonly replies: (Reply | number)[];

  private constructor(server: LocalServer, replies: (Reply | number)[], options: { passTimeoutMs?: number } = {}) {
    this.server = server;
    this.replies = replies;
    this.reconciler = new AnalysisRunReconciler({
      clients: this.clients,
      analysisRuns: this.runs,
      providers: defaultMetricProviders({ gatewayAdminAddress: server.url, prometheusAddress: server.url }),
      recorder: this.recorder,
      clock: this.clock,
      logger: silentLogger(),
      ...(options.passTimeoutMs === undefined ? {} : { passTimeoutMs: options.passTimeoutMs }),
    });
    this.reconciler.bindQueue((key) => this.enqueued.push(key), (key, delayMs) => this.requeues.push({ key, delayMs }));
  }

  static async start(options: { passTimeoutMs?: number; handler?: (request: RecordedRequest) => Reply } = {}): Promise<AnalysisRunHarness> {
    const replies: (Reply | number)[] = [];
    const server = await startServer((request) => {
      if (options.handler !== undefined) return options.handler(request);
      const next = replies.length > 1 ? replies.shift()! : replies[0] ?? { status: 500, body: 'no reply scripted' };
      return typeof next === 'number' ? { body: { value: next } } : next;
    });
    return new AnalysisRunHarness(server, replies, options);
  }

  async close(): Promise<void> {
    this.shutdown.abort();
    await this.reconciler.idle();
    await this.server.close();
  }

  seed(metrics: Metric[], spec: Partial<AnalysisRunObject['spec']> = {}): AnalysisRunObject {
    return this.clients.seed<AnalysisRunObject>(ANALYSIS_RUNS, {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun',
      metadata: { name: 'run', namespace: 'ns' },
      spec: { metrics, ...spec },
    })[0]!;
  }

  async get(): Promise<AnalysisRunObject> {
    return this.clients.resource<AnalysisRunObject>(ANALYSIS_RUNS).get('ns', 'run');
  }

  /** Starts a reconcile (cache refreshed first) without waiting for its pass. */
  async reconcile(): Promise<{ requeueAfterMs?: number } | void> {
    await this.runs.sync();
    return this.reconciler.reconcile(KEY, this.shutdown.signal);
  }

  /** One reconcile and the pass it started, after moving the clock; returns the stored run. */
  async pass(advanceMs = 0): Promise<AnalysisRunObject> {
    this.clock.advance(advanceMs);
    this.requeues.length = 0;
    await this.reconcile();
    await this.reconciler.idle();
    return this.get();
  }

  /** The delay of the last enqueueAfter, if a pass asked for one. */
  lastRequeue(): number | undefined {
    return this.requeues[this.requeues.length - 1]?.delayMs;
  }
}
