import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { it } from 'node:test';
import { FakeClock } from '../lib/clock.js';
import { runLifecycleHandler } from './lifecycle-handler.js';
import type { PodObject } from './object-types.js';
import { FakeRuntime } from './runtime/fake/fake-runtime.js';

const pod: PodObject = { metadata: { name: 'web', namespace: 'default', uid: 'u1' } };

it('exec: fails on a non-zero exit with upstream wording', async () => {
  const runtime = new FakeRuntime({ clock: new FakeClock(), hostIp: '127.0.0.1' });
  runtime.execSync = () => Promise.resolve({ exitCode: 2, stdout: 'out', stderr: 'err' });
  const target = { pod, container: { name: 'app' }, containerId: 'c1', hostIP: '127.0.0.1' };
  const failure = await runLifecycleHandler({ runtime, handler: { exec: { command: ['sh', '-c', 'exit 2'] } }, target, timeoutSeconds: 5 });
  assert.equal(failure, `Exec lifecycle hook ([sh -c exit 2]) for Container "app" in Pod "web_default(u1)" failed - error: command 'sh -c exit 2' exited with 2: err, message: "outerr"`);
  runtime.execSync = () => Promise.resolve({ exitCode: 0, stdout: '', stderr: '' });
  assert.equal(await runLifecycleHandler({ runtime, handler: { exec: { command: ['true'] } }, target, timeoutSeconds: 5 }), undefined);
});

it('httpGet: any response counts as done (as upstream); no response fails; sent as kube-lifecycle', async () => {
  const runtime = new FakeRuntime({ clock: new FakeClock(), hostIp: '127.0.0.1' });
  const agents: (string | undefined)[] = [];
  const server = http.createServer((req, res) => {
    agents.push(req.headers['user-agent']);
    res.statusCode = 500;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const target = { pod, container: { name: 'app' }, containerId: 'c1', hostIP: '127.0.0.1', podIP: '127.0.0.1' };
  try {
    assert.equal(await runLifecycleHandler({ runtime, handler: { httpGet: { port, path: '/hook' } }, target, timeoutSeconds: 5 }), undefined);
    assert.deepEqual(agents, ['kube-lifecycle/1.32'], 'hooks introduce themselves as upstream\'s do, not as a probe');
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  // Port 1: nothing listens there.
  const failure = await runLifecycleHandler({ runtime, handler: { httpGet: { port: 1, path: '/hook' } }, target, timeoutSeconds: 5 });
  assert.equal(failure, 'HTTP lifecycle hook (/hook) for Container "app" in Pod "web_default(u1)" failed - error: Get "http://127.0.0.1:1/hook": dial tcp 127.0.0.1:1: connect: connection refused');
});
