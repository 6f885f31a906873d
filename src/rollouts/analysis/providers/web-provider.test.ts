import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MeasurementError } from '../analysis-errors.js';
import type { Metric, WebMetric } from '../analysis-types.js';
import { startServer, type LocalServer } from './local-http-server.fixture.js';
import { WebMetricProvider } from './web-provider.js';

const provider = new WebMetricProvider();
const measure = (web: WebMetric) => {
  const metric: Metric = { name: 'm', provider: { web } };
  return provider.measure({ metric, namespace: 'ns', signal: new AbortController().signal, now: new Date() });
};

describe('WebMetricProvider', () => {
  let server: LocalServer;
  before(async () => {
    server = await startServer((req) => {
      if (req.url.startsWith('/json')) return { body: { data: { ok: true, rate: 0.995, items: [{ name: 'stable', v: 1 }, { name: 'canary', v: 2 }] } } };
      if (req.url.startsWith('/text')) return { body: 'OK', contentType: 'text/plain' };
      if (req.url.startsWith('/echo')) return { body: { method: req.method, auth: req.headers.authorization ?? null, type: req.headers['content-type'] ?? null, body: req.body } };
      if (req.url.startsWith('/slow')) return { body: {}, delayMs: 3000 };
      return { status: 503, body: { error: 'down' } };
    });
  });
  after(() => server.close());

  it('extracts the value with a JSONPath and records it as JSON', async () => {
    assert.deepEqual(await measure({ url: `${server.url}/json`, jsonPath: '{$.data.ok}' }), { value: true, display: 'true' });
    assert.equal((await measure({ url: `${server.url}/json`, jsonPath: '{.data.rate}' })).value, 0.995);
    const filtered = await measure({ url: `${server.url}/json`, jsonPath: '{.data.items[?(@.name == "canary")].v}' });
    assert.equal(filtered.value, 2);
  });

  it('uses the whole document by default', async () => {
    const m = await measure({ url: `${server.url}/json` });
    assert.equal((m.value as any).data.rate, 0.995);
    assert.match(m.display!, /^\{"data":/);
  });

  it('a body that is not JSON is the result as a string', async () => {
    assert.deepEqual(await measure({ url: `${server.url}/text` }), { value: 'OK', display: 'OK' });
  });

  it('sends method, headers and body', async () => {
    const m = await measure({
      url: `${server.url}/echo`, method: 'POST', headers: [{ key: 'Authorization', value: 'Bearer t' }], body: 'hello',
    });
    assert.deepEqual(m.value, { method: 'POST', auth: 'Bearer t', type: 'text/plain;charset=UTF-8', body: 'hello' });
    const j = await measure({ url: `${server.url}/echo`, method: 'PUT', jsonBody: { a: 1 } });
    assert.deepEqual(j.value, { method: 'PUT', auth: null, type: 'application/json', body: '{"a":1}' });
  });

  it('fails with Argo\'s messages', async () => {
    await assert.rejects(measure({ url: `${server.url}/nope` }), (e) => e instanceof MeasurementError && e.message === 'received non 2xx response code: 503');
    await assert.rejects(measure({ url: `${server.url}/json`, body: 'x' }), /Body\/JSONBody can only be used with POST or PUT WebMetric Method types/);
    await assert.rejects(measure({ url: `${server.url}/json`, method: 'POST', body: 'x', jsonBody: {} }), /use either Body or JSONBody/);
    await assert.rejects(measure({ url: `${server.url}/json`, jsonPath: '{.data.missing}' }), /result of web metric produced no value/);
  });

  it('reports connection failures and timeouts clearly', async () => {
    const closed = await startServer(() => ({ body: {} }));
    await closed.close();
    await assert.rejects(measure({ url: `${closed.url}/x` }), (e) => e instanceof MeasurementError && /^GET "http:\/\/127\.0\.0\.1:\d+\/x": .*ECONNREFUSED/.test(e.message));
    await assert.rejects(measure({ url: `${server.url}/slow`, timeoutSeconds: 1 }), /request timed out after 1s/);
  });
});
