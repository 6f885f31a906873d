import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { it } from 'node:test';
import type { Container, Probe } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../../lib/clock.js';
import { runHttpProbe } from './http-probe.js';
import { PodProbes } from './pod-probes.js';
import type { ProbeRun } from './probe-target.js';
import { runTcpProbe } from './tcp-probe.js';

it('schedules probes by initialDelaySeconds and periodSeconds on the injected clock', async () => {
  const clock = new FakeClock();
  const runs: string[] = [];
  let answer: ProbeRun = { result: 'success', output: '' };
  const probes = new PodProbes({ clock, execute: (probe: Probe) => {
    runs.push(probe.exec?.command?.[0] ?? '');
    return Promise.resolve(answer);
  } });
  const container: Container = {
    name: 'app', readinessProbe: { exec: { command: ['ready'] }, initialDelaySeconds: 5, periodSeconds: 10, successThreshold: 2, failureThreshold: 1 },
  };
  const running = [{ container, id: 'c1', startedAt: clock.now() }];
  const target = { hostIP: '10.0.0.1' };
  await probes.runDue(running, target);
  assert.deepEqual(runs, [], 'initial delay');
  assert.equal(probes.nextDueAt(running), clock.now().getTime() + 5000);
  clock.advance(5000);
  await probes.runDue(running, target);
  assert.equal(probes.ready(container, 'c1'), false, 'successThreshold 2');
  clock.advance(9000);
  await probes.runDue(running, target);
  assert.equal(runs.length, 1, 'not yet due');
  clock.advance(1000);
  await probes.runDue(running, target);
  assert.equal(probes.ready(container, 'c1'), true);
  answer = { result: 'failure', output: 'down' };
  clock.advance(10_000);
  const round = await probes.runDue(running, target);
  assert.equal(probes.ready(container, 'c1'), false);
  assert.deepEqual(round.failures, [{ container: 'app', type: 'readiness', message: 'Readiness probe failed: down' }]);
  assert.deepEqual(round.kill, []);
  assert.equal(probes.ready(container, 'c2'), false, 'a new container instance starts not ready');
});

it('httpGet: 2xx/3xx pass, others fail with upstream wording; named ports and headers', async () => {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.url ?? ''} ${String(req.headers['x-probe'])} ${String(req.headers['user-agent'])}`);
    res.statusCode = req.url === '/bad' ? 500 : 200;
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    const container: Container = { name: 'app', ports: [{ name: 'http', containerPort: port }] };
    const target = { container, containerId: 'c', podIP: '127.0.0.1', hostIP: '127.0.0.1' };
    const ok = await runHttpProbe({ port: 'http', path: '/healthz', httpHeaders: [{ name: 'X-Probe', value: 'yes' }] }, target, 1);
    assert.deepEqual(ok, { result: 'success', output: '', statusCode: 200 });
    assert.deepEqual(seen, ['/healthz yes kube-probe/1.32']);
    const bad = await runHttpProbe({ port, path: '/bad' }, target, 1);
    assert.deepEqual(bad, { result: 'failure', output: 'HTTP probe failed with statuscode: 500', statusCode: 500 });
  } finally {
    server.close();
  }
});

it('tcpSocket: connects, or reports connection refused', async () => {
  const server = net.createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const target = { container: { name: 'app' }, containerId: 'c', podIP: '127.0.0.1', hostIP: '127.0.0.1' };
  assert.equal((await runTcpProbe({ port }, target, 1)).result, 'success');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const refused = await runTcpProbe({ port }, target, 1);
  assert.deepEqual(refused, { result: 'failure', output: `dial tcp 127.0.0.1:${port}: connect: connection refused` });
});
