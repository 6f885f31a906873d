import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { silentLogger } from '../../../lib/logger.js';
import { runRuntimeContract } from '../runtime.contract.js';
import { CniNetwork, DEFAULT_CNI_PATH } from './cni-network.js';
import type { PodNetwork } from './pod-network.js';
import { ProcessRuntime } from './process-runtime.js';
import { reservePodNetworkOctet } from '../../../../test/helpers/pod-network-octet.js';

runRuntimeContract('process (host network)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-process-rt-'));
  const stateDir = join(dir, 'state');
  const make = () => new ProcessRuntime({ stateDir, logger: silentLogger() });
  return {
    runtime: make(),
    reopen: () => Promise.resolve(make()),
    logDir: join(dir, 'logs'),
    executes: true,
    close: () => rm(dir, { recursive: true, force: true }),
  };
});

// Pod networking needs root and the CNI plugins. Under CI=true their absence is a failure (the CI
// image installs containernetworking-plugins), elsewhere the suite is skipped.
const root = process.getuid?.() === 0;
const haveCni = existsSync(join(DEFAULT_CNI_PATH, 'bridge'));
if (root && (haveCni || process.env['CI'] === 'true')) {
  runRuntimeContract('process (CNI pod network)', async () => {
    assert.ok(haveCni, `CNI plugins missing in ${DEFAULT_CNI_PATH}: apt-get install containernetworking-plugins`);
    const dir = await mkdtemp(join(tmpdir(), 'k8ts-process-cni-'));
    const stateDir = join(dir, 'state');
    const bridge = `k8tst${process.pid % 10000}`;
    const network = new CniNetwork({ stateDir, logger: silentLogger(), podCidr: '10.88.250.0/24', bridge });
    const make = () => new ProcessRuntime({ stateDir, logger: silentLogger(), network });
    return {
      runtime: make(),
      reopen: () => Promise.resolve(make()),
      logDir: join(dir, 'logs'),
      executes: true,
      close: async () => {
        // Nothing of ours may be left: no namespace, no bridge.
        const netns = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
        assert.ok(!netns.includes(`${bridge}-`), netns);
        assert.throws(() => execFileSync('ip', ['link', 'show', bridge], { stdio: 'ignore' }));
        await rm(dir, { recursive: true, force: true });
      },
    };
  });

  describe('process runtime with CNI', () => {
    it('gives each pod its own IP; two pods listen on the same port and answer from their IPs', async (t) => {
      const dir = await mkdtemp(join(tmpdir(), 'k8ts-process-cni2-'));
      const stateDir = join(dir, 'state');
      const network = new CniNetwork({ stateDir, logger: silentLogger(), podCidr: '10.88.251.0/24', bridge: `k8tsu${process.pid % 10000}` });
      const rt = new ProcessRuntime({ stateDir, logger: silentLogger(), network });
      t.after(async () => {
        for (const s of await rt.listPodSandboxes()) await rt.removePodSandbox(s.id);
        await rm(dir, { recursive: true, force: true });
      });
      const ips: string[] = [];
      for (const n of [1, 2]) {
        const logDirectory = join(dir, `pod${n}`);
        const sb = await rt.runPodSandbox({
          podUid: `u${n}`, podName: `p${n}`, podNamespace: 'default', attempt: 0, hostname: `p${n}`,
          hostNetwork: false, portMappings: [], logDirectory, labels: {},
        });
        const ip = (await rt.podSandboxStatus(sb)).ip ?? '';
        assert.match(ip, /^10\.88\.251\.\d+$/);
        ips.push(ip);
        const server = `require('http').createServer((q, s) => s.end('pod${n}')).listen(8080, () => console.log('up'))`;
        const id = await rt.createContainer(sb, {
          name: 'web', image: 'node', command: [process.execPath, '-e', server], args: [], env: [], mounts: [],
          logPath: join(logDirectory, 'web', '0.log'), attempt: 0, resources: {}, tty: false, stdin: false, labels: {},
        });
        await rt.startContainer(id);
      }
      assert.notEqual(ips[0], ips[1]);
      for (const [i, ip] of ips.entries()) {
        let body = '';
        for (let attempt = 0; attempt < 100 && body === ''; attempt++) {
          body = await fetch(`http://${ip}:8080/`).then((r) => r.text(), () => '');
          if (body === '') await new Promise((resolve) => setTimeout(resolve, 50));
        }
        assert.equal(body, `pod${i + 1}`);
      }
    });
  });
}

describe('process runtime close', () => {
  it('waits for a sandbox being set up, then lets the network remove its bridge before the helper goes', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'k8ts-process-close-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const calls: string[] = [];
    const network: PodNetwork = {
      // The agent stops in the middle of a setup, which then fails (its helper is going away).
      setUp: async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        calls.push('setUp failed');
        throw new Error('helper gone');
      },
      tearDown: () => Promise.resolve(),
      close: () => {
        calls.push('close');
        return Promise.resolve();
      },
      release: () => void calls.push('release'),
    };
    const rt = new ProcessRuntime({ stateDir: join(dir, 'state'), logger: silentLogger(), network });
    const starting = rt.runPodSandbox({
      podUid: 'u', podName: 'p', podNamespace: 'default', attempt: 0, hostname: 'p', hostNetwork: false, portMappings: [], logDirectory: join(dir, 'logs'), labels: {},
    });
    await rt.close();
    await assert.rejects(starting, /helper gone/);
    assert.deepEqual(calls, ['setUp failed', 'close', 'release']);
  });
});

describe('process runtime volumes', () => {
  // A host-network pod gets its mount namespace from `unshare`; a pod with a network namespace from
  // `ip netns exec` (command-line.ts): both must keep the mounts to the container.
  for (const hostNetwork of [true, false]) {
    const where = hostNetwork ? 'host network' : 'own network namespace';
    it(`as root, a volume appears at its container path for the container only, read-only (${where})`, async (t) => {
      if (!root || (!hostNetwork && !haveCni && process.env['CI'] !== 'true')) {
        t.skip('needs root (and the CNI plugins for a pod network)');
        return;
      }
      const dir = await mkdtemp(join(tmpdir(), 'k8ts-process-mounts-'));
      const network = hostNetwork ? undefined : new CniNetwork({
        stateDir: join(dir, 'state'), logger: silentLogger(), podCidr: `10.88.${await reservePodNetworkOctet()}.0/24`, bridge: `k8tsv${process.pid % 10000}`,
      });
      const rt = new ProcessRuntime({ stateDir: join(dir, 'state'), logger: silentLogger(), ...(network ? { network } : {}) });
      t.after(async () => {
        for (const s of await rt.listPodSandboxes()) await rt.removePodSandbox(s.id);
        await rm(dir, { recursive: true, force: true });
      });
      const volume = join(dir, 'volume');
      await mkdir(volume);
      await writeFile(join(volume, 'key'), 'value-from-volume');
      const containerPath = join(dir, 'etc', 'config');
      const logDirectory = join(dir, 'logs');
      const sb = await rt.runPodSandbox({
        podUid: 'u', podName: 'p', podNamespace: 'default', attempt: 0, hostname: 'p', hostNetwork, portMappings: [], logDirectory, labels: {},
      });
      const id = await rt.createContainer(sb, {
        name: 'reader', image: 'busybox', command: ['/bin/sh', '-c'], args: [`cat ${containerPath}/key; touch ${containerPath}/x 2>/dev/null || echo read-only; sleep 30`],
        env: [], mounts: [{ containerPath, hostPath: volume, readOnly: true }],
        logPath: join(logDirectory, 'reader', '0.log'), attempt: 0, resources: {}, tty: false, stdin: false, labels: {},
      });
      await rt.startContainer(id);
      const exec = await rt.execSync(id, ['cat', `${containerPath}/key`], 5);
      assert.equal(exec.stdout, 'value-from-volume');
      assert.deepEqual(await readdir(containerPath), [], 'the bind mount is invisible on the host');
      let log = '';
      for (let i = 0; i < 100 && !log.includes('read-only'); i++) {
        log = await readFile(join(logDirectory, 'reader', '0.log'), 'utf8').catch(() => '');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // No newline after the value: the shim joins it with the next write into one F line, as containerd does.
      assert.match(log, /stdout F value-from-volumeread-only\n/);
      assert.equal(existsSync(join(volume, 'x')), false);
    });
  }
});

describe('process runtime shim', () => {
  const sandbox = (dir: string) => ({
    podUid: 'u', podName: 'p', podNamespace: 'default', attempt: 0, hostname: 'p', hostNetwork: true, portMappings: [], logDirectory: join(dir, 'logs'), labels: {},
  });
  const container = (dir: string, name: string) => ({
    name, image: 'busybox', command: ['/bin/sh', '-c'], args: ['sleep 30'], env: [], mounts: [],
    logPath: join(dir, 'logs', name, '0.log'), attempt: 0, resources: {}, tty: false, stdin: false, labels: {},
  });
  const shimOf = async (stateDir: string, id: string): Promise<number> =>
    (JSON.parse(await readFile(join(stateDir, 'containers', id, 'started.json'), 'utf8')) as { shimPid: number }).shimPid;
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  it('a new runtime over the same state directory uses the shim still running there; a new one starts when it is gone', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'k8ts-process-shim-'));
    const stateDir = join(dir, 'state');
    const runtimes: ProcessRuntime[] = [];
    const open = () => {
      const rt = new ProcessRuntime({ stateDir, logger: silentLogger() });
      runtimes.push(rt);
      return rt;
    };
    t.after(async () => {
      const last = open();
      for (const s of await last.listPodSandboxes()) await last.removePodSandbox(s.id);
      for (const rt of runtimes) await rt.close();
      await rm(dir, { recursive: true, force: true, maxRetries: 5 });
    });
    const first = open();
    const sb = await first.runPodSandbox(sandbox(dir));
    const a = await first.createContainer(sb, container(dir, 'a'));
    await first.startContainer(a);
    await first.close();

    const second = open();
    const b = await second.createContainer(sb, container(dir, 'b'));
    await second.startContainer(b);
    const shim = await shimOf(stateDir, a);
    assert.equal(await shimOf(stateDir, b), shim, 'one shim for the state directory');

    // The shim killed: the containers' processes are orphans now, and the next start gets a new shim.
    process.kill(shim, 'SIGKILL');
    for (let i = 0; i < 500 && alive(shim); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    const c = await second.createContainer(sb, container(dir, 'c'));
    await second.startContainer(c);
    const replacement = await shimOf(stateDir, c);
    assert.notEqual(replacement, shim);
    assert.ok(alive(replacement));
    assert.equal((await second.containerStatus(a)).state, 'running', 'a container outlives its shim');
  });

  it('a shim of a removed state directory leaves the socket of the one that serves it now', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'k8ts-process-shim2-'));
    const stateDir = join(dir, 'state');
    const runtimes: ProcessRuntime[] = [];
    const open = () => {
      const rt = new ProcessRuntime({ stateDir, logger: silentLogger() });
      runtimes.push(rt);
      return rt;
    };
    const pids: number[] = [];
    const killGroup = (pid: number | undefined): void => {
      // Never 0: kill(-0) would be our own process group.
      if (pid === undefined || pid <= 0) return;
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Gone.
      }
    };
    t.after(async () => {
      killGroup(pids[0]); // the first container, whose records went with the removed directory
      const last = open();
      for (const s of await last.listPodSandboxes()) await last.removePodSandbox(s.id);
      for (const rt of runtimes) await rt.close();
      await rm(dir, { recursive: true, force: true, maxRetries: 5 });
    });
    const startOne = async (rt: ProcessRuntime): Promise<string> => {
      const sb = await rt.runPodSandbox(sandbox(dir));
      const id = await rt.createContainer(sb, container(dir, 'x'));
      await rt.startContainer(id);
      pids.push((JSON.parse(await readFile(join(stateDir, 'containers', id, 'started.json'), 'utf8')) as { pid: number }).pid);
      return id;
    };
    const old = open();
    await startOne(old);
    await old.close();
    const [first] = await readdir(join(stateDir, 'containers'));
    const oldShim = await shimOf(stateDir, first ?? '');
    // The directory removed under the running shim (its container still runs) and made again.
    await rm(stateDir, { recursive: true, force: true });
    const current = open();
    const id = await startOne(current);
    const shim = await shimOf(stateDir, id);
    assert.notEqual(shim, oldShim);
    // The old shim's last container ends: it exits, and must not take the new shim's socket along.
    killGroup(pids[0]);
    for (let i = 0; i < 500 && alive(oldShim); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(alive(oldShim), false, 'the old shim exited');
    const later = open();
    const sb = (await later.listPodSandboxes())[0]?.id ?? '';
    const next = await later.createContainer(sb, container(dir, 'y'));
    await later.startContainer(next);
    assert.equal(await shimOf(stateDir, next), shim, 'a later runtime still finds the current shim');
  });
});
