// openCriPortForward against a real private containerd (test/helpers/containerd-env.ts), through
// CriRuntime.portForward: containerd's streaming server over SPDY with portforward.k8s.io. Skips
// without containerd; under CI=true a missing containerd fails loudly.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { containerdSkipReason, startContainerdEnv, type ContainerdEnv } from '../../../../test/helpers/containerd-env.js';
import { systemClock } from '../../../lib/clock.js';
import { silentLogger } from '../../../lib/logger.js';
import { cgroupHierarchies } from './cgroup-parent.js';
import { CriRuntime } from './cri-runtime.js';

const skip = containerdSkipReason();

/** HTTP/1.0 GET over the forwarded connection; resolves with the body. */
async function get(stream: Duplex, path: string): Promise<Buffer> {
  stream.write(`GET ${path} HTTP/1.0\r\nHost: pod\r\n\r\n`);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const whole = Buffer.concat(chunks);
  const split = whole.indexOf('\r\n\r\n');
  assert.ok(split > 0, `no HTTP answer: ${whole.subarray(0, 200).toString()}`);
  assert.match(whole.subarray(0, split).toString(), /^HTTP\/1\.[01] 200/);
  return whole.subarray(split + 4);
}

describe('port-forward through containerd (CRI streaming, SPDY)', { skip, timeout: 300_000 }, () => {
  let env: ContainerdEnv;
  let rt: CriRuntime;
  let logDir: string;
  let sandboxId: string;
  let containerId: string;
  const cgroupRoot = `/k8ts-crpf-${randomBytes(3).toString('hex')}`;

  before(async () => {
    env = await startContainerdEnv();
    logDir = await mkdtemp(join(tmpdir(), 'k8ts-cri-pf-'));
    rt = new CriRuntime({ socket: env.socket, logger: silentLogger(), clock: systemClock, cgroupRoot, owner: 'pf-test' });
    await rt.pullImage(env.images.httpd);
    sandboxId = await rt.runPodSandbox({
      podUid: `pf-${randomBytes(3).toString('hex')}`, podName: 'pf', podNamespace: 'default', attempt: 0, hostname: 'pf',
      hostNetwork: false, portMappings: [], logDirectory: join(logDir, 'pod'), labels: {},
    });
    // Listens on the pod's loopback only: containerd connects to localhost inside the namespace.
    const script = 'dd if=/dev/urandom of=/www/big bs=1048576 count=10 2>/dev/null && exec httpd -f -p 127.0.0.1:8080 -h /www';
    containerId = await rt.createContainer(sandboxId, {
      name: 'web', image: env.images.httpd, command: ['busybox', 'sh', '-c', script], args: [], env: [], mounts: [],
      logPath: join(logDir, 'pod', 'web', '0.log'), attempt: 0, resources: {}, tty: false, stdin: false, labels: {},
    });
    await rt.startContainer(containerId);
  });

  after(async () => {
    // containerd is stopped even when a removal fails: a live child would keep this file's process up.
    try {
      for (const sandbox of (await rt?.listPodSandboxes()) ?? []) await rt.removePodSandbox(sandbox.id);
    } finally {
      await rt?.close();
      await env?.stop();
    }
    for (const hierarchy of await cgroupHierarchies()) await rmdir(join(hierarchy, cgroupRoot)).catch(() => undefined);
    if (logDir) await rm(logDir, { recursive: true, force: true });
    assert.deepEqual(await env.leftovers(), []);
  });

  it('forwards to a server on the pod loopback, 10 MiB intact', async () => {
    let index: Buffer | undefined;
    // The server starts after dd: retry until it answers.
    for (let attempt = 0; attempt < 100 && index === undefined; attempt++) {
      index = await get(await rt.portForward(sandboxId, 8080), '/index.html').catch(async () => {
        await new Promise((r) => setTimeout(r, 100));
        return undefined;
      });
    }
    assert.equal(index?.toString(), 'hello from k8ts httpd\n');
    const big = await get(await rt.portForward(sandboxId, 8080), '/big');
    const inPod = await rt.execSync(containerId, ['sha256sum', '/www/big'], 10);
    assert.equal(big.length, 10 * 1048576);
    assert.equal(createHash('sha256').update(big).digest('hex'), inPod.stdout.split(' ')[0]);
  });

  it('nothing listening: the connection fails with containerd\'s reason', async () => {
    const stream = await rt.portForward(sandboxId, 9);
    const failure = await new Promise<Error | undefined>((resolve) => {
      stream.on('error', resolve);
      stream.on('close', () => resolve(undefined));
      stream.resume();
    });
    assert.match(failure?.message ?? 'no error', /connection refused/);
  });
});
