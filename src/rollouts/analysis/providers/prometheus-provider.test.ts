import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Metric, PrometheusMetric } from '../analysis-types.js';
import { startServer, type LocalServer } from './local-http-server.fixture.js';
import { PrometheusMetricProvider } from './prometheus-provider.js';

const now = new Date('2025-01-01T00:00:00Z');

describe('PrometheusMetricProvider', () => {
  let server: LocalServer;
  const answers = new Map<string, { status?: number; body: unknown }>([
    ['vector', { body: { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, '0.995'] }, { metric: {}, value: [1, 'NaN'] }] } } }],
    ['scalar', { body: { status: 'success', data: { resultType: 'scalar', result: [1, '+Inf'] } } }],
    ['matrix', { body: { status: 'success', data: { resultType: 'matrix', result: [{ values: [[1, '1'], [2, '2']] }] } } }],
    ['empty', { body: { status: 'success', data: { resultType: 'vector', result: [] } } }],
    ['string', { body: { status: 'success', data: { resultType: 'string', result: [1, 'x'] } } }],
    ['bad', { status: 400, body: { status: 'error', errorType: 'bad_data', error: 'parse error at char 4' } }],
    ['warn', { body: { status: 'success', warnings: ['careful'], data: { resultType: 'scalar', result: [1, '1'] } } }],
  ]);
  before(async () => {
    server = await startServer((req) => {
      const query = new URLSearchParams(req.body).get('query') ?? '';
      return answers.get(query) ?? { status: 500, body: 'boom' };
    });
  });
  after(() => server.close());

  const measure = (spec: PrometheusMetric, provider = new PrometheusMetricProvider()) => {
    const metric: Metric = { name: 'm', provider: { prometheus: spec } };
    return provider.measure({ metric, namespace: 'ns', signal: new AbortController().signal, now });
  };

  it('posts the query to /api/v1/query with the evaluation time', async () => {
    await measure({ address: `${server.url}/`, query: 'vector' });
    const req = server.requests[server.requests.length - 1]!;
    assert.equal(req.method, 'POST');
    assert.equal(req.url, '/api/v1/query');
    assert.equal(new URLSearchParams(req.body).get('time'), String(now.getTime() / 1000));
  });

  it('turns vector, scalar and matrix answers into what conditions expect', async () => {
    const v = await measure({ address: server.url, query: 'vector' });
    assert.equal((v.value as number[])[0], 0.995);
    assert.ok(Number.isNaN((v.value as number[])[1]));
    assert.equal(v.display, '[0.995,NaN]');
    assert.deepEqual(await measure({ address: server.url, query: 'scalar' }), { value: Infinity, display: '+Inf' });
    assert.deepEqual(await measure({ address: server.url, query: 'matrix' }), { value: [1, 2], display: '[1,2]' });
    assert.deepEqual(await measure({ address: server.url, query: 'empty' }), { value: [], display: '[]' });
    assert.deepEqual((await measure({ address: server.url, query: 'warn' })).metadata, { warnings: '"careful"' });
  });

  it('reports Prometheus errors, unsupported types and configuration problems', async () => {
    await assert.rejects(measure({ address: server.url, query: 'bad' }), /^MeasurementError: bad_data: parse error at char 4$/);
    await assert.rejects(measure({ address: server.url, query: 'other' }), /server error: 500/);
    await assert.rejects(measure({ address: server.url, query: 'string' }), /Prometheus metric type not supported/);
    await assert.rejects(measure({ query: 'x' }), /prometheus address is not configured/);
    await assert.rejects(measure({ address: 'not a url', query: 'x' }), /prometheus address is not is url format/);
    await assert.rejects(measure({ address: server.url, query: 'x', timeout: -1 }), /prometheus timeout should not be negative/);
  });

  it('falls back to the configured default address and records the resolved query', async () => {
    const provider = new PrometheusMetricProvider({ defaultAddress: server.url });
    assert.equal((await measure({ query: 'scalar' }, provider)).display, '+Inf');
    assert.deepEqual(provider.metricMetadata({ name: 'm', provider: { prometheus: { query: 'up' } } }), { ResolvedPrometheusQuery: 'up' });
  });
});
