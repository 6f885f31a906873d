// Real containers end to end (issue 4 item 11): `k8ts server --runtime containerd` against a private
// containerd (test/helpers/containerd-env.ts) with the busybox test images from its loopback
// registry, driven by the real kubectl. One server and one containerd for the whole suite; the
// cases run in order (the agent-restart case re-adopts what the earlier ones started).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { HTTPD_INDEX, HTTPD_PORT } from '../../scripts/images/test-images.js';
import { containerdSkipReason, startContainerdEnv, type ContainerdEnv } from '../helpers/containerd-env.js';
import { CriMiniClient } from '../helpers/cri-mini-client.js';
import { freePort } from '../helpers/free-port.js';
import { startServer, type RunningServer } from '../helpers/k8ts-server.js';
import { KUBECTL, kubectlFor, type Kubectl } from '../helpers/kubectl.js';

const skip = containerdSkipReason();

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await delay(250);
  }
}

function podManifest(name: string, image: string, container: Record<string, unknown>): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { suite: 'containerd' } },
    spec: { terminationGracePeriodSeconds: 2, containers: [{ name: 'main', image, ...container }] },
  });
}

/** A container's cgroup dir in one v1 hierarchy (e.g. cpu): <hierarchy>/k8ts*\/pod<uid>/<container id>. */
async function containerCgroup(hierarchy: string, podUid: string, containerId: string): Promise<string | undefined> {
  const root = join('/sys/fs/cgroup', hierarchy);
  for (const top of await readdir(root).catch(() => [])) {
    if (!top.startsWith('k8ts')) continue;
    const dir = join(root, top, `pod${podUid}`, containerId);
    if ((await readdir(dir).catch(() => undefined)) !== undefined) return dir;
  }
  return undefined;
}

describe('containerd runtime end to end', { skip, timeout: 900_000 }, () => {
  let env: ContainerdEnv;
  let server: RunningServer;
  // The first server owns the data dir (the restarted one reuses it): its cleanup() removes it.
  let first: RunningServer | undefined;
  let kubectl: Kubectl;
  // The service proxy is on (the only suite besides service-proxy.test.ts that programs iptables;
  // its chains are tagged by this node's name, which no other proxied suite uses). The name is set:
  // the default, the host name, is also what a default `k8ts server` (server-smoke.test.ts, as
  // root: iptables proxy) uses, and two proxies of one name rewrite and remove each other's chains.
  const serverArgs = (): string[] => [
    '--node-name', 'cd-e2e-node', '--runtime', 'containerd', '--cri-socket', env.socket, '--pod-cidr', env.podCidr, '--proxy-mode', 'iptables',
    // Not kube-proxy's 0.0.0.0:10256: suites run in parallel (0: any free port).
    '--proxy-healthz-address', '127.0.0.1:0',
  ];

  const getPod = async (name: string): Promise<Pod> => JSON.parse(await kubectl.ok(['get', 'pod', name, '-o', 'json'])) as Pod;
  // Not yet: thrown, so that a timeout names the state last seen (until() reports the last error).
  const notYet = (pods: Pod[]): Error =>
    new Error(`pods: ${JSON.stringify(pods.map((p) => [p.metadata?.name, p.status?.phase, p.status?.conditions?.map((c) => `${c.type}=${c.status}`), p.status?.containerStatuses?.[0]?.state]))}`);
  const runningPod = (name: string) =>
    until(`pod ${name} Running`, async () => {
      const pod = await getPod(name);
      if (pod.status?.phase === 'Running' && pod.status.containerStatuses?.[0]?.state?.running !== undefined) return pod;
      throw notYet([pod]);
    });
  const webPod = async (): Promise<Pod> =>
    until('one Ready web pod', async () => {
      const pods = (JSON.parse(await kubectl.ok(['get', 'pods', '-l', 'app=web', '-o', 'json'])) as { items: Pod[] }).items;
      const ready = pods.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      if (pods.length === 1 && ready.length === 1) return ready[0];
      throw notYet(pods);
    });

  before(async () => {
    env = await startContainerdEnv();
    server = await startServer({ workloads: true, keepPodsOnExit: true, extraArgs: serverArgs() });
    first = server;
    kubectl = kubectlFor(server.kubeconfig);
  });

  after(async () => {
    await server?.stop();
    await env?.stop();
    await first?.cleanup();
  });

  it('runs a Deployment of the httpd image; its pod IP answers HTTP from the host', async () => {
    await kubectl.ok(['create', 'deployment', 'web', `--image=${env.images.httpd}`, `--port=${HTTPD_PORT}`]);
    const pod = await webPod();
    const ip = pod.status?.podIP ?? '';
    const prefix = env.podCidr.split('.').slice(0, 3).join('.');
    assert.ok(ip.startsWith(`${prefix}.`), `pod IP ${ip} is in ${env.podCidr}`);
    assert.match(pod.status?.containerStatuses?.[0]?.containerID ?? '', /^containerd:\/\/[0-9a-f]{64}$/);
    const body = await until('HTTP from the pod', async () => (await fetch(`http://${ip}:${HTTPD_PORT}/`, { signal: AbortSignal.timeout(3000) })).text());
    assert.equal(body, HTTPD_INDEX);
    const hostname = await (await fetch(`http://${ip}:${HTTPD_PORT}/cgi-bin/hostname`)).text();
    assert.equal(hostname.trim(), pod.metadata?.name, 'the pod has its own UTS namespace');
  });

  it('mounts configMap and secret volumes, sets env from both, and reaches another pod by IP, by ClusterIP and by DNS name', async () => {
    await kubectl.ok(['create', 'configmap', 'settings', '--from-literal=mode=blue']);
    await kubectl.ok(['create', 'secret', 'generic', 'creds', '--from-literal=password=s3cret']);
    await kubectl.ok(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'configured', labels: { suite: 'containerd' } },
        spec: {
          terminationGracePeriodSeconds: 2,
          volumes: [
            { name: 'cfg', configMap: { name: 'settings' } },
            { name: 'sec', secret: { secretName: 'creds', defaultMode: 0o400 } },
          ],
          containers: [{
            name: 'main',
            image: env.images.shell,
            envFrom: [{ configMapRef: { name: 'settings' } }],
            env: [{ name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } }],
            volumeMounts: [{ name: 'cfg', mountPath: '/etc/cfg' }, { name: 'sec', mountPath: '/etc/sec', readOnly: true }],
          }],
        },
      }),
    });
    await runningPod('configured');
    const read = await kubectl.ok(['exec', 'configured', '--', 'sh', '-c', 'cat /etc/cfg/mode; echo; cat /etc/sec/password; echo; echo "$mode $PASSWORD"']);
    assert.equal(read, 'blue\ns3cret\nblue s3cret\n');
    // The secret volume is read-only in the container.
    const write = await kubectl(['exec', 'configured', '--', 'sh', '-c', 'echo x > /etc/sec/other']);
    assert.notEqual(write.code, 0, 'writing into a readOnly mount fails');
    // Pod to pod over the bridge, by IP.
    const web = await webPod();
    const body = await kubectl.ok(['exec', 'configured', '--', 'wget', '-qO-', `http://${web.status?.podIP ?? ''}:${HTTPD_PORT}/`]);
    assert.equal(body, HTTPD_INDEX);
    // And through a Service's cluster IP, which the service proxy balances over the endpoints.
    await kubectl.ok(['expose', 'deployment', 'web', '--port=80', `--target-port=${HTTPD_PORT}`]);
    const clusterIP = (await kubectl.ok(['get', 'service', 'web', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
    const viaService = await until('the Service from inside a container', async () => {
      const result = await kubectl(['exec', 'configured', '--', 'timeout', '5', 'wget', '-qO-', `http://${clusterIP}/`]);
      return result.code === 0 ? result.stdout : undefined;
    });
    assert.equal(viaService, HTTPD_INDEX);
    // And by name: containerd wrote the pod's resolv.conf from the sandbox's DNS config, which
    // names the node's cluster DNS.
    const resolvConf = await kubectl.ok(['exec', 'configured', '--', 'cat', '/etc/resolv.conf']);
    assert.match(resolvConf, /^nameserver 169\.254\.53\.\d+$/m);
    assert.match(resolvConf, /^search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local\b/m);
    const lookup = await until('the Service name from inside a container', async () => {
      const result = await kubectl(['exec', 'configured', '--', 'nslookup', 'web.default.svc.cluster.local']);
      if (result.stdout.includes(`Address: ${clusterIP}`)) return result.stdout;
      throw new Error(`nslookup: ${result.stdout}${result.stderr}`);
    });
    assert.match(lookup, /Name:\s+web\.default\.svc\.cluster\.local/);
    // kubelet's managed /etc/hosts is mounted in the container: the pod's own IP and name.
    const podIP = (await kubectl.ok(['get', 'pod', 'configured', '-o', 'jsonpath={.status.podIP}'])).trim();
    const hosts = await kubectl.ok(['exec', 'configured', '--', 'cat', '/etc/hosts']);
    assert.ok(hosts.startsWith('# Kubernetes-managed hosts file.\n') && hosts.includes(`\n${podIP}\tconfigured\n`), hosts);
    await kubectl.ok(['delete', 'service', 'web']);
    await kubectl.ok(['delete', 'pod', 'configured', '--wait=false']);
  });

  it('OOM-kills a memory hog (OOMKilled, exit 137) and restarts it', async () => {
    await kubectl.ok(['apply', '-f', '-'], {
      input: podManifest('hog', env.images.shell, {
        // The allocation waits a second: on a cgroup v1 host containerd's shim watches for OOM
        // events only once the task started, so a process killed at once may get no OOM event.
        command: ['sh', '-c', 'sleep 1; dd if=/dev/zero of=/dev/null bs=100M count=1'],
        resources: { limits: { memory: '32Mi' } },
      }),
    });
    // containerd learns of the OOM kill from a cgroup event that can arrive just after the exit:
    // the reason may read Error for a moment before it reads OOMKilled (as with the kubelet).
    const pod = await until('an OOMKilled restart', async () => {
      const p = await getPod('hog');
      const status = p.status?.containerStatuses?.[0];
      return (status?.restartCount ?? 0) >= 1 && status?.lastState?.terminated?.reason === 'OOMKilled' ? p : undefined;
    });
    const terminated = pod.status?.containerStatuses?.[0]?.lastState?.terminated;
    assert.equal(terminated?.reason, 'OOMKilled');
    assert.equal(terminated?.exitCode, 137);
    await kubectl.ok(['delete', 'pod', 'hog', '--wait=false']);
  });

  it('enforces a CPU limit: the cgroup quota is set and the busy loop is throttled', async () => {
    await kubectl.ok(['apply', '-f', '-'], {
      input: podManifest('spin', env.images.shell, { command: ['sh', '-c', 'while :; do :; done'], resources: { limits: { cpu: '200m' } } }),
    });
    const pod = await runningPod('spin');
    const containerId = (pod.status?.containerStatuses?.[0]?.containerID ?? '').replace('containerd://', '');
    const cpu = await until('the container cpu cgroup', () => containerCgroup('cpu', pod.metadata?.uid ?? '', containerId));
    assert.equal((await readFile(join(cpu, 'cpu.cfs_quota_us'), 'utf8')).trim(), '20000');
    assert.equal((await readFile(join(cpu, 'cpu.cfs_period_us'), 'utf8')).trim(), '100000');
    const throttled = async () => Number(/nr_throttled (\d+)/.exec(await readFile(join(cpu, 'cpu.stat'), 'utf8'))?.[1]);
    const usage = async () => {
      const acct = await containerCgroup('cpuacct', pod.metadata?.uid ?? '', containerId);
      return Number(await readFile(join(acct ?? '', 'cpuacct.usage'), 'utf8'));
    };
    const [t0, u0, w0] = [await throttled(), await usage(), process.hrtime.bigint()];
    await delay(2000);
    const [t1, u1, w1] = [await throttled(), await usage(), process.hrtime.bigint()];
    assert.ok(t1 > t0, `throttled periods grow (${t0} -> ${t1})`);
    const cores = (u1 - u0) / Number(w1 - w0);
    // 0.2 cores allowed; a generous band since the machine may be busy (less is fine, more is not).
    assert.ok(cores < 0.3, `used ${cores.toFixed(3)} cores with a 200m limit`);
    await kubectl.ok(['delete', 'pod', 'spin', '--wait=false']);
  });

  it('exec returns output and exit codes', async () => {
    const pod = await webPod();
    const name = pod.metadata?.name ?? '';
    assert.equal((await kubectl.ok(['exec', name, '--', 'cat', '/www/index.html'])), HTTPD_INDEX);
    const failed = await kubectl(['exec', name, '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    assert.equal(failed.code, 3);
    assert.equal(failed.stdout, 'out\n');
    assert.match(failed.stderr, /err/);
    const stdin = await kubectl(['exec', '-i', name, '--', 'sh', '-c', 'tr a-z A-Z'], { input: 'piped\n' });
    assert.equal(stdin.stdout, 'PIPED\n');
  });

  it('port-forward serves the pod port on localhost', async () => {
    const pod = await webPod();
    const local = await freePort();
    const child = spawn(
      KUBECTL,
      ['--kubeconfig', server.kubeconfig, '--cache-dir', kubectl.cacheDir, 'port-forward', `pod/${pod.metadata?.name}`, `${local}:${HTTPD_PORT}`],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await until('port-forward to listen', async () => (output.includes('Forwarding from') ? true : undefined), 30_000);
      for (let i = 0; i < 3; i++) {
        const body = await fetch(`http://127.0.0.1:${local}/`, { signal: AbortSignal.timeout(10_000) }).then(
          (response) => response.text(),
          (error: unknown) => {
            throw new Error(`request ${i} through port-forward failed; kubectl said: ${output}`, { cause: error });
          },
        );
        assert.equal(body, HTTPD_INDEX, `request ${i} (kubectl said: ${output})`);
      }
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('logs, and --previous after a restart', async () => {
    await kubectl.ok(['apply', '-f', '-'], {
      input: podManifest('talker', env.images.shell, { command: ['sh', '-c', 'echo "attempt $(cat /proc/sys/kernel/random/uuid)"; echo to-stderr >&2; sleep 2; exit 1'] }),
    });
    await until('a restart', async () => ((await getPod('talker')).status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 ? true : undefined);
    const previous = await kubectl.ok(['logs', 'talker', '--previous']);
    // stdout and stderr reach the CRI log through separate pipes, so their relative order is not fixed.
    const lines = previous.split('\n').filter((line) => line !== '').sort();
    assert.equal(lines.length, 2, previous);
    assert.match(lines[0] ?? '', /^attempt [0-9a-f-]{36}$/);
    assert.equal(lines[1], 'to-stderr');
    const current = await until('current logs', async () => {
      const text = await kubectl.ok(['logs', 'talker']);
      return text.includes('attempt ') ? text : undefined;
    });
    assert.notEqual(current, previous, 'a different attempt');
    await kubectl.ok(['delete', 'pod', 'talker', '--wait=false']);
  });

  it('kubectl top pod shows CPU and memory', async () => {
    const pod = await webPod();
    const line = await until('metrics', async () => {
      const result = await kubectl(['top', 'pod', pod.metadata?.name ?? '', '--no-headers']);
      return result.code === 0 && result.stdout.trim() !== '' ? result.stdout.trim() : undefined;
    }, 120_000);
    assert.match(line, new RegExp(`^${pod.metadata?.name}\\s+\\d+m\\s+\\d+Mi$`));
  });

  it('re-adopts running containers after an agent restart: same container IDs, no restarts, no duplicates', async () => {
    const before = await webPod();
    const cri = new CriMiniClient(env.socket);
    try {
      const sandboxesBefore = (await cri.listPodSandboxes()).filter((s) => s.state === 0 && s.uid === before.metadata?.uid);
      assert.equal(sandboxesBefore.length, 1);
      assert.equal(await server.stop(), 0);
      server = await startServer({ workloads: true, keepPodsOnExit: true, dataDir: server.dataDir, port: server.port, extraArgs: serverArgs() });
      kubectl = kubectlFor(server.kubeconfig);
      // Let the new agent sync (a failure to adopt would show as a new sandbox or a restart).
      await delay(5000);
      const after = await webPod();
      assert.equal(after.metadata?.uid, before.metadata?.uid);
      assert.equal(after.status?.containerStatuses?.[0]?.containerID, before.status?.containerStatuses?.[0]?.containerID);
      assert.equal(after.status?.containerStatuses?.[0]?.restartCount, before.status?.containerStatuses?.[0]?.restartCount);
      const sandboxesAfter = (await cri.listPodSandboxes()).filter((s) => s.uid === before.metadata?.uid);
      assert.deepEqual(sandboxesAfter.map((s) => s.id), sandboxesBefore.map((s) => s.id), 'the same sandbox, none added');
      assert.equal(await (await fetch(`http://${after.status?.podIP}:${HTTPD_PORT}/`)).text(), HTTPD_INDEX);
    } finally {
      cri.close();
    }
  });

  it('leaves nothing behind: pods deleted through k8ts, then the containerd env stopped', async () => {
    await kubectl.ok(['delete', 'deployment', 'web']);
    await kubectl.ok(['delete', 'pods', '--all', '--grace-period=1']);
    const cri = new CriMiniClient(env.socket);
    try {
      await until('no sandboxes left in containerd', async () => ((await cri.listPodSandboxes()).length === 0 ? true : undefined), 120_000);
    } finally {
      cri.close();
    }
    // The agent removed its sandboxes itself: its pod cgroups must be gone before the harness cleans up.
    const ownCgroups = (await env.leftovers()).filter((line) => line.startsWith('cgroup '));
    assert.deepEqual(ownCgroups, [], 'the agent removes pod cgroup parents');
    await server.stop();
    await env.stop();
    assert.deepEqual(await env.leftovers(), []);
  });
});
