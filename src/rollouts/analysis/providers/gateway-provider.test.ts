import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../lib/clock.js';
import type { AnalysisRun, GatewayMetric, Metric } from '../analysis-types.js';
import { reconcileAnalysisRun } from '../engine/reconcile-analysis-run.js';
import { GatewayMetricProvider } from './gateway-provider.js';
import { startServer, type LocalServer } from './local-http-server.fixture.js';

/** What the fake gateway admin answers, per revision. */
const stats = new Map<string, { requests: number; successRate: number | null; p99: number }>();

describe('GatewayMetricProvider', () => {
  let server: LocalServer;
  before(async () => {
    server = await startServer((req) => {
      const q = new URL(req.url, 'http://x').searchParams;
      const s = stats.get(q.get('revision') ?? '');
      if (req.method !== 'GET' || !req.url.startsWith('/stats') || s === undefined) return { status: 404, body: {} };
      return { body: { requests: s.requests, byClass: { '2xx': s.requests }, successRate: s.successRate, latencyMs: { p50: 1, p95: 5, p99: s.p99 }, windowSeconds: 60 } };
    });
  });
  after(() => server.close());

  const provider = (): GatewayMetricProvider => new GatewayMetricProvider({ address: server.url });
  const measure = (gateway: GatewayMetric, extra: { startedAt?: Date; now?: Date; viaPlugin?: boolean } = {}) => {
    const metric: Metric = { name: 'm', provider: extra.viaPlugin === true ? { plugin: { 'k8ts/gateway': gateway } } : { gateway } };
    return provider().measure({
      metric, namespace: 'shop', signal: new AbortController().signal, now: extra.now ?? new Date('2025-01-01T00:10:00Z'),
      ...(extra.startedAt === undefined ? {} : { startedAt: extra.startedAt }),
    });
  };

  it('asks /stats for the service (defaulting to the run namespace), revision and window', async () => {
    stats.set('c1', { requests: 100, successRate: 0.98, p99: 42 });
    const m = await measure({ service: 'web', revision: 'c1', metric: 'successRate' });
    assert.deepEqual(m, { value: 0.98, display: '0.98' });
    const url = new URL(server.requests[server.requests.length - 1]!.url, 'http://x');
    assert.equal(url.pathname, '/stats');
    assert.deepEqual(Object.fromEntries(url.searchParams), { service: 'shop/web', revision: 'c1', window: '60s' });
  });

  it('reads latency percentiles, request counts and error rate', async () => {
    stats.set('c1', { requests: 100, successRate: 0.75, p99: 42 });
    assert.equal((await measure({ service: 'other/web', revision: 'c1', metric: 'p99', window: '30s' })).value, 42);
    assert.equal((await measure({ service: 'web', revision: 'c1', metric: 'requests' })).value, 100);
    assert.equal((await measure({ service: 'web', revision: 'c1', metric: 'errorRate' })).value, 0.25);
    assert.equal((await measure({ service: 'web', revision: 'c1', metric: 'p50' }, { viaPlugin: true })).value, 1);
  });

  it('compares canary with stable in the same window', async () => {
    stats.set('c1', { requests: 120, successRate: 0.99, p99: 40 });
    stats.set('s1', { requests: 4000, successRate: 0.995, p99: 30 });
    const m = await measure({ service: 'web', revision: 'c1', metric: 'successRate', compareTo: { revision: 's1' } });
    assert.deepEqual(m.value, { canary: 0.99, stable: 0.995, canaryRequests: 120, stableRequests: 4000 });
  });

  it('waits for minRequests on both sides, then gives up as Inconclusive after maxWait', async () => {
    stats.set('c1', { requests: 12, successRate: 1, p99: 1 });
    stats.set('s1', { requests: 4000, successRate: 1, p99: 1 });
    const spec: GatewayMetric = { service: 'web', revision: 'c1', metric: 'successRate', minRequests: 50, compareTo: { revision: 's1' }, maxWait: '2m' };
    const waiting = await measure(spec);
    assert.equal(waiting.phase, 'Running');
    assert.equal(waiting.message, 'waiting for data: canary 12/50 requests in 60s window');
    assert.equal(waiting.resumeAfterMs, 5000);
    const tooLong = await measure(spec, { startedAt: new Date('2025-01-01T00:08:00Z') });
    assert.equal(tooLong.phase, 'Inconclusive');
    assert.match(tooLong.message!, /^insufficient data: canary 12\/50 requests in 60s window \(minRequests 50, waited 2m\)$/);
  });

  it('rejects bad specs and reports gateway failures', async () => {
    await assert.rejects(measure({ service: 'web', revision: 'c1', metric: 'p42' as never }), /gateway metric must be one of/);
    await assert.rejects(measure({ service: 'web', revision: 'zzz', metric: 'p99' }), /gateway stats for shop\/web: received non 2xx response code: 404/);
    await assert.rejects(new GatewayMetricProvider().measure({ metric: { name: 'm', provider: { gateway: { service: 'w', metric: 'p99' } } }, namespace: 'ns', signal: new AbortController().signal, now: new Date() }), /gateway admin address is not configured/);
  });

  it('drives an AnalysisRun: not enough data, then a canary worse than stable fails it', async () => {
    stats.set('c1', { requests: 10, successRate: 0.9, p99: 1 });
    stats.set('s1', { requests: 4000, successRate: 0.999, p99: 1 });
    const clock = new FakeClock();
    let run: AnalysisRun = {
      metadata: { name: 'r', namespace: 'shop' },
      spec: {
        args: [{ name: 'canary-hash', value: 'c1' }, { name: 'stable-hash', value: 's1' }],
        metrics: [{
          name: 'success-rate', successCondition: 'result.canary >= result.stable - 0.01',
          provider: { gateway: { service: 'web', revision: '{{args.canary-hash}}', metric: 'successRate', minRequests: 50, compareTo: { revision: '{{args.stable-hash}}' } } },
        }],
      },
    };
    const step = async () => {
      const r = await reconcileAnalysisRun({ run, providers: { gateway: provider() }, clock, signal: new AbortController().signal });
      run = { ...run, status: r.status };
      return r;
    };
    const first = await step();
    assert.equal(first.status.phase, 'Running');
    assert.equal(first.requeueAfterMs, 5000);
    stats.set('c1', { requests: 80, successRate: 0.9, p99: 1 });
    clock.advance(5000);
    const second = await step();
    assert.equal(second.status.phase, 'Failed');
    const measurement = second.status.metricResults![0]!.measurements![0]!;
    assert.equal(measurement.value, '{"canary":0.9,"stable":0.999,"canaryRequests":80,"stableRequests":4000}');
  });
});
