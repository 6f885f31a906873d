// The containerd test harness itself (test/helpers/containerd-env.ts) and the image builder
// (scripts/images): images are reproducible and served by the private registry; a pod made with
// raw CRI calls gets an IP on the instance's own bridge, serves the httpd image there and on a
// hostPort, survives a containerd kill -9 + restart; leftovers() sees its sandbox, veth, nat rules
// and cgroup while it runs, and stop() leaves nothing behind.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CriClient, runDirectPod, type DirectPod } from '../../bench/lib/direct-cri-pods.js';
import { buildTestImages, HTTPD_INDEX, HTTPD_PORT } from '../../scripts/images/test-images.js';
import { containerdSkipReason, startContainerdEnv, type ContainerdEnv } from '../helpers/containerd-env.js';
import { freePort } from '../helpers/free-port.js';

const skip = containerdSkipReason();

async function get(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return { status: response.status, body: await response.text() };
}

describe('image builder', { skip }, () => {
  it('builds the same digests twice', async () => {
    const [a, b] = [await mkdtemp(join(tmpdir(), 'k8ts-img-a-')), await mkdtemp(join(tmpdir(), 'k8ts-img-b-'))];
    try {
      const first = await buildTestImages(a);
      const second = await buildTestImages(b);
      for (const name of ['httpd', 'shell', 'pause'] as const) {
        assert.equal(first[name].manifest.digest, second[name].manifest.digest, name);
      }
      assert.equal(first.httpd.layers[0]?.digest, first.shell.layers[0]?.digest, 'httpd and shell share their layer');
      assert.notEqual(first.httpd.config.digest, first.shell.config.digest);
    } finally {
      await rm(a, { recursive: true, force: true });
      await rm(b, { recursive: true, force: true });
    }
  });
});

describe('containerd env', { skip, timeout: 180_000 }, () => {
  let env: ContainerdEnv;
  let client: CriClient;
  let pod: DirectPod;
  let hostPort: number;

  before(async () => {
    env = await startContainerdEnv();
    client = new CriClient({ socket: env.socket });
  });
  after(async () => {
    client?.close();
    await env?.stop();
  });

  it('serves the test images from its registry', async () => {
    for (const ref of Object.values(env.images)) {
      const [, name, tag] = /^[^/]+\/(.+):([^:]+)$/.exec(ref) ?? [];
      const manifest = await fetch(`http://${env.registry}/v2/${name}/manifests/${tag}`, {
        headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
      });
      assert.equal(manifest.status, 200, ref);
    }
    assert.match(await env.pull(env.images.httpd), /^sha256:[0-9a-f]{64}$/);
  });

  it('runs a pod on its own bridge and subnet, reachable by pod IP and hostPort', async () => {
    hostPort = await freePort();
    pod = await runDirectPod(client, {
      name: 'web', image: env.images.httpd, logRoot: join(env.dir, 'pod-logs'), hostPort: { containerPort: HTTPD_PORT, hostPort },
    });
    const prefix = env.podCidr.split('.').slice(0, 3).join('.');
    assert.ok(pod.ip.startsWith(`${prefix}.`), `pod IP ${pod.ip} in ${env.podCidr}`);
    // httpd needs a moment after StartContainer to listen.
    let answer = { status: 0, body: '' };
    for (let i = 0; i < 100 && answer.status !== 200; i++) {
      answer = await get(`http://${pod.ip}:${HTTPD_PORT}/`).catch(() => answer);
      if (answer.status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.deepEqual(answer, { status: 200, body: HTTPD_INDEX });
    assert.equal((await get(`http://${pod.ip}:${HTTPD_PORT}/cgi-bin/hostname`)).body.trim(), 'web');
    assert.equal((await get(`http://127.0.0.1:${hostPort}/`)).body, HTTPD_INDEX);
  });

  it('leftovers() sees the running pod', async () => {
    const left = (await env.leftovers()).join('\n');
    assert.match(left, new RegExp(`sandbox ${pod.sandboxId}`));
    assert.match(left, new RegExp(`bridge ${env.bridge}`));
    assert.match(left, /veth/);
    assert.match(left, /iptables nat .*DNAT/);
    assert.match(left, /netns \/run\/netns\/cni-/);
    assert.match(left, new RegExp(`cgroup /sys/fs/cgroup/memory/k8ts-direct/pod${pod.uid}`));
  });

  it('survives containerd kill -9: the pod keeps serving and is still listed', async () => {
    const pidBefore = env.containerdPid();
    await env.restart();
    assert.notEqual(env.containerdPid(), pidBefore);
    assert.equal((await get(`http://${pod.ip}:${HTTPD_PORT}/`)).body, HTTPD_INDEX);
    const sandboxes = await client.listPodSandbox();
    assert.deepEqual(sandboxes.map((s) => [s.id, s.state]), [[pod.sandboxId, 'SANDBOX_READY']]);
  });

  it('stop() leaves nothing behind', async () => {
    await env.stop();
    assert.deepEqual(await env.leftovers(), []);
    await assert.rejects(get(`http://127.0.0.1:${hostPort}/`));
  });
});

describe('containerd env after a crash', { skip, timeout: 180_000 }, () => {
  it('stop() cleans up pods whose containerd died (shims, netns, nat rules, mounts, cgroups)', async () => {
    const env = await startContainerdEnv();
    const client = new CriClient({ socket: env.socket });
    try {
      await env.pull(env.images.httpd);
      const crashed = await runDirectPod(client, {
        name: 'orphan', image: env.images.httpd, logRoot: join(env.dir, 'pod-logs'), hostPort: { containerPort: HTTPD_PORT, hostPort: await freePort() },
      });
      const pid = env.containerdPid();
      assert.ok(pid !== undefined);
      process.kill(pid, 'SIGKILL');
      for (let i = 0; i < 100 && env.containerdPid() !== undefined; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      const before = (await env.leftovers()).join('\n');
      assert.match(before, /netns \/run\/netns\/cni-/);
      assert.match(before, /iptables nat .*DNAT/);
      assert.match(before, new RegExp(`cgroup .*pod${crashed.uid}`));
    } finally {
      client.close();
      await env.stop();
    }
    assert.deepEqual(await env.leftovers(), []);
  });
});
