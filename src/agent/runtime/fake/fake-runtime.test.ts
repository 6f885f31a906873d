import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../lib/clock.js';
import type { ContainerConfig, PodSandboxConfig } from '../runtime.js';
import { runRuntimeContract } from '../runtime.contract.js';
import { FakeRuntime } from './fake-runtime.js';

runRuntimeContract('fake', async () => {
  const logDir = await mkdtemp(join(tmpdir(), 'k8ts-fake-rt-'));
  const runtime = new FakeRuntime();
  return {
    runtime,
    reopen: () => Promise.resolve(runtime.reopen()),
    logDir,
    executes: false,
    script: {
      exit: (id, code) => runtime.exitContainer(id, code),
      setExecResult: (name, result) => runtime.setExecResult(name, result),
      failNextStart: (name, message) => runtime.failNextStart(name, message),
    },
    close: () => rm(logDir, { recursive: true, force: true }),
  };
}, { executesProcesses: false });

const sandbox = (n: number, hostNetwork = false): PodSandboxConfig => ({
  podUid: `u${n}`,
  podName: `p${n}`,
  podNamespace: 'default',
  attempt: 0,
  hostname: `p${n}`,
  hostNetwork,
  portMappings: [],
  logDirectory: '/nonexistent',
  labels: {},
});

const container = (name: string): ContainerConfig => ({
  name,
  image: 'img',
  command: ['x'],
  args: [],
  env: [],
  mounts: [],
  logPath: '/nonexistent/0.log',
  attempt: 0,
  resources: {},
  tty: false,
  stdin: false,
  labels: {},
});

describe('FakeRuntime scripting', () => {
  it('crashAfter exits the container with code 1 once the clock passed the delay', async () => {
    const clock = new FakeClock();
    const rt = new FakeRuntime({ clock });
    rt.crashAfter('web', 5000);
    const sb = await rt.runPodSandbox(sandbox(1));
    const id = await rt.createContainer(sb, container('web'));
    await rt.startContainer(id);
    clock.advance(4999);
    assert.equal((await rt.containerStatus(id)).state, 'running');
    clock.advance(1);
    const status = await rt.containerStatus(id);
    assert.equal(status.state, 'exited');
    assert.equal(status.exitCode, 1);
    assert.equal(status.reason, 'Error');
    assert.equal(status.finishedAt?.getTime(), (status.startedAt?.getTime() ?? 0) + 5000);
  });

  it('exitContainer takes an explicit reason', async () => {
    const rt = new FakeRuntime();
    const sb = await rt.runPodSandbox(sandbox(1));
    const id = await rt.createContainer(sb, container('web'));
    await rt.startContainer(id);
    rt.exitContainer(id, 137, 'OOMKilled');
    const status = await rt.containerStatus(id);
    assert.equal(status.exitCode, 137);
    assert.equal(status.reason, 'OOMKilled');
  });

  it('failNextStart fails only the next start', async () => {
    const rt = new FakeRuntime();
    const sb = await rt.runPodSandbox(sandbox(1));
    rt.failNextStart('web', 'boom');
    await assert.rejects(rt.startContainer(await rt.createContainer(sb, container('web'))), /boom/);
    const second = await rt.createContainer(sb, container('web'));
    await rt.startContainer(second);
    assert.equal((await rt.containerStatus(second)).state, 'running');
  });

  it('gives pods distinct 10.244.x.y addresses and host-network pods the host IP', async () => {
    const rt = new FakeRuntime({ hostIp: '192.0.2.7' });
    const ips = new Set<string>();
    for (let i = 0; i < 600; i++) ips.add((await rt.podSandboxStatus(await rt.runPodSandbox(sandbox(i)))).ip ?? '');
    assert.equal(ips.size, 600);
    for (const ip of ips) assert.match(ip, /^10\.244\.\d+\.([1-9]\d?|1\d\d|2[0-4]\d|25[0-4])$/);
    assert.equal((await rt.podSandboxStatus(await rt.runPodSandbox(sandbox(9, true)))).ip, '192.0.2.7');
  });

  it('a stateless instance starts empty; a reopened one shares the state', async () => {
    const rt = new FakeRuntime();
    await rt.runPodSandbox(sandbox(1));
    assert.equal((await rt.reopen().listPodSandboxes()).length, 1);
    assert.equal((await new FakeRuntime({ stateless: true, state: rt.state }).listPodSandboxes()).length, 0);
  });
});
