// Containers benchmark (issue 4 item 12): BENCH_CONTAINER_PODS (default 50) pods of the httpd
// test image, already pulled, on a private containerd (test/helpers/containerd-env.ts), in two runs
// in the same process:
//   direct — the baseline: the same pods made with raw CRI calls (RunPodSandbox + CreateContainer
//            + StartContainer), all launched at once through the agent's StartLimiter, one slot
//            per whole pod (the agent too keeps a new sandbox's slot for its first container, in
//            pod order: cri-runtime.ts); per pod: launch -> StartContainer returned;
//   k8ts   — `k8ts server --store memory --runtime containerd` (agent in the server), the pods
//            created at once through the API; per pod: create request -> the watch sees it Running.
// Prints per run p50/p99 and total (first launch -> last Running), the k8ts/direct ratios, and
// memory per pod two ways: the drop of MemAvailable while the pods run, and the pods' own cost
// (the shims' PSS plus the memory cgroup usage of the pods), divided by the pod count.
// Both runs twice (BENCH_PACE): as a burst (all pods at once: latency includes the queue for a
// start slot) and serially (one pod after the other: each pod's own start-up latency).
// BENCH_START_LIMIT (default 8, the agent's; a list such as 2,4,8 sweeps) is the start limit of both sides: the
// direct limiter and the agent's (K8TS_CRI_START_LIMIT). CPU seconds of the start phase, which are
// steadier than latencies on a shared machine: containerd's (with its reaped children, e.g. CNI
// plugins; not the shims) and the CRI client's (the bench process, or the whole k8ts server).
// Targets on 2 cores: p99 <= 1.5 s for 50 pods; k8ts <= 1.3 x direct. Numbers only, no assertions.
import { readFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../src/api/object.js';
import { DEFAULT_START_LIMIT, StartLimiter } from '../src/agent/runtime/cri/start-limiter.js';
import { HttpClientSet } from '../src/client/http/http-client-set.js';
import { loadKubeconfig } from '../src/client/http/load-kubeconfig.js';
import { PODS } from '../src/client/resource-types.js';
import { startContainerdEnv, type ContainerdEnv } from '../test/helpers/containerd-env.js';
import { shimTree } from '../test/helpers/containerd-host-state.js';
import { startServer } from '../test/helpers/k8ts-server.js';
import { CriClient, removeDirectPod, runDirectPod, type DirectPod } from './lib/direct-cri-pods.js';
import { percentile } from './lib/measure.js';
import { runPool } from './lib/pool.js';
import { waitForReadyNode } from './lib/process-startup.js';

type PodObject = Pod & KubeObject;

const podCount = Number(process.env.BENCH_CONTAINER_PODS ?? 50);
/**
 * The start limit of both sides (the agent gets it through K8TS_CRI_START_LIMIT); a list
 * (`2,4,8`) runs every pace once per limit, in the same process, for a sweep.
 */
const startLimits = (process.env.BENCH_START_LIMIT ?? String(DEFAULT_START_LIMIT)).split(',').map((limit) => Number(limit.trim()));
const timeoutMs = Number(process.env.BENCH_TIMEOUT_S ?? 300) * 1000;
/**
 * burst: all pods at once (latency includes the wait for a start slot); serial: one pod at a time,
 * the next once the previous runs (latency is one pod's own start-up). Default: both.
 */
const paces = (process.env.BENCH_PACE ?? 'burst,serial').split(',').map((pace) => pace.trim()) as Pace[];
type Pace = 'burst' | 'serial';

interface RunResult {
  readonly label: string;
  readonly latencies: number[];
  readonly totalMs: number;
  readonly memAvailableDropMiB: number;
  readonly podCostMiB: number;
  readonly teardownMs: number;
  readonly failed: number;
  /** CPU seconds of the start phase: containerd (with its reaped children), and the CRI client (bench or k8ts server). */
  readonly containerdCpuS: number;
  readonly clientCpuS: number;
}

/** utime + stime (+ the reaped children's) of a process, in seconds; 0 when it is gone. */
async function cpuSeconds(pid: number | undefined, withChildren = false): Promise<number> {
  if (pid === undefined) return 0;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // The fields after the command name start at field 3 (state); utime..cstime are fields 14-17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  const ticks = (fields[11] ?? 0) + (fields[12] ?? 0) + (withChildren ? (fields[13] ?? 0) + (fields[14] ?? 0) : 0);
  return ticks / 100; // USER_HZ
}

async function memAvailableMiB(): Promise<number> {
  const meminfo = await readFile('/proc/meminfo', 'utf8');
  return Number(/^MemAvailable:\s+(\d+)/m.exec(meminfo)?.[1] ?? 0) / 1024;
}

/** Shims' PSS (from smaps_rollup; the pause and httpd processes are counted by their cgroups). */
async function shimPssMiB(env: ContainerdEnv): Promise<number> {
  let kb = 0;
  for (const pid of await shimTree(env.socket)) {
    const comm = (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim();
    if (!comm.startsWith('containerd-shim')) continue;
    const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
    kb += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
  }
  return kb / 1024;
}

/**
 * memory.usage_in_bytes summed over these pods' cgroups (/sys/fs/cgroup/memory/<root>/pod<uid>);
 * by uid, since other agents on the machine may have pods under the same root.
 */
async function podCgroupsMiB(root: string, uids: readonly string[]): Promise<number> {
  let bytes = 0;
  for (const uid of uids) {
    bytes += Number(await readFile(join('/sys/fs/cgroup/memory', root, `pod${uid}`, 'memory.usage_in_bytes'), 'utf8').catch(() => '0'));
  }
  return bytes / 1024 / 1024;
}

async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 2000));
}

async function directRun(env: ContainerdEnv, pace: Pace, startLimit: number): Promise<RunResult> {
  const client = new CriClient({ socket: env.socket });
  const limiter = new StartLimiter({ limit: startLimit });
  const logRoot = join(env.dir, 'bench-direct-logs');
  const memBefore = await memAvailableMiB();
  const latencies: number[] = [];
  const pods: DirectPod[] = [];
  let failed = 0;
  const containerdCpu0 = await cpuSeconds(env.containerdPid(), true);
  const clientCpu0 = process.cpuUsage();
  const t0 = performance.now();
  await runPool(podCount, pace === 'burst' ? podCount : 1, async (i) => {
      const launched = performance.now();
      try {
        // One slot for the whole pod, as the agent holds a new sandbox's slot until its first
        // StartContainer (the agent's CreateContainer runs inside the held slot too).
        const pod = await limiter.run(() => runDirectPod(client, { name: `direct-${i}`, image: env.images.httpd, logRoot }));
        latencies.push(performance.now() - launched);
        pods.push(pod);
      } catch (error) {
        failed++;
        console.error(`direct pod ${i} failed:`, error instanceof Error ? error.message : error);
      }
  });
  const totalMs = performance.now() - t0;
  const containerdCpuS = (await cpuSeconds(env.containerdPid(), true)) - containerdCpu0;
  const clientCpu = process.cpuUsage(clientCpu0);
  const clientCpuS = (clientCpu.user + clientCpu.system) / 1e6;
  await settle();
  const memAvailableDropMiB = memBefore - (await memAvailableMiB());
  const podCostMiB = (await shimPssMiB(env)) + (await podCgroupsMiB('k8ts-direct', pods.map((pod) => pod.uid)));
  const t1 = performance.now();
  await runPool(pods.length, 4, async (i) => {
    const pod = pods[i];
    if (pod !== undefined) await removeDirectPod(client, pod).catch(() => undefined);
  });
  const teardownMs = performance.now() - t1;
  client.close();
  return { label: `direct CRI (baseline), ${pace}${limitLabel(startLimit)}`, latencies, totalMs, memAvailableDropMiB, podCostMiB, teardownMs, failed, containerdCpuS, clientCpuS };
}

function limitLabel(startLimit: number): string {
  return startLimits.length > 1 ? `, limit ${startLimit}` : '';
}

async function k8tsRun(env: ContainerdEnv, pace: Pace, startLimit: number): Promise<RunResult> {
  // The server inherits the environment: the agent's CRI runtime takes the same limit.
  process.env.K8TS_CRI_START_LIMIT = String(startLimit);
  const server = await startServer({
    store: 'memory',
    workloads: true,
    extraArgs: ['--runtime', 'containerd', '--cri-socket', env.socket, '--pod-cidr', env.podCidr],
  });
  try {
    const clients = new HttpClientSet({ ...loadKubeconfig(server.kubeconfig), userAgent: 'k8ts-bench' });
    await waitForReadyNode(clients, 60_000);
    const pods = clients.resource<PodObject>(PODS);
    const namespace = 'default';
    const created = new Map<string, number>();
    const running = new Map<string, number>();
    const controller = new AbortController();
    const resourceVersion = (await pods.list(namespace, { limit: 1 })).metadata.resourceVersion;
    let allRunning: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (allRunning = resolve));
    const waiters = new Map<string, () => void>();
    const watching = (async () => {
      for await (const event of pods.watch(namespace, { signal: controller.signal, resourceVersion })) {
        const pod = event.object;
        const name = pod.metadata?.name ?? '';
        if (pod.status?.phase === 'Running' && !running.has(name)) {
          running.set(name, performance.now());
          waiters.get(name)?.();
          if (running.size === podCount) allRunning();
        }
      }
    })().catch((error: unknown) => {
      if (!controller.signal.aborted) console.error('pod watch failed', error);
    });
    const memBefore = await memAvailableMiB();
    const containerdCpu0 = await cpuSeconds(env.containerdPid(), true);
    const clientCpu0 = await cpuSeconds(server.process.pid);
    const t0 = performance.now();
    await runPool(podCount, pace === 'burst' ? podCount : 1, async (i) => {
      const name = `web-${i}`;
      const isRunning = new Promise<void>((resolve) => waiters.set(name, resolve));
      created.set(name, performance.now());
      await pods.create(namespace, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace, labels: { app: 'bench-containers' } },
        spec: { terminationGracePeriodSeconds: 2, containers: [{ name: 'web', image: env.images.httpd, imagePullPolicy: 'IfNotPresent' }] },
      });
      if (pace === 'serial') await Promise.race([isRunning, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
    });
    const timer = setTimeout(allRunning, timeoutMs);
    await done;
    clearTimeout(timer);
    const totalMs = Math.max(...running.values()) - t0;
    const containerdCpuS = (await cpuSeconds(env.containerdPid(), true)) - containerdCpu0;
    const clientCpuS = (await cpuSeconds(server.process.pid)) - clientCpu0;
    controller.abort();
    await watching;
    await settle();
    const memAvailableDropMiB = memBefore - (await memAvailableMiB());
    const uids = (await pods.list(namespace, { labelSelector: 'app=bench-containers' })).items.map((pod) => pod.metadata?.uid ?? '');
    const podCostMiB = (await shimPssMiB(env)) + (await podCgroupsMiB('k8ts', uids));
    const latencies = [...running].map(([name, at]) => at - (created.get(name) ?? at));
    const t1 = performance.now();
    await runPool(podCount, 16, async (i) => {
      await pods.delete(namespace, `web-${i}`).catch(() => undefined);
    });
    while ((await pods.list(namespace, { labelSelector: 'app=bench-containers' })).items.length > 0 && performance.now() - t1 < timeoutMs) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const teardownMs = performance.now() - t1;
    return { label: `k8ts --runtime containerd, ${pace}${limitLabel(startLimit)}`, latencies, totalMs, memAvailableDropMiB, podCostMiB, teardownMs, failed: podCount - running.size, containerdCpuS, clientCpuS,
    };
  } finally {
    await server.stop();
    await server.cleanup();
  }
}

const env = await startContainerdEnv();
try {
  await env.pull(env.images.httpd);
  const runs: { name: string; direct: RunResult; k8ts: RunResult }[] = [];
  for (const pace of paces) {
    for (const limit of startLimits) {
      runs.push({ name: `${pace}${limitLabel(limit)}`, direct: await directRun(env, pace, limit), k8ts: await k8tsRun(env, pace, limit) });
    }
  }
  const f0 = (n: number) => n.toFixed(0);
  const f1 = (n: number) => n.toFixed(1);
  console.log(`\nContainers: ${podCount} httpd pods (image already pulled), private containerd, start limit ${startLimits.join('/')}`);
  console.log(`${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${f1(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load ${loadavg().map(f1).join(' ')}\n`);
  console.log('| run | pods Running | p50 ms | p99 ms | total s | MemAvailable drop MiB/pod | shim PSS + pod cgroups MiB/pod | teardown s | containerd CPU s | client CPU s |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const run of runs.flatMap((pair) => [pair.direct, pair.k8ts])) {
    const sorted = [...run.latencies].sort((a, b) => a - b);
    console.log(
      `| ${run.label} | ${sorted.length}${run.failed > 0 ? ` (${run.failed} failed)` : ''} | ${f0(percentile(sorted, 50))} | ${f0(percentile(sorted, 99))} | ${(run.totalMs / 1000).toFixed(2)} | ${f1(run.memAvailableDropMiB / podCount)} | ${f1(run.podCostMiB / podCount)} | ${(run.teardownMs / 1000).toFixed(1)} | ${f1(run.containerdCpuS)} | ${f1(run.clientCpuS)} |`,
    );
  }
  const p = (run: RunResult, q: number) => percentile([...run.latencies].sort((a, b) => a - b), q);
  console.log('');
  for (const { name, direct, k8ts } of runs) {
    console.log(
      `k8ts / direct (${name}): p50 ${(p(k8ts, 50) / p(direct, 50)).toFixed(2)}, p99 ${(p(k8ts, 99) / p(direct, 99)).toFixed(2)}, total ${(k8ts.totalMs / direct.totalMs).toFixed(2)}`,
    );
  }
  console.log('(targets: p99 <= 1500 ms; k8ts <= 1.3 x direct)');
} finally {
  await env.stop();
  const left = await env.leftovers();
  if (left.length > 0) console.error(`left behind:\n${left.join('\n')}`);
}
