// CriRuntime against a real private containerd (test/helpers/containerd-env.ts): the runtime
// contract suite, then what only a real container runtime does (cgroup limits, OOM kills, pod
// IPs, surviving a containerd restart). Without containerd here the tests skip; under CI=true a
// missing containerd fails loudly (containerdSkipReason throws).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { startContainerdEnv, containerdSkipReason, type ContainerdEnv } from '../../../../test/helpers/containerd-env.js';
import { freePort } from '../../../../test/helpers/free-port.js';
import { HTTPD_INDEX, HTTPD_PORT } from '../../../../scripts/images/test-images.js';
import { systemClock } from '../../../lib/clock.js';
import { NotFoundError, UnavailableError } from '../../../lib/errors.js';
import { silentLogger } from '../../../lib/logger.js';
import { runRuntimeContract } from '../runtime.contract.js';
import type { ContainerConfig, ContainerStatus, PodSandboxConfig } from '../runtime.js';
import { cgroupHierarchies } from './cgroup-parent.js';
import { CriRuntime } from './cri-runtime.js';

const skip = containerdSkipReason();

/** A cgroup root of our own per run ("k8ts" prefix: the env's leftover check looks there). */
function uniqueCgroupRoot(): string {
  return `/k8ts-crt-${randomBytes(3).toString('hex')}`;
}

/** After the env removed every sandbox: pod parents a failed test left behind, then the root. */
async function removeCgroupRoot(root: string): Promise<void> {
  for (const hierarchy of await cgroupHierarchies()) {
    const dir = join(hierarchy, root);
    const pods = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const pod of pods) if (pod.isDirectory()) await rmdir(join(dir, pod.name)).catch(() => undefined);
    await rmdir(dir).catch(() => undefined);
  }
}

if (skip === undefined) {
  runRuntimeContract('containerd (CRI)', async () => {
    const env = await startContainerdEnv();
    const logDir = await mkdtemp(join(tmpdir(), 'k8ts-cri-logs-'));
    const cgroupRoot = uniqueCgroupRoot();
    const make = () => new CriRuntime({ socket: env.socket, logger: silentLogger(), clock: systemClock, cgroupRoot, owner: 'contract' });
    const runtime = make();
    await runtime.pullImage(env.images.shell);
    return {
      runtime,
      reopen: () => Promise.resolve(make()),
      logDir,
      executes: true,
      image: env.images.shell,
      close: async () => {
        await env.stop();
        await removeCgroupRoot(cgroupRoot);
        await rm(logDir, { recursive: true, force: true });
        assert.deepEqual(await env.leftovers(), []);
      },
    };
  });
} else {
  describe('ContainerRuntime contract: containerd (CRI)', () => {
    it('needs a private containerd', { skip }, () => undefined);
  });
}

describe('CriRuntime on containerd', { skip }, () => {
  let env: ContainerdEnv;
  let rt: CriRuntime;
  let logDir: string;
  const cgroupRoot = uniqueCgroupRoot();
  let pods = 0;

  before(async () => {
    env = await startContainerdEnv();
    logDir = await mkdtemp(join(tmpdir(), 'k8ts-cri-logs-'));
    rt = new CriRuntime({ socket: env.socket, logger: silentLogger(), clock: systemClock, cgroupRoot, owner: 'extra' });
    await rt.pullImage(env.images.shell);
    await rt.pullImage(env.images.httpd);
  });

  after(async () => {
    // containerd is stopped even when a removal fails: a live child would keep this file's process up.
    try {
      for (const sandbox of await rt.listPodSandboxes()) await rt.removePodSandbox(sandbox.id);
    } finally {
      await rt.close();
      await env.stop();
    }
    await removeCgroupRoot(cgroupRoot);
    await rm(logDir, { recursive: true, force: true });
    assert.deepEqual(await env.leftovers(), []);
  });

  function sandboxConfig(extra: Partial<PodSandboxConfig> = {}): PodSandboxConfig {
    const n = ++pods;
    return {
      podUid: `cri-uid-${n}-${randomBytes(2).toString('hex')}`, podName: `p${n}`, podNamespace: 'default', attempt: 0, hostname: `p${n}`,
      hostNetwork: false, portMappings: [], logDirectory: join(logDir, `pod${n}`), labels: { 'io.kubernetes.pod.uid': `uid-${n}` },
      ...extra,
    };
  }

  function containerConfig(sandbox: PodSandboxConfig, name: string, extra: Partial<ContainerConfig> = {}): ContainerConfig {
    return {
      name, image: env.images.shell, command: [], args: [], env: [], mounts: [],
      logPath: join(sandbox.logDirectory, name, '0.log'), attempt: 0, resources: {}, tty: false, stdin: false,
      labels: { 'io.kubernetes.container.name': name }, ...extra,
    };
  }

  async function runPod(config: PodSandboxConfig, containers: ContainerConfig[]): Promise<{ sandboxId: string; ids: string[] }> {
    const sandboxId = await rt.runPodSandbox(config);
    const ids: string[] = [];
    for (const c of containers) {
      const id = await rt.createContainer(sandboxId, c);
      await rt.startContainer(id);
      ids.push(id);
    }
    return { sandboxId, ids };
  }

  async function waitExited(id: string): Promise<ContainerStatus> {
    for (let i = 0; i < 600; i++) {
      const status = await rt.containerStatus(id);
      if (status.state === 'exited') return status;
      await sleep(25);
    }
    throw new Error(`container ${id} did not exit`);
  }

  it('an OOM kill is reported as OOMKilled with exit code 137', async () => {
    const pod = sandboxConfig();
    // The allocation waits a second: on a cgroup v1 host containerd's shim starts watching the
    // container's OOM events only after the task started, so a process killed at once may exit with
    // no TaskOOM event at all (reason Error; seen in CI). That is containerd's window, not ours.
    const hog = containerConfig(pod, 'hog', {
      command: ['/bin/sh', '-c'], args: ['sleep 1; dd if=/dev/zero of=/dev/null bs=100M count=1'],
      resources: { memoryBytesLimit: 32 * 1024 * 1024 },
    });
    const { sandboxId, ids } = await runPod(pod, [hog]);
    const status = await waitExited(ids[0]!);
    assert.equal(status.exitCode, 137);
    assert.equal(status.reason, 'OOMKilled');
    await rt.removePodSandbox(sandboxId);
  });

  it('cpu requests and limits land in the container cgroup; the pod cgroup parent is removed with the sandbox', async () => {
    const pod = sandboxConfig();
    const busy = containerConfig(pod, 'busy', { resources: { cpuMillisRequest: 250, cpuMillisLimit: 200, memoryBytesLimit: 64 * 1024 * 1024 } });
    const { sandboxId, ids } = await runPod(pod, [busy]);
    const podCgroup = `${cgroupRoot}/pod${pod.podUid}`;
    const cpuDir = join('/sys/fs/cgroup/cpu', podCgroup, ids[0]!);
    const read = async (file: string) => (await readFile(join(cpuDir, file), 'utf8')).trim();
    assert.equal(await read('cpu.cfs_quota_us'), '20000');
    assert.equal(await read('cpu.cfs_period_us'), '100000');
    assert.equal(await read('cpu.shares'), '256');
    assert.equal((await readFile(join('/sys/fs/cgroup/memory', podCgroup, ids[0]!, 'memory.limit_in_bytes'), 'utf8')).trim(), String(64 * 1024 * 1024));
    const stats = (await rt.listContainerStats()).find((s) => s.containerId === ids[0]);
    assert.equal(stats?.sandboxId, sandboxId);
    assert.equal(stats.name, 'busy');
    assert.equal(typeof stats.cpuUsageCoreNanoSeconds, 'number');
    assert.ok((stats.memoryWorkingSetBytes ?? 0) > 0);
    assert.ok(existsSync(join('/sys/fs/cgroup/memory', podCgroup)));
    await rt.removePodSandbox(sandboxId);
    const left = [];
    for (const hierarchy of await cgroupHierarchies()) if (existsSync(join(hierarchy, podCgroup))) left.push(join(hierarchy, podCgroup));
    assert.deepEqual(left, []);
  });

  it('pods get their own IP, hostPorts map, and the httpd image serves', async () => {
    const hostPort = await freePort();
    const pod = sandboxConfig({ portMappings: [{ containerPort: HTTPD_PORT, hostPort, protocol: 'TCP' }, { containerPort: 9, protocol: 'TCP' }] });
    const { sandboxId } = await runPod(pod, [containerConfig(pod, 'web', { image: env.images.httpd })]);
    const ip = (await rt.podSandboxStatus(sandboxId)).ip ?? '';
    assert.ok(ip.startsWith(env.podCidr.split('.').slice(0, 3).join('.') + '.'), `${ip} in ${env.podCidr}`);
    const get = async (url: string) => {
      for (let i = 0; ; i++) {
        try {
          return await (await fetch(url)).text();
        } catch (error) {
          if (i > 100) throw error;
          await sleep(50);
        }
      }
    };
    assert.equal(await get(`http://${ip}:${HTTPD_PORT}/`), HTTPD_INDEX);
    assert.equal(await get(`http://127.0.0.1:${hostPort}/`), HTTPD_INDEX);
    await rt.removePodSandbox(sandboxId);
  });

  it('a host-network pod runs (no hostname is sent) and reports the configured host IP', async () => {
    const hostRt = new CriRuntime({ socket: env.socket, logger: silentLogger(), clock: systemClock, cgroupRoot, owner: 'extra', hostIp: '192.0.2.77' });
    const pod = sandboxConfig({ hostNetwork: true });
    const sandboxId = await hostRt.runPodSandbox(pod);
    assert.equal((await hostRt.podSandboxStatus(sandboxId)).ip, '192.0.2.77');
    const id = await hostRt.createContainer(sandboxId, containerConfig(pod, 'host'));
    await hostRt.startContainer(id);
    const result = await hostRt.execSync(id, ['/bin/sh', '-c', 'cat /proc/net/dev | grep -c lo:'], 5);
    assert.equal(result.exitCode, 0);
    await hostRt.removePodSandbox(sandboxId);
    await hostRt.close();
  });

  it('a new instance puts containers into a sandbox the old one created, and other owners see nothing', async () => {
    const pod = sandboxConfig();
    const sandboxId = await rt.runPodSandbox(pod);
    const second = new CriRuntime({ socket: env.socket, logger: silentLogger(), clock: systemClock, cgroupRoot, owner: 'extra' });
    const stranger = new CriRuntime({ socket: env.socket, logger: silentLogger(), clock: systemClock, cgroupRoot, owner: 'someone-else' });
    try {
      const config = containerConfig(pod, 'late', { command: ['/bin/sh', '-c'], args: ['echo late-log; exit 2'] });
      const id = await second.createContainer(sandboxId, config);
      await second.startContainer(id);
      const status = await waitExited(id);
      assert.equal(status.exitCode, 2);
      assert.equal(status.logPath, config.logPath);
      assert.match(await readFile(config.logPath, 'utf8'), / stdout F late-log\n/);
      assert.ok(!(await stranger.listPodSandboxes()).some((s) => s.id === sandboxId));
      assert.deepEqual(await stranger.listContainers({ sandboxId }), []);
      await second.removePodSandbox(sandboxId);
    } finally {
      await second.close();
      await stranger.close();
    }
  });

  it('start slots go by pod: a new sandbox keeps its slot for its first container, an older pod goes before a newer one', async () => {
    // One slot, held for as long as the test could take: the order below is the limiter's, not timing.
    const serial = new CriRuntime({
      socket: env.socket, logger: silentLogger(), clock: systemClock, cgroupRoot, owner: 'extra', startConcurrency: 1, sandboxSlotHoldMs: 120_000,
    });
    const done: string[] = [];
    try {
      const older = sandboxConfig();
      const newer = sandboxConfig();
      const olderSandbox = await serial.runPodSandbox(older);
      // The newer pod's sandbox waits: the older pod still holds the one slot for its container.
      const newerSandbox = serial.runPodSandbox(newer).then((id) => {
        done.push('newer sandbox');
        return id;
      });
      const first = await serial.createContainer(olderSandbox, containerConfig(older, 'first'));
      await serial.startContainer(first);
      done.push('older first container');
      const newerId = await newerSandbox;
      // Now the newer pod holds the slot (for its own first container). A third pod's sandbox and
      // then the older pod's second container wait for it: the older pod goes first.
      const second = await serial.createContainer(olderSandbox, containerConfig(older, 'second'));
      const newest = sandboxConfig();
      const newestSandbox = serial.runPodSandbox(newest).then((id) => {
        done.push('newest sandbox');
        return id;
      });
      const secondStarted = serial.startContainer(second).then(() => done.push('older second container'));
      const newerContainer = await serial.createContainer(newerId, containerConfig(newer, 'only'));
      await serial.startContainer(newerContainer);
      done.push('newer container');
      await secondStarted;
      const newestId = await newestSandbox;
      assert.deepEqual(done, ['older first container', 'newer sandbox', 'newer container', 'older second container', 'newest sandbox']);
      for (const id of [olderSandbox, newerId, newestId]) await serial.removePodSandbox(id);
    } finally {
      await serial.close();
    }
  });

  it('images: pull reports a digest and size, an absent image is undefined, a bad one keeps the registry error', async () => {
    const info = await rt.imageStatus(env.images.shell);
    assert.match(info?.imageRef ?? '', /@sha256:[0-9a-f]{64}$/);
    assert.ok((info?.sizeBytes ?? 0) > 0);
    assert.equal(await rt.imageStatus(`${env.registry}/k8ts/absent:v1`), undefined);
    await assert.rejects(rt.pullImage(`${env.registry}/k8ts/absent:v1`), (error: unknown) => {
      assert.ok(error instanceof NotFoundError, String(error));
      assert.match(error.message, /absent/);
      assert.doesNotMatch(error.message, /^5 NOT_FOUND/);
      return true;
    });
  });

  it('each container has its own PID namespace (not pause as PID 1); execSync past its timeout is an ExecTimeout', async () => {
    const pod = sandboxConfig();
    const { sandboxId, ids } = await runPod(pod, [containerConfig(pod, 'slow')]);
    // The shell image's command is `/bin/sh -c 'trap ...; sleep ... & wait'`.
    assert.match((await rt.execSync(ids[0]!, ['/bin/cat', '/proc/1/cmdline'], 5)).stdout, /^\/bin\/sh\0-c\0trap/);
    await assert.rejects(rt.execSync(ids[0]!, ['/bin/sleep', '10'], 1), (error: unknown) => (error as { code?: string }).code === 'ExecTimeout');
    await rt.removePodSandbox(sandboxId);
  });

  it('survives containerd being killed (-9) and restarted: pods keep running, the same client reconnects', async () => {
    const pod = sandboxConfig();
    const { sandboxId, ids } = await runPod(pod, [containerConfig(pod, 'steady')]);
    await env.restart();
    // grpc-js may still report the old connection as broken once; it reconnects by itself.
    let sandboxes;
    for (let i = 0; ; i++) {
      try {
        sandboxes = await rt.listPodSandboxes();
        break;
      } catch (error) {
        if (!(error instanceof UnavailableError) || i > 100) throw error;
        await sleep(50);
      }
    }
    assert.equal(sandboxes.find((s) => s.id === sandboxId)?.state, 'ready');
    assert.equal((await rt.containerStatus(ids[0]!)).state, 'running');
    assert.equal((await rt.execSync(ids[0]!, ['/bin/echo', 'still-here'], 5)).stdout, 'still-here\n');
    await rt.removePodSandbox(sandboxId);
  });
});
