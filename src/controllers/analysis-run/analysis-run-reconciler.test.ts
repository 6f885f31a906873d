import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ANALYSIS_RUNS } from '../../client/resource-types.js';
import { UnavailableError } from '../../lib/errors.js';
import type { AnalysisRunObject } from '../../rollouts/analysis-objects.js';
import { AnalysisRunHarness, KEY, webMetric } from './analysis-run-harness.fixture.js';

describe('AnalysisRunReconciler: outcomes', () => {
  let h: AnalysisRunHarness;
  beforeEach(async () => { h = await AnalysisRunHarness.start(); });
  afterEach(() => h.close());

  it('succeeds after count measurements, interval apart, writing status through the status subresource', async () => {
    h.seed([webMetric(h.server, { count: 3, interval: '1m' })]);
    h.replies.push(0.995, 0.999, 1);
    let run = await h.pass();
    assert.equal(run.status?.phase, 'Running');
    assert.equal(run.status.startedAt, '2025-01-01T00:00:00Z');
    assert.equal(run.status.metricResults?.[0]?.measurements?.[0]?.value, '0.995');
    assert.equal(h.lastRequeue(), 60_000);
    assert.ok(h.clients.actions.some((a) => a.verb === 'update' && a.resource === 'analysisruns' && a.subresource === 'status'));
    await h.pass(60_000);
    run = await h.pass(60_000);
    assert.equal(h.server.requests.length, 3);
    assert.equal(run.status?.phase, 'Successful');
    assert.equal(run.status.message, undefined);
    assert.equal(run.status.completedAt, '2025-01-01T00:02:00Z');
    assert.deepEqual(run.status.runSummary, { count: 1, successful: 1, failed: 0, inconclusive: 0, error: 0 });
    assert.deepEqual(run.status.metricResults?.[0]?.measurements?.map((m) => m.value), ['0.995', '0.999', '1']);
    assert.equal(h.lastRequeue(), undefined, 'a completed run is not requeued');
    assert.deepEqual(h.recorder.events.map((e) => [e.type, e.reason, e.message]), [
      ['Normal', 'MetricSuccessful', "Metric 'success-rate' Completed. Result: Successful"],
      ['Normal', 'AnalysisRunSuccessful', 'Analysis Completed. Result: Successful'],
    ]);
    // A completed run is left alone.
    await h.pass(60_000);
    assert.equal(h.server.requests.length, 3);
  });

  it('fails when failed measurements exceed failureLimit', async () => {
    h.seed([webMetric(h.server, { count: 5, interval: '30s', failureLimit: 1 })]);
    h.replies.push(0.5, 0.999, 0.5);
    await h.pass();
    assert.equal((await h.pass(30_000)).status?.phase, 'Running', 'failed (1) is not > failureLimit (1)');
    const run = await h.pass(30_000);
    assert.equal(run.status?.phase, 'Failed');
    assert.equal(run.status.message, 'Metric "success-rate" assessed Failed due to failed (2) > failureLimit (1)');
    assert.deepEqual(run.status.runSummary, { count: 1, successful: 0, failed: 1, inconclusive: 0, error: 0 });
    assert.deepEqual(h.recorder.events.map((e) => [e.type, e.reason]), [['Warning', 'MetricFailed'], ['Warning', 'AnalysisRunFailed']]);
    assert.equal(h.lastRequeue(), undefined);
  });

  it('is Inconclusive when a value meets neither condition', async () => {
    h.seed([webMetric(h.server, { failureCondition: 'result < 0.9' })]);
    h.replies.push(0.95);
    const run = await h.pass();
    assert.equal(run.status?.phase, 'Inconclusive');
    assert.equal(run.status.message, 'Metric "success-rate" assessed Inconclusive due to inconclusive (1) > inconclusiveLimit (0)');
    assert.deepEqual(h.recorder.reasons(), ['MetricInconclusive', 'AnalysisRunInconclusive']);
  });

  it('ends in Error after more consecutive errors than consecutiveErrorLimit, retrying errors after 10 s', async () => {
    h.seed([webMetric(h.server, { count: 3, interval: '1m', consecutiveErrorLimit: 1 })]);
    h.replies.push({ status: 500, body: 'down' });
    let run = await h.pass();
    assert.equal(run.status?.phase, 'Running');
    assert.equal(run.status.metricResults?.[0]?.consecutiveError, 1);
    assert.equal(h.lastRequeue(), 10_000, 'an errored measurement is retried after 10 s, not the interval');
    run = await h.pass(10_000);
    assert.equal(run.status?.phase, 'Error');
    assert.equal(run.status.message,
      'Metric "success-rate" assessed Error due to consecutiveErrors (2) > consecutiveErrorLimit (1): "Error Message: received non 2xx response code: 500"');
    assert.deepEqual(run.status.runSummary, { count: 1, successful: 0, failed: 0, inconclusive: 0, error: 1 });
    assert.deepEqual(h.recorder.events.map((e) => [e.type, e.reason]), [['Warning', 'MetricError'], ['Warning', 'AnalysisRunError']]);
  });

  it('dry-run metrics never decide the run; measurementRetention trims history', async () => {
    h.seed([
      webMetric(h.server, { name: 'shadow', count: 3, interval: '10s', successCondition: 'result > 2' }),
      webMetric(h.server, { count: 3, interval: '10s' }),
    ], { dryRun: [{ metricName: 'shadow' }], measurementRetention: [{ metricName: '.*', limit: 2 }] });
    h.replies.push(1);
    await h.pass();
    await h.pass(10_000);
    const run = await h.pass(10_000);
    assert.equal(run.status?.phase, 'Successful');
    const shadow = run.status.metricResults?.find((r) => r.name === 'shadow');
    assert.equal(shadow?.dryRun, true);
    assert.equal(shadow.phase, 'Failed');
    assert.equal(shadow.measurements?.length, 1, 'a failed measurement ends the dry-run metric (failureLimit 0)');
    const main = run.status.metricResults?.find((r) => r.name === 'success-rate');
    assert.equal(main?.count, 3);
    assert.deepEqual(main.measurements?.map((m) => m.startedAt), ['2025-01-01T00:00:10Z', '2025-01-01T00:00:20Z'], 'retention: the newest 2 of 3');
    assert.deepEqual(run.status.dryRunSummary, { count: 1, successful: 0, failed: 1, inconclusive: 0, error: 0 });
    assert.deepEqual(run.status.runSummary, { count: 1, successful: 1, failed: 0, inconclusive: 0, error: 0 });
  });

  it('resolves args, including secretKeyRef through the client, and redacts the secret', async () => {
    h.clients.seed({ group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true },
      { metadata: { name: 'creds', namespace: 'ns' }, data: { token: Buffer.from('s3cret').toString('base64') } });
    const metric = webMetric(h.server, { name: 'm' });
    metric.provider.web!.url = `${h.server.url}/{{args.svc}}`;
    metric.provider.web!.headers = [{ key: 'Authorization', value: 'Bearer {{args.token}}' }];
    h.seed([metric], { args: [{ name: 'svc', value: 'shop' }, { name: 'token', valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } } }] });
    h.replies.push(1);
    const run = await h.pass();
    assert.equal(run.status?.phase, 'Successful');
    assert.equal(h.server.requests[0]?.url, '/shop');
    assert.equal(h.server.requests[0]?.headers.authorization, 'Bearer s3cret');
    assert.doesNotMatch(JSON.stringify(run.status), /s3cret/);
  });

  it('measures prometheus and the gateway admin /stats at the configured addresses', async () => {
    await h.close();
    h = await AnalysisRunHarness.start({
      handler: (req) => req.url.startsWith('/api/v1/query')
        ? { body: { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, '0.97'] }] } } }
        : { body: { requests: 120, byClass: { '2xx': 119 }, successRate: 0.99, latencyMs: { p50: 3, p95: 9, p99: 20 }, windowSeconds: 60 } },
    });
    h.seed([
      { name: 'prom', successCondition: 'result[0] >= 0.95', provider: { prometheus: { query: 'sum(up)' } } },
      { name: 'gw', successCondition: 'result >= 0.99', provider: { plugin: { 'k8ts/gateway': { service: 'web', revision: 'abc123', metric: 'successRate' } } } },
    ]);
    const run = await h.pass();
    assert.equal(run.status?.phase, 'Successful');
    assert.deepEqual(run.status.metricResults?.map((r) => [r.name, r.measurements?.[0]?.value]), [['prom', '[0.97]'], ['gw', '0.99']]);
    const stats = h.server.requests.find((r) => r.url.startsWith('/stats'));
    assert.equal(stats?.url, '/stats?service=ns%2Fweb&revision=abc123&window=60s');
  });
});

describe('AnalysisRunReconciler: scheduling, terminate and writes', () => {
  let h: AnalysisRunHarness;
  beforeEach(async () => { h = await AnalysisRunHarness.start(); });
  afterEach(() => h.close());

  it('requeues at the next due time and does not measure early', async () => {
    h.seed([webMetric(h.server, { count: 2, interval: '1m', initialDelay: '20s' })]);
    h.replies.push(1);
    let run = await h.pass();
    assert.equal(h.server.requests.length, 0);
    assert.equal(run.status?.phase, 'Running');
    assert.equal(h.lastRequeue(), 20_000, 'initialDelay from startedAt');
    await h.pass(20_000);
    assert.equal(h.server.requests.length, 1);
    assert.equal(h.lastRequeue(), 60_000);
    const writes = h.clients.actions.length;
    run = await h.pass(45_000);
    assert.equal(h.server.requests.length, 1, 'not due before finishedAt + interval');
    assert.equal(h.lastRequeue(), 15_000);
    assert.equal(h.clients.actions.length, writes, 'an unchanged status is not written');
    assert.equal((await h.pass(15_000)).status?.phase, 'Successful');
  });

  it('terminates: phase Successful with message Run Terminated, no more measurements', async () => {
    h.seed([webMetric(h.server, { interval: '1m' })]);
    h.replies.push(1);
    await h.pass();
    assert.equal(h.lastRequeue(), 60_000, 'no count: measures until terminated');
    await h.clients.resource<AnalysisRunObject>(ANALYSIS_RUNS).patch('ns', 'run', 'merge', { spec: { terminate: true } });
    const run = await h.pass(60_000);
    assert.equal(h.server.requests.length, 1);
    assert.equal(run.status?.phase, 'Successful');
    assert.equal(run.status.message, 'Run Terminated');
    assert.equal(h.lastRequeue(), undefined);
    assert.deepEqual(h.recorder.reasons(), ['MetricSuccessful', 'AnalysisRunSuccessful']);
  });

  it('never blocks the worker; terminate aborts a measurement in flight', async () => {
    h.seed([webMetric(h.server, { interval: '1m' })]);
    h.replies.push({ body: { value: 1 }, delayMs: 30_000 });
    await h.reconcile();
    assert.deepEqual(h.reconciler.inFlight(), [KEY], 'reconcile returned while the measurement is in flight');
    await h.reconcile();
    assert.deepEqual(h.reconciler.inFlight(), [KEY], 'a second reconcile does not start a second pass');
    await h.clients.resource<AnalysisRunObject>(ANALYSIS_RUNS).patch('ns', 'run', 'merge', { spec: { terminate: true } });
    await h.reconcile();
    await h.reconciler.idle();
    assert.deepEqual(h.enqueued, [KEY], 'the aborted pass asks for another look');
    const run = await h.pass();
    assert.equal(run.status?.phase, 'Successful');
    assert.equal(run.status.message, 'Run Terminated');
  });

  it('drops a pass whose run got a newer status meanwhile, but writes over a spec-only change', async () => {
    h.seed([webMetric(h.server, { count: 2, interval: '1m' })]);
    h.replies.push({ body: { value: 1 }, delayMs: 50 });
    const client = h.clients.resource<AnalysisRunObject>(ANALYSIS_RUNS);
    await h.reconcile();
    await client.patch('ns', 'run', 'merge', { metadata: { labels: { touched: 'yes' } } });
    await h.reconciler.idle();
    let run = await h.get();
    assert.equal(run.status?.metricResults?.[0]?.count, 1, 'written on top of the label change');
    assert.equal(run.metadata?.labels?.touched, 'yes');

    h.enqueued.length = 0;
    h.clock.advance(60_000);
    await h.reconcile();
    const current = await client.get('ns', 'run');
    await client.updateStatus('ns', { ...current, status: { ...current.status, message: 'someone else' } });
    await h.reconciler.idle();
    run = await h.get();
    assert.equal(run.status?.message, 'someone else', 'the stale result was not written');
    assert.equal(run.status.metricResults?.[0]?.count, 1);
    assert.deepEqual(h.enqueued, [KEY]);
  });

  it('a failed status write makes the next reconcile throw (runner backoff), then recovers', async () => {
    h.seed([webMetric(h.server)]);
    h.replies.push(1);
    h.clients.fail('update', 'analysisruns/status', new UnavailableError('etcd down'), { times: 1 });
    await h.pass();
    assert.deepEqual(h.enqueued, [KEY]);
    await h.runs.sync();
    await assert.rejects(h.reconciler.reconcile(KEY, h.shutdown.signal), UnavailableError);
    assert.equal((await h.pass()).status?.phase, 'Successful');
  });

  it('a pass that outlives passTimeoutMs is aborted and retried with backoff', async () => {
    await h.close();
    h = await AnalysisRunHarness.start({ passTimeoutMs: 20 });
    h.seed([webMetric(h.server)]);
    h.replies.push({ body: { value: 1 }, delayMs: 60_000 });
    const run = await h.pass();
    assert.equal(run.status, undefined, 'nothing written');
    assert.deepEqual(h.enqueued, [KEY]);
    await assert.rejects(h.reconciler.reconcile(KEY, h.shutdown.signal), { name: 'TimeoutError' });
  });

  it('deletes a completed run after its ttlStrategy', async () => {
    h.seed([webMetric(h.server)], { ttlStrategy: { secondsAfterSuccess: 30, secondsAfterFailure: 5 } });
    h.replies.push(1);
    assert.equal((await h.pass()).status?.phase, 'Successful');
    assert.deepEqual(await h.reconcile(), { requeueAfterMs: 31_000 }, 'whole seconds, strictly more than 30');
    h.clock.advance(31_000);
    await h.reconcile();
    await assert.rejects(h.get(), { code: 'NotFound' });
  });
});
