import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../lib/clock.js';
import { ProxyHealth, TO_BE_DELETED_TAINT } from './proxy-health.js';
import { goTimeString, proxyHealthAnswer, ProxyHealthServer } from './proxy-health-server.js';

describe('proxy healthz answers', () => {
  it('prints times as Go prints a UTC time.Time', () => {
    assert.equal(goTimeString(new Date('2026-01-02T03:04:05.670Z')), '2026-01-02 03:04:05.67 +0000 UTC');
    assert.equal(goTimeString(new Date('2026-01-02T03:04:05.000Z')), '2026-01-02 03:04:05 +0000 UTC');
    assert.equal(goTimeString(undefined), '0001-01-01 00:00:00 +0000 UTC');
  });

  it('healthy: 200, lastUpdated is now; a late change: 503 with the last sync time; /livez ignores the Node', () => {
    const clock = new FakeClock({ start: new Date('2026-01-02T03:04:05Z') });
    const health = new ProxyHealth({ clock, healthTimeoutMs: 1_000 });
    health.started();
    clock.advance(500);
    const ok = proxyHealthAnswer(health, true);
    assert.equal(ok.status, 200);
    assert.equal(ok.body, '{"lastUpdated": "2026-01-02 03:04:05.5 +0000 UTC","currentTime": "2026-01-02 03:04:05.5 +0000 UTC", "nodeEligible": true}');
    health.queued();
    clock.advance(1_000);
    const late = proxyHealthAnswer(health, true);
    assert.equal(late.status, 503);
    assert.deepEqual(JSON.parse(late.body), { lastUpdated: '2026-01-02 03:04:05 +0000 UTC', currentTime: '2026-01-02 03:04:06.5 +0000 UTC', nodeEligible: true });
    assert.equal(proxyHealthAnswer(health, false).status, 503);
    health.syncStarted();
    health.synced();
    health.syncNode({ metadata: { name: 'n1' }, spec: { taints: [{ key: TO_BE_DELETED_TAINT, effect: 'NoSchedule' }] } });
    const leaving = proxyHealthAnswer(health, true);
    assert.equal(leaving.status, 503);
    assert.equal((JSON.parse(leaving.body) as { nodeEligible: boolean }).nodeEligible, false);
    const live = proxyHealthAnswer(health, false);
    assert.equal(live.status, 200);
    assert.deepEqual(Object.keys(JSON.parse(live.body) as object), ['lastUpdated', 'currentTime']);
  });
});

describe('ProxyHealthServer', () => {
  const clock = new FakeClock();
  const health = new ProxyHealth({ clock, healthTimeoutMs: 1_000 });
  const server = new ProxyHealthServer({ health });
  let base = '';
  before(async () => {
    const bound = await server.listen('127.0.0.1', 0);
    base = `http://127.0.0.1:${bound.port}`;
  });
  after(() => server.close());

  it('serves /healthz and /livez as JSON, 404 elsewhere', async () => {
    const healthz = await fetch(`${base}/healthz`);
    assert.equal(healthz.status, 200);
    assert.equal(healthz.headers.get('content-type'), 'application/json');
    assert.equal(healthz.headers.get('x-content-type-options'), 'nosniff');
    assert.deepEqual(Object.keys(await healthz.json() as object), ['lastUpdated', 'currentTime', 'nodeEligible']);
    assert.equal((await fetch(`${base}/livez`)).status, 200);
    health.queued();
    clock.advance(1_000);
    assert.equal((await fetch(`${base}/healthz`)).status, 503);
    assert.equal((await fetch(`${base}/livez?verbose`)).status, 503);
    assert.equal((await fetch(`${base}/metrics`)).status, 404);
  });

  it('an address in use rejects with EADDRINUSE (the caller logs it and goes on)', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const address = taken.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const other = new ProxyHealthServer({ health });
    await assert.rejects(other.listen('127.0.0.1', port), { code: 'EADDRINUSE' });
    await other.close();
    await new Promise<void>((resolve) => taken.close(() => resolve()));
  });
});
