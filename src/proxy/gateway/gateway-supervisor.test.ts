import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { FakeClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import { freePort } from '../../../test/helpers/free-port.js';
import { AdminServer } from './admin-server.js';
import { GatewaySupervisor } from './gateway-supervisor.js';
import { backend, echoed, endpoint, rule, send, startUpstream, table, type Upstream } from './gateway-test-kit.fixture.js';

// The real thing: worker processes forked through node:cluster, sharing the listener port.
describe('GatewaySupervisor', () => {
  let supervisor: GatewaySupervisor;
  let upstream: Upstream;
  let port: number;

  before(async () => {
    upstream = await startUpstream('a');
    port = await freePort();
    supervisor = new GatewaySupervisor({ address: '127.0.0.1', logger: silentLogger(), workers: 2, workerLogLevel: 'silent', graceMs: 500 });
    await supervisor.start();
  });

  after(async () => {
    await supervisor.stop();
    await upstream.close();
  });

  it('forks the workers and sends them the route table', async () => {
    assert.equal(supervisor.workerPids.length, 2);
    supervisor.applyTable(table(1, port, [rule([backend('default/a', [endpoint(upstream.port)])])]));
    assert.equal(await supervisor.waitForVersion(1), true);
    const reply = await send(port, { path: '/hello' });
    assert.equal(reply.status, 200);
    assert.equal(echoed(reply).url, '/hello');
  });

  it('replaces a crashed worker, which gets the current table', async () => {
    const [victim] = supervisor.workerPids;
    assert.ok(victim);
    process.kill(victim, 'SIGKILL');
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (supervisor.workerPids.includes(victim) || supervisor.workerPids.length < 2)) await delay(50);
    assert.equal(supervisor.workerPids.length, 2);
    assert.ok(!supervisor.workerPids.includes(victim));
    assert.equal(await supervisor.waitForVersion(1), true);
    for (let i = 0; i < 20; i++) assert.equal((await send(port)).status, 200);
  });

  it('merges the workers metrics for the admin server', async () => {
    for (let i = 0; i < 10; i++) await send(port);
    const admin = new AdminServer({ address: '127.0.0.1', port: 0, clock: new FakeClock({ start: new Date() }), logger: silentLogger(), snapshot: () => supervisor.snapshot() });
    await admin.listen();
    try {
      const metrics = await send(admin.port, { path: '/metrics' });
      assert.equal(metrics.status, 200);
      const line = metrics.body.split('\n').find((l) => l.startsWith('k8ts_gateway_requests_total{') && l.includes('service="default/a"') && l.includes('code_class="2xx"'));
      assert.ok(line, metrics.body);
      assert.ok(Number(line.split(' ').pop()) >= 10);
      const stats = await send(admin.port, { path: '/stats?service=default/a&window=60s' });
      assert.equal(stats.status, 200);
      const body = JSON.parse(stats.body) as { requests: number; successRate: number };
      assert.ok(body.requests >= 10);
      assert.equal(body.successRate, 1);
      assert.equal((await send(admin.port, { path: '/stats' })).status, 400);
    } finally {
      await admin.close();
    }
  });
});

// A listener port another program holds: the failure is reported (bindFailures + onChange), the
// port is retried on the rebind interval, and the failure clears once the holder lets go.
describe('GatewaySupervisor bind failures', () => {
  let supervisor: GatewaySupervisor;
  let upstream: Upstream;
  let holder: Server;
  let port: number;

  before(async () => {
    upstream = await startUpstream('a');
    port = await freePort();
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    supervisor = new GatewaySupervisor({ address: '127.0.0.1', logger: silentLogger(), workers: 1, workerLogLevel: 'silent', graceMs: 500, rebindIntervalMs: 100 });
    await supervisor.start();
  });

  after(async () => {
    await supervisor.stop();
    await upstream.close();
    if (holder.listening) await new Promise((resolve) => holder.close(resolve));
  });

  it('reports a port that cannot be bound, retries it and reports it bound once free', async () => {
    let changes = 0;
    const stop = supervisor.onChange(() => changes++);
    supervisor.applyTable(table(1, port, [rule([backend('default/a', [endpoint(upstream.port)])])]));
    assert.equal(await supervisor.waitForVersion(1), true);
    assert.deepEqual([...supervisor.bindFailures()], [[port, 'EADDRINUSE']]);
    assert.equal(changes, 1);

    await new Promise((resolve) => holder.close(resolve));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && supervisor.bindFailures().size > 0) await delay(50);
    assert.deepEqual([...supervisor.bindFailures()], []);
    assert.equal(changes, 2);
    assert.equal((await send(port)).status, 200);
    stop();
  });
});
