import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../lib/clock.js';
import type { AnalysisRun, Metric } from '../analysis-types.js';
import type { MeasureRequest, MetricProvider, ProviderMeasurement } from '../providers/metric-provider.js';
import { reconcileAnalysisRun, type AnalysisRunReconcileResult } from './reconcile-analysis-run.js';

/** Answers from a script, one per measure call; an Error entry is thrown. */
class ScriptedProvider implements MetricProvider {
  readonly type = 'Web';
  readonly calls: MeasureRequest[] = [];
  private readonly script: (ProviderMeasurement | Error)[];
  constructor(script: (ProviderMeasurement | Error | number)[]) {
    this.script = script.map((s) => (typeof s === 'number' ? { value: s } : s));
  }
  measure(request: MeasureRequest): Promise<ProviderMeasurement> {
    this.calls.push(request);
    const next = this.script.shift();
    if (next === undefined) return Promise.reject(new Error('script exhausted'));
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  }
}

const web = { web: { url: 'http://metrics/{{args.svc}}' } };

function metric(fields: Partial<Metric> = {}): Metric {
  return { name: 'success-rate', successCondition: 'result >= 0.99', provider: web, ...fields };
}

function newRun(metrics: Metric[], extra: Partial<AnalysisRun['spec']> = {}): AnalysisRun {
  return { metadata: { name: 'r', namespace: 'ns' }, spec: { metrics, args: [{ name: 'svc', value: 'web' }], ...extra } };
}

/** Drives a run through successive reconciles, as the controller would. */
class Harness {
  readonly clock = new FakeClock();
  run: AnalysisRun;
  last!: AnalysisRunReconcileResult;
  readonly provider: ScriptedProvider;
  lookupSecret: ((name: string, key: string) => Promise<string | undefined>) | undefined;
  constructor(run: AnalysisRun, script: (ProviderMeasurement | Error | number)[]) {
    this.run = run;
    this.provider = new ScriptedProvider(script);
  }
  async step(advanceMs = 0): Promise<AnalysisRunReconcileResult> {
    this.clock.advance(advanceMs);
    this.last = await reconcileAnalysisRun({
      run: this.run, providers: { web: this.provider }, clock: this.clock, signal: new AbortController().signal,
      ...(this.lookupSecret === undefined ? {} : { lookupSecret: this.lookupSecret }),
    });
    this.run = { ...this.run, status: this.last.status };
    return this.last;
  }
  get result() { return this.last.status.metricResults![0]!; }
}

describe('reconcileAnalysisRun: scheduling', () => {
  it('takes one measurement when neither count nor interval is given', async () => {
    const h = new Harness(newRun([metric()]), [0.995]);
    const r = await h.step();
    assert.equal(r.status.phase, 'Successful');
    assert.equal(r.requeueAfterMs, undefined);
    assert.equal(h.result.count, 1);
    assert.equal(h.result.measurements![0]!.value, '0.995');
    assert.equal(r.status.startedAt, '2025-01-01T00:00:00Z');
    assert.equal(r.status.completedAt, '2025-01-01T00:00:00Z');
    assert.deepEqual(r.events.map((e) => e.reason), ['MetricSuccessful', 'AnalysisRunSuccessful']);
    assert.equal(r.events[1]!.message, 'Analysis Completed. Result: Successful');
    assert.deepEqual(r.status.runSummary, { count: 1, successful: 1, failed: 0, inconclusive: 0, error: 0 });
    // Completed runs are left alone.
    const again = await h.step(60_000);
    assert.equal(h.provider.calls.length, 1);
    assert.deepEqual(again.events, []);
  });

  it('measures count times, interval apart, and requeues for the next one', async () => {
    const h = new Harness(newRun([metric({ count: 3, interval: '1m' })]), [0.995, 0.999, 1]);
    assert.equal((await h.step()).requeueAfterMs, 60_000);
    assert.equal(h.run.status!.phase, 'Running');
    assert.equal((await h.step(30_000)).requeueAfterMs, 30_000);
    assert.equal(h.provider.calls.length, 1, 'not due yet');
    await h.step(30_000);
    assert.equal(h.provider.calls.length, 2);
    const done = await h.step(60_000);
    assert.equal(done.status.phase, 'Successful');
    assert.equal(done.requeueAfterMs, undefined);
    assert.equal(h.result.count, 3);
  });

  it('waits for initialDelay from the run start before the first measurement', async () => {
    const h = new Harness(newRun([metric({ initialDelay: '30s' })]), [1]);
    const first = await h.step();
    assert.equal(h.provider.calls.length, 0);
    assert.equal(first.status.phase, 'Running');
    assert.equal(first.status.startedAt, '2025-01-01T00:00:00Z');
    assert.equal(first.requeueAfterMs, 30_000);
    await h.step(29_000);
    assert.equal(h.provider.calls.length, 0);
    assert.equal((await h.step(1_000)).status.phase, 'Successful');
  });

  it('passes args into the provider and the run namespace along', async () => {
    const h = new Harness(newRun([metric()]), [1]);
    await h.step();
    assert.equal(h.provider.calls[0]!.metric.provider.web!.url, 'http://metrics/web');
    assert.equal(h.provider.calls[0]!.namespace, 'ns');
  });
});

describe('reconcileAnalysisRun: limits', () => {
  it('fails when failed > failureLimit (the worked example)', async () => {
    const h = new Harness(newRun([metric({ count: 3, interval: '1m', failureLimit: 1 })]), [0.995, 0.97, 0.98]);
    await h.step();
    assert.equal((await h.step(60_000)).status.phase, 'Running', 'failed (1) is not > failureLimit (1)');
    const r = await h.step(60_000);
    assert.equal(r.status.phase, 'Failed');
    assert.equal(r.status.message, 'Metric "success-rate" assessed Failed due to failed (2) > failureLimit (1)');
    assert.equal(h.result.phase, 'Failed');
    assert.deepEqual([h.result.count, h.result.successful, h.result.failed], [3, 1, 2]);
    assert.deepEqual(r.events.map((e) => [e.type, e.reason]), [['Warning', 'MetricFailed'], ['Warning', 'AnalysisRunFailed']]);
  });

  it('fails on the first failure with the default failureLimit 0, and stops measuring', async () => {
    const h = new Harness(newRun([metric({ interval: '10s' })]), [0.5]);
    const r = await h.step();
    assert.equal(r.status.phase, 'Failed');
    assert.equal(r.status.message, 'Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)');
    assert.equal(r.requeueAfterMs, undefined);
  });

  it('is Inconclusive when neither condition holds more than inconclusiveLimit times', async () => {
    const m = metric({ successCondition: 'result >= 0.99', failureCondition: 'result < 0.9', interval: '1m', count: 5, inconclusiveLimit: 1 });
    const h = new Harness(newRun([m]), [0.95, 0.999, 0.95]);
    await h.step();
    assert.equal(h.result.measurements![0]!.phase, 'Inconclusive');
    assert.equal((await h.step(60_000)).status.phase, 'Running');
    const r = await h.step(60_000);
    assert.equal(r.status.phase, 'Inconclusive');
    assert.equal(r.status.message, 'Metric "success-rate" assessed Inconclusive due to inconclusive (2) > inconclusiveLimit (1)');
  });

  it('retries errors every 10s and ends in Error after more than consecutiveErrorLimit (default 4) in a row', async () => {
    const boom = (): Error => new Error('boom');
    const h = new Harness(newRun([metric({ interval: '5m', count: 10 })]), [boom(), boom(), boom(), boom(), boom()]);
    for (let i = 0; i < 4; i++) {
      const r = await h.step(i === 0 ? 0 : 10_000);
      assert.equal(r.status.phase, 'Running');
      assert.equal(r.requeueAfterMs, 10_000, 'errors are retried after 10s, not the 5m interval');
    }
    assert.deepEqual([h.result.error, h.result.consecutiveError, h.result.count ?? 0], [4, 4, 0]);
    const r = await h.step(10_000);
    assert.equal(r.status.phase, 'Error');
    assert.equal(r.status.message, 'Metric "success-rate" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4): "Error Message: boom"');
  });

  it('resets consecutiveError on a good measurement', async () => {
    const h = new Harness(newRun([metric({ interval: '1m', count: 3, consecutiveErrorLimit: 1 })]), [new Error('x'), 1, new Error('y'), 1, 1]);
    await h.step();
    await h.step(10_000);
    assert.equal(h.result.consecutiveError, 0);
    await h.step(60_000);
    assert.equal(h.result.consecutiveError, 1);
    assert.equal(h.run.status!.phase, 'Running', '1 is not > consecutiveErrorLimit 1');
    await h.step(10_000);
    const r = await h.step(60_000);
    assert.equal(r.status.phase, 'Successful');
    assert.equal(h.result.error, 2);
  });

  it('a Failed or Inconclusive measurement also breaks an error streak', async () => {
    const m = metric({ interval: '1m', count: 4, consecutiveErrorLimit: 1, failureLimit: 3, inconclusiveLimit: 3, failureCondition: 'result < 0' });
    const h = new Harness(newRun([m]), [new Error('x'), -1, new Error('y'), 0.5, new Error('z')]);
    await h.step();
    await h.step(10_000);
    assert.deepEqual([h.result.failed, h.result.consecutiveError], [1, 0]);
    await h.step(60_000);
    await h.step(10_000);
    assert.deepEqual([h.result.inconclusive, h.result.consecutiveError], [1, 0]);
    await h.step(60_000);
    assert.equal(h.run.status!.phase, 'Running', 'never two errors in a row');
    assert.equal(h.result.error, 3);
  });

  it('honours consecutiveSuccessLimit', async () => {
    const m = metric({ interval: '1m', count: 4, consecutiveSuccessLimit: 2, failureLimit: 2 });
    const h = new Harness(newRun([m]), [1, 0.5, 1, 1]);
    await h.step();
    await h.step(60_000);
    await h.step(60_000);
    assert.equal(h.run.status!.phase, 'Running');
    assert.equal((await h.step(60_000)).status.phase, 'Successful');
    assert.equal(h.result.consecutiveSuccess, 2);
  });

  it('a condition that cannot be evaluated is an Error measurement, with the reason', async () => {
    const h = new Harness(newRun([metric({ successCondition: 'result[0] >= 0.99', consecutiveErrorLimit: 0 })]), [{ value: [] }]);
    const r = await h.step();
    assert.equal(r.status.phase, 'Error');
    assert.match(h.result.measurements![0]!.message!, /^could not evaluate successCondition "result\[0\] >= 0.99": metric result is nil or empty/);
  });
});

describe('reconcileAnalysisRun: terminate, dry-run, phases', () => {
  it('terminate ends an open-ended metric as Successful with "Run Terminated"', async () => {
    const h = new Harness(newRun([metric({ interval: '1m' })]), [1]);
    await h.step();
    h.run = { ...h.run, spec: { ...h.run.spec, terminate: true } };
    const r = await h.step(5_000);
    assert.equal(r.status.phase, 'Successful');
    assert.equal(r.status.message, 'Run Terminated');
    assert.equal(h.provider.calls.length, 1);
  });

  it('terminate before any measurement is Successful too', async () => {
    const h = new Harness(newRun([metric({ initialDelay: '1m' })], { terminate: true }), []);
    const r = await h.step();
    assert.equal(r.status.phase, 'Successful');
    assert.equal(h.provider.calls.length, 0);
  });

  it('a dry-run metric that fails does not fail the run', async () => {
    const run = newRun([metric({ name: 'strict' }), metric({ name: 'ok', successCondition: 'true' })], { dryRun: [{ metricName: 'str.*' }] });
    const h = new Harness(run, [0.5, 0.5]);
    const r = await h.step();
    assert.equal(r.status.phase, 'Successful');
    const strict = r.status.metricResults!.find((m) => m.name === 'strict')!;
    assert.equal(strict.dryRun, true);
    assert.equal(strict.phase, 'Failed');
    assert.equal(strict.message, 'Metric assessed Failed due to failed (1) > failureLimit (0)');
    assert.equal(r.status.dryRunSummary!.failed, 1);
    assert.equal(r.status.runSummary!.successful, 1);
  });

  it('the overall phase is the worst one: Failed beats Error beats Inconclusive', async () => {
    const run = newRun([
      metric({ name: 'a', successCondition: 'result > 1', failureCondition: 'result < 0' }),
      metric({ name: 'b', consecutiveErrorLimit: 0 }),
      metric({ name: 'c' }),
    ]);
    const h = new Harness(run, [0.5, new Error('down'), 0.1]);
    const r = await h.step();
    assert.deepEqual(r.status.metricResults!.map((m) => m.phase), ['Inconclusive', 'Error', 'Failed']);
    assert.equal(r.status.phase, 'Failed');
    assert.equal(r.status.message, 'Metric "c" assessed Failed due to failed (1) > failureLimit (0)');
  });

  it('a provider Running answer keeps the measurement in flight without counting it', async () => {
    const h = new Harness(newRun([metric()]), [{ phase: 'Running', message: 'waiting for data', resumeAfterMs: 5000 }, 1]);
    const r = await h.step();
    assert.equal(r.status.phase, 'Running');
    assert.equal(r.requeueAfterMs, 5000);
    assert.equal(h.result.measurements![0]!.phase, 'Running');
    assert.equal(h.result.measurements![0]!.resumeAt, '2025-01-01T00:00:05Z');
    assert.equal(h.result.count ?? 0, 0);
    await h.step(2_000);
    assert.equal(h.provider.calls.length, 1, 'not before resumeAt');
    const done = await h.step(3_000);
    assert.equal(done.status.phase, 'Successful');
    assert.equal(h.result.measurements!.length, 1, 'the in-flight measurement was completed in place');
    assert.equal(h.result.measurements![0]!.startedAt, '2025-01-01T00:00:00Z');
    assert.equal(h.provider.calls[1]!.startedAt!.toISOString(), '2025-01-01T00:00:00.000Z');
  });
});

describe('reconcileAnalysisRun: retention, args and spec errors', () => {
  it('keeps the last 10 measurements per metric, or measurementRetention', async () => {
    const run = newRun([metric({ name: 'a', interval: '1s' }), metric({ name: 'b', interval: '1s' })], { measurementRetention: [{ metricName: '^b$', limit: 3 }] });
    const h = new Harness(run, Array.from({ length: 24 }, () => 1));
    await h.step();
    for (let i = 0; i < 11; i++) await h.step(1_000);
    const [a, b] = h.run.status!.metricResults!;
    assert.equal(a!.count, 12);
    assert.equal(a!.measurements!.length, 10);
    assert.equal(a!.measurements![9]!.finishedAt, '2025-01-01T00:00:11Z', 'the newest are kept');
    assert.equal(b!.measurements!.length, 3);
  });

  it('a missing arg value is an Error with Argo\'s message', async () => {
    const h = new Harness(newRun([metric()], { args: [{ name: 'svc' }] }), []);
    const r = await h.step();
    assert.equal(r.status.phase, 'Error');
    assert.equal(r.status.message, 'Unable to resolve metric arguments: argument "svc" was not supplied');
    assert.deepEqual(r.events.map((e) => e.reason), ['AnalysisRunError']);
  });

  it('an unknown {{args.x}} is an Error', async () => {
    const h = new Harness(newRun([metric({ successCondition: 'result > {{args.min}}' })]), []);
    const r = await h.step();
    assert.equal(r.status.message, 'Unable to resolve metric arguments: failed to resolve {{args.min}}');
  });

  it('resolves secret args through the callback and redacts them from messages', async () => {
    const run = newRun([metric({ provider: { web: { url: 'http://x/?token={{args.token}}' } }, consecutiveErrorLimit: 0 })],
      { args: [{ name: 'token', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] });
    const h = new Harness(run, [new Error('GET "http://x/?token=hunter2": refused')]);
    h.lookupSecret = (name, key) => Promise.resolve(name === 's' && key === 'k' ? 'hunter2' : undefined);
    const r = await h.step();
    assert.equal(h.provider.calls[0]!.metric.provider.web!.url, 'http://x/?token=hunter2');
    assert.equal(h.result.measurements![0]!.message, 'GET "http://x/?token=*****": refused');
    assert.doesNotMatch(JSON.stringify(r.status), /hunter2/);
  });

  it('rejects an invalid spec with "Analysis spec invalid"', async () => {
    const h = new Harness(newRun([metric({ count: 2 })]), []);
    assert.equal((await h.step()).status.message, 'Analysis spec invalid: metrics[0]: interval must be specified when count > 1');
    const h2 = new Harness(newRun([metric()], { dryRun: [{ metricName: 'nope' }] }), []);
    assert.equal((await h2.step()).status.message, "Analysis spec invalid: dryRun[0]: Rule didn't match any metric name(s)");
  });

  it('a provider k8ts does not implement is an Error measurement', async () => {
    const h = new Harness(newRun([metric({ provider: { datadog: { query: 'x' } }, consecutiveErrorLimit: 0 })]), []);
    await h.step();
    assert.equal(h.result.measurements![0]!.message, 'provider "datadog" is not supported');
  });
});
