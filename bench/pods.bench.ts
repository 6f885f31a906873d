// Pods benchmark (issue 3 item 6): scheduling and startup at scale with hollow nodes, and startup
// of real processes with the process runtime. Run: node --import tsx bench/pods.bench.ts
//
// Part 1, hollow nodes: for each node count a fresh `k8ts server --store memory --no-agent`
// (controllers and scheduler on; node grace periods of 1 h, since hollow nodes write their Lease
// once and do not renew it) gets N Ready hollow nodes with Leases, then BENCH_PODS plain pods
// (64 creates in flight). One pod watch in this process is the hollow kubelet of every node
// (bench/lib/hollow-kubelet.ts): it writes status Running/Ready for each pod bound to a hollow node
// and records when each pod was seen bound and Running. Three variants per node count, each on its
// own fresh server:
//   preset    — pods created with spec.nodeName already set (round robin): no scheduler; the
//               floor of the API + watch + status-write pipeline (the baseline);
//   scheduler — the same pods without nodeName: the real scheduler binds them;
//   scheduler-bind-only — as scheduler, but the hollow kubelet only observes bindings and writes
//               no status: what upstream's scheduler_perf measures (SchedulingBasic/5000Nodes:
//               nodes, then pods created through a real API server, the scheduler binds them, no
//               kubelet). Its Running columns are empty; its end is the last pod seen bound.
// Prints pods/s (first create -> last bound, and -> last Running), upstream's SchedulingThroughput
// (scheduler_perf's metric: the number of pods seen bound, sampled every second from the first
// create; the first sample with a pod bound is skipped, as upstream's collector does, and the
// mean of the per-second rates after it up to the last bound pod is reported; a partial last
// second is not sampled; the samples go to stderr), create->bound and create->Running p50/p99, the ratio to preset, the
// server's CPU busy fraction and CPU ms per pod (first create -> last pod done), and the server's
// memory (VmRSS after the run, VmHWM peak, from /proc/<pid>/status).
//
// Part 2, process runtime: `k8ts server --store memory --runtime process --stop-pods-on-exit`
// (agent in the server), BENCH_PROCESS_PODS pods each running a small HTTP server on port 8080 (own
// netns + IP per pod as root; ports 31000+i without root, when pods share the host network):
// `busybox httpd -f -p 8080 -h <dir>` (BENCH_PROCESS_SERVER=busybox, default) or a node http server
// (BENCH_PROCESS_SERVER=node). create -> Running and -> Ready p50/p99 through a watch, beside the
// baseline in the same run: the same servers spawned directly by the bench on ports 30000+i
// (spawn -> 'spawn' event; ready = the port accepts a TCP connection, polled every 20 ms).
// Then, on the same server, the same pods created at each rate of BENCH_PROCESS_PACED_RATE per
// second (default 5,20: upstream's density test creates the pods its startup SLO is measured on one
// every 200 ms, and the SLO holds only while the cluster's churn is at most 20 per second:
// kubernetes/community sig-scalability/slos/slos.md, "Steady state SLOs").
// And the pod networks alone (as root with the CNI plugins; bench/lib/cni-floor.ts): the runtime's
// own CniNetwork setting up that many networks at once with nothing else running, the floor under
// create -> Running.
//
// Options (env): BENCH_NODES (default 1000,5000), BENCH_PODS (default 10000), BENCH_VARIANTS
// (default preset,scheduler,scheduler-bind-only), BENCH_CREATE_RATE (pods/s; default 0 = as fast as 64 clients go, which
// saturates the server, so latencies then measure the backlog; set it below the bound pods/s to
// measure unsaturated startup latency), BENCH_PROCESS_PODS (default 100; 0 skips part 2),
// BENCH_PROCESS_SERVER (busybox|node), BENCH_PROCESS_PACED_RATE (default 5,20; 0 or empty skips), BENCH_TIMEOUT_S (per run, default 300). BENCH_NODES= (empty)
// skips part 1. BENCH_SERVER_PROF=<dir>: a CPU profile of each server (hollow-node and process
// runtime) from its first pod create to its exit, <dir>/server-<pid>.cpuprofile
// (bench/lib/server-cpu-profile.ts).
import { readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../src/api/object.js';
import { HttpClientSet } from '../src/client/http/http-client-set.js';
import { loadKubeconfig } from '../src/client/http/load-kubeconfig.js';
import { PODS } from '../src/client/resource-types.js';
import { startServer, type RunningServer } from '../test/helpers/k8ts-server.js';
import { cniSetupFloor, type CniFloor } from './lib/cni-floor.js';
import { processCpuMs, selfCpuMs, threadCpuMs } from './lib/cpu-usage.js';
import { HOLLOW_PREFIX, HollowKubelet, registerHollowNodes } from './lib/hollow-kubelet.js';
import { startServerProfile, withServerProfile } from './lib/server-cpu-profile.js';
import { percentile } from './lib/measure.js';
import { runPool } from './lib/pool.js';
import { cpuTimesMs, deletePods, directSpawn, makeDocRoot, processPods, waitForReadyNode, type ServerKind, type StartupTimes } from './lib/process-startup.js';

const nodeCounts = (process.env.BENCH_NODES ?? '1000,5000').split(',').filter(Boolean).map(Number);
const podCount = Number(process.env.BENCH_PODS ?? 10_000);
const variants = (process.env.BENCH_VARIANTS ?? 'preset,scheduler,scheduler-bind-only').split(',') as Variant[];
const processPodCount = Number(process.env.BENCH_PROCESS_PODS ?? 100);
const processServer: ServerKind = process.env.BENCH_PROCESS_SERVER === 'node' ? 'node' : 'busybox';
const createRate = Number(process.env.BENCH_CREATE_RATE ?? 0);
/**
 * Part 2's later runs: the same pods created at each of these rates. 5/s is the rate at which
 * upstream's density test creates its "latency pods", the ones its pod startup latency SLO is
 * measured on (test/e2e/scalability/density.go: one every 200 ms); 20/s is the most churn under
 * which upstream promises that SLO at all (its "steady state": pod creations, updates and
 * deletions plus user requests <= 20 per second). 0 or empty skips them.
 */
const processPacedRates = (process.env.BENCH_PROCESS_PACED_RATE ?? '5,20').split(',').map(Number).filter((r) => r > 0);
/** Upstream's steady-state churn limit, pods per second: the rate the 1 s target is judged at beside the burst. */
const STEADY_STATE_CHURN = 20;
const timeoutMs = Number(process.env.BENCH_TIMEOUT_S ?? 300) * 1000;
const CREATE_CONCURRENCY = 64;
const NODE_CONCURRENCY = 64;
const STATUS_CONCURRENCY = 32;

type Variant = 'preset' | 'scheduler' | 'scheduler-bind-only';

interface HollowResult {
  readonly nodes: number;
  readonly variant: Variant;
  readonly registerS: number;
  readonly createPerS: number;
  readonly boundPerS: number;
  /** Upstream scheduler_perf's SchedulingThroughput (mean of per-second samples); undefined under 2 s. */
  readonly sampledPerS: number | undefined;
  readonly runningPerS: number | undefined;
  readonly bound: [number, number];
  readonly running: [number, number];
  readonly boundCount: number;
  readonly runningCount: number;
  readonly serverCores: number | undefined;
  readonly serverCpuMsPerPod: number | undefined;
  readonly rssMb: number;
  readonly hwmMb: number;
  readonly errors: number;
}

function memoryMb(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

/** The server's CPU ms per pod by thread since `before`: main (the API server), then the busiest others. */
function threadCpuSummary(pid: number, before: ReturnType<typeof threadCpuMs>): string {
  const used = [...threadCpuMs(pid)].map(([tid, t]) => ({ tid, name: t.name, ms: t.ms - (before.get(tid)?.ms ?? 0) }));
  const main = used.find((t) => t.tid === pid);
  const others = used.filter((t) => t.tid !== pid && t.ms > 0).sort((a, b) => b.ms - a.ms);
  const perPod = (ms: number) => (ms / podCount).toFixed(2);
  return [`main ${perPod(main?.ms ?? 0)}`, ...others.slice(0, 3).map((t) => `${t.name} ${perPod(t.ms)}`), `rest ${perPod(others.slice(3).reduce((a, t) => a + t.ms, 0))}`].join(', ');
}

function p50p99(values: number[]): [number, number] {
  values.sort((a, b) => a - b);
  return [percentile(values, 50), percentile(values, 99)];
}

/**
 * scheduler_perf's SchedulingThroughput samples from bind times: the bound count at each whole second
 * after `start`; samples begin at the first tick with a pod bound (that tick is the base, not a
 * sample, as upstream skips it) and end at the last tick before the last pod was bound.
 */
function throughputSamples(boundAt: Iterable<number>, start: number): number[] {
  const times = [...boundAt].sort((a, b) => a - b);
  const last = times.at(-1);
  if (last === undefined) return [];
  const rates: number[] = [];
  let index = 0;
  let base: number | undefined;
  for (let tick = start + 1000; tick <= last; tick += 1000) {
    while (index < times.length && times[index]! <= tick) index++;
    if (index === 0) continue;
    if (base !== undefined) rates.push(index - base);
    base = index;
  }
  return rates;
}

/**
 * Pods bound in each wall-clock second from the first create, by the time the server wrote into
 * their PodScheduled condition at binding (second resolution): when binding happened, whatever
 * delay the watch or this process added before the bench saw it.
 */
async function bindsPerServerSecond(pods: ReturnType<HttpClientSet['resource']>, startedWall: number): Promise<number[]> {
  const counts: number[] = [];
  const firstSecond = Math.floor(startedWall / 1000);
  let continueToken: string | undefined;
  do {
    const page = await pods.list('default', { limit: 2000, ...(continueToken ? { continue: continueToken } : {}) });
    for (const pod of page.items as (Pod & KubeObject)[]) {
      const at = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'True')?.lastTransitionTime;
      if (at === undefined) continue;
      const second = Math.floor(Date.parse(at) / 1000) - firstSecond;
      if (second >= 0) counts[second] = (counts[second] ?? 0) + 1;
    }
    continueToken = page.metadata.continue || undefined;
  } while (continueToken);
  return Array.from(counts, (c) => c ?? 0);
}

function clientsFor(server: RunningServer): HttpClientSet {
  return new HttpClientSet({ ...loadKubeconfig(server.kubeconfig), userAgent: 'k8ts-bench' });
}

async function hollowRun(nodes: number, variant: Variant): Promise<HollowResult> {
  const server = await withServerProfile(() => startServer({
    store: 'memory',
    workloads: true,
    extraArgs: ['--no-agent', '--node-monitor-grace-period', '1h', '--node-startup-grace-period', '1h'],
  }));
  const clients = clientsFor(server);
  const controller = new AbortController();
  try {
    const pid = server.process.pid!;
    console.error(`${nodes} nodes ${variant}: server pid ${pid} up, registering nodes`);
    const registerStart = performance.now();
    await registerHollowNodes(clients, nodes, NODE_CONCURRENCY);
    const registerS = (performance.now() - registerStart) / 1000;
    console.error(`${nodes} nodes ${variant}: nodes registered in ${registerS.toFixed(1)} s, creating pods`);
    const writeStatus = variant !== 'scheduler-bind-only';
    const kubelet = new HollowKubelet({ clients, namespace: 'default', concurrency: STATUS_CONCURRENCY, writeStatus });
    // The pods counted as done: Running for the variants with status writes, bound without.
    const done = writeStatus ? kubelet.running : kubelet.bound;
    const watching = await kubelet.start(controller.signal);

    const pods = clients.resource<Pod & KubeObject>(PODS);
    const created = new Map<string, number>();
    startServerProfile(pid);
    const cpuBefore = processCpuMs(pid);
    const threadsBefore = threadCpuMs(pid);
    const benchCpuBefore = selfCpuMs();
    const started = performance.now();
    const startedWall = Date.now();
    await runPool(podCount, CREATE_CONCURRENCY, async (i) => {
      const name = `pod-${i}`;
      if (createRate > 0) {
        const wait = started + (i * 1000) / createRate - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      created.set(name, performance.now());
      await pods.create('default', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'default', labels: { app: 'bench', shard: String(i % 20) } },
        spec: {
          ...(variant === 'preset' ? { nodeName: `${HOLLOW_PREFIX}${i % nodes}` } : {}),
          containers: [{ name: 'app', image: 'k8ts.test/hollow:1', resources: { requests: { cpu: '100m', memory: '128Mi' } } }],
        },
      });
    });
    const createdAt = performance.now();
    console.error(`${nodes} nodes ${variant}: ${podCount} pods created, waiting for ${writeStatus ? 'Running' : 'bound'}`);
    const deadline = Date.now() + timeoutMs;
    let lastProgress = Date.now();
    let lastCount = -1;
    while (done.size < podCount && Date.now() < deadline && Date.now() - lastProgress < 30_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (done.size !== lastCount) {
        lastCount = done.size;
        lastProgress = Date.now();
      }
    }
    const cpuAfter = processCpuMs(pid);
    console.error(`${nodes} nodes ${variant}: CPU ms/pod ${threadCpuSummary(pid, threadsBefore)}, bench ${((selfCpuMs() - benchCpuBefore) / podCount).toFixed(2)}`);
    const memory = memoryMb(pid);
    const lastBound = Math.max(...kubelet.bound.values());
    const lastRunning = Math.max(...kubelet.running.values());
    const lastDone = Math.max(...done.values());
    const samples = throughputSamples(kubelet.bound.values(), started);
    // The samples show when binding happened (e.g. held back while creates saturate the server).
    console.error(`${nodes} nodes ${variant}: pods seen bound per second: ${samples.join(' ')}`);
    const since = (at: Map<string, number>) => [...at].map(([name, t]) => t - (created.get(name) ?? t));
    const bindSeconds = await bindsPerServerSecond(pods, startedWall);
    console.error(`${nodes} nodes ${variant}: pods bound per second by the server's clock (PodScheduled): ${bindSeconds.join(' ')}`);
    controller.abort();
    await watching.done;
    return {
      nodes,
      variant,
      registerS,
      createPerS: (podCount / (createdAt - started)) * 1000,
      boundPerS: (kubelet.bound.size / (lastBound - started)) * 1000,
      sampledPerS: samples.length > 0 ? samples.reduce((a, b) => a + b, 0) / samples.length : undefined,
      runningPerS: writeStatus ? (kubelet.running.size / (lastRunning - started)) * 1000 : undefined,
      bound: p50p99(since(kubelet.bound)),
      running: p50p99(since(kubelet.running)),
      boundCount: kubelet.bound.size,
      runningCount: kubelet.running.size,
      serverCores: cpuBefore !== undefined && cpuAfter !== undefined ? (cpuAfter - cpuBefore) / (lastDone - started) : undefined,
      serverCpuMsPerPod: cpuBefore !== undefined && cpuAfter !== undefined ? (cpuAfter - cpuBefore) / podCount : undefined,
      rssMb: memory.rss,
      hwmMb: memory.hwm,
      errors: kubelet.errors,
    };
  } finally {
    controller.abort();
    clients.close();
    await server.stop();
    await server.cleanup();
  }
}

interface ProcessResult {
  readonly direct: StartupTimes;
  /** The pod networks alone (undefined without root or CNI plugins: pods then share the host network). */
  readonly cniFloor: CniFloor | undefined;
  readonly pods: StartupTimes & { readonly podIps: number; readonly missing: number };
  /** The same pods created at each of processPacedRates per second, each run after the pods before it were deleted. */
  readonly paced: readonly (StartupTimes & { readonly podIps: number; readonly missing: number; readonly ratePerS: number })[];
  readonly leftAfterDelete: number;
  /** Server CPU ms per pod from the first create to the last Ready: its own, and its waited-for children's (CNI plugins, ip). */
  readonly serverCpuMsPerPod: { readonly self: number; readonly children: number };
}

async function processRun(count: number): Promise<ProcessResult> {
  const docRoot = makeDocRoot();
  try {
    const direct = await directSpawn(processServer, count, 30_000, docRoot);
    const cniFloor = await cniSetupFloor(count);
    const server = await withServerProfile(() => startServer({ store: 'memory', workloads: true, extraArgs: ['--runtime', 'process'] }));
    const clients = clientsFor(server);
    try {
      await waitForReadyNode(clients, 60_000);
      const root = process.getuid?.() === 0;
      const port = (i: number) => (root ? 8080 : 31_000 + i);
      const pid = server.process.pid ?? 0;
      startServerProfile(pid);
      const cpuBefore = cpuTimesMs(pid);
      const pods = await processPods(clients, { count, concurrency: 16, kind: processServer, port, docRoot, timeoutMs });
      const cpuAfter = cpuTimesMs(pid);
      const serverCpuMsPerPod = { self: (cpuAfter.self - cpuBefore.self) / count, children: (cpuAfter.children - cpuBefore.children) / count };
      const leftAfterDelete = await deletePods(clients, count, 60_000);
      const paced = [];
      for (const ratePerS of processPacedRates) {
        const namePrefix = `paced${ratePerS}`;
        const times = await processPods(clients, { count, concurrency: 16, kind: processServer, port, docRoot, timeoutMs, createRatePerS: ratePerS, namePrefix });
        paced.push({ ...times, ratePerS });
        await deletePods(clients, count, 60_000, namePrefix);
      }
      return { direct, cniFloor, pods, paced, leftAfterDelete, serverCpuMsPerPod };
    } finally {
      clients.close();
      await server.stop();
      await server.cleanup();
    }
  } finally {
    rmSync(docRoot, { recursive: true, force: true });
  }
}

const load = loadavg();
const hollow: HollowResult[] = [];
for (const nodes of nodeCounts) {
  for (const variant of variants) {
    const r = await hollowRun(nodes, variant);
    hollow.push(r);
    console.error(`${nodes} nodes ${variant}: ${r.boundPerS.toFixed(0)} bound/s, ${r.runningCount}/${podCount} Running, RSS ${r.rssMb.toFixed(0)} MB`);
  }
}
const proc = processPodCount > 0 ? await processRun(processPodCount) : undefined;

const f0 = (n: number) => n.toFixed(0);
const opt = (n: number | undefined) => (n === undefined ? '-' : f0(n));
console.log(
  `\nPods benchmark — ${podCount} pods on hollow nodes (creates ${createRate > 0 ? `paced at ${createRate}/s` : `unpaced, ${CREATE_CONCURRENCY} in flight`}); ` +
    `${processPodCount} process-runtime pods`,
);
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ` +
    `load average at start ${load.map((l) => l.toFixed(1)).join(' ')}\n`,
);
if (hollow.length > 0) {
  console.log('| nodes | variant | node setup s | creates/s | bound pods/s | vs preset | SchedulingThroughput pods/s | Running pods/s | create->bound p50 ms | p99 ms | create->Running p50 ms | p99 ms | bound | Running | server cores | server CPU ms/pod | server RSS MB | peak RSS MB |');
  console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of hollow) {
    const base = hollow.find((b) => b.nodes === r.nodes && b.variant === 'preset');
    const ratio = base ? (r.boundPerS / base.boundPerS).toFixed(2) : '-';
    console.log(
      `| ${r.nodes} | ${r.variant} | ${r.registerS.toFixed(1)} | ${f0(r.createPerS)} | ${f0(r.boundPerS)} | ${ratio} | ${opt(r.sampledPerS)} | ${opt(r.runningPerS)} | ` +
        `${f0(r.bound[0])} | ${f0(r.bound[1])} | ${r.runningCount > 0 ? f0(r.running[0]) : '-'} | ${r.runningCount > 0 ? f0(r.running[1]) : '-'} | ${r.boundCount} | ${r.runningCount} | ${r.serverCores?.toFixed(2) ?? '-'} | ${r.serverCpuMsPerPod?.toFixed(2) ?? '-'} | ${f0(r.rssMb)} | ${f0(r.hwmMb)} |` +
        (r.errors > 0 ? ` (${r.errors} errors)` : ''),
    );
  }
}
if (proc) {
  const row = (label: string, startedLabel: string, t: StartupTimes) => {
    const [s50, s99] = p50p99([...t.started]);
    const [r50, r99] = p50p99([...t.ready]);
    console.log(`| ${label} | ${t.ready.length} | ${startedLabel} | ${f0(s50)} | ${f0(s99)} | ${f0(r50)} | ${f0(r99)} |`);
  };
  const pacedNote = proc.paced.length > 0 ? `, then created at ${proc.paced.map((p) => `${p.ratePerS}/s`).join(' and ')} (last rows)` : '';
  console.log(`\nProcess runtime: ${processPodCount} ${processServer} HTTP servers started at once${pacedNote} (ms)\n`);
  console.log('| how | ready | started = | started p50 | p99 | ready p50 | ready p99 |');
  console.log('| --- | ---: | --- | ---: | ---: | ---: | ---: |');
  row('spawned directly (baseline)', 'spawn event; ready = port accepts', proc.direct);
  if (proc.cniFloor) {
    const [n50, n99] = p50p99([...proc.cniFloor.done]);
    console.log(`| pod networks alone (floor) | ${proc.cniFloor.done.length} | - | - | - | ${f0(n50)} | ${f0(n99)} |`);
  }
  row('pods, --runtime process', 'create -> Running; ready = Ready', proc.pods);
  for (const paced of proc.paced) row(`pods, created ${paced.ratePerS}/s${pacedRateLabel(paced.ratePerS)}`, 'create -> Running; ready = Ready', paced);
  const ratio = percentile([...proc.pods.ready].sort((a, b) => a - b), 99) / percentile([...proc.direct.ready].sort((a, b) => a - b), 99);
  const pacedMissing = proc.paced.map((p) => `${p.ratePerS}/s: ${p.missing}`).join(', ');
  console.log(`\npod Ready p99 / direct ready p99: ${ratio.toFixed(2)}; distinct pod IPs: ${proc.pods.podIps}; not Ready: ${proc.pods.missing}${pacedMissing ? ` (paced ${pacedMissing})` : ''}; left after delete: ${proc.leftAfterDelete}`);
  console.log(`server CPU per pod until all Ready: ${proc.serverCpuMsPerPod.self.toFixed(1)} ms itself + ${proc.serverCpuMsPerPod.children.toFixed(1)} ms in waited-for children (the CNI plugins and ip run in the runtime's shim, not counted here)`);
}
if (proc) {
  // The issue's target (startup p99 <= 1 s for 100 pods) judged both ways: under the churn upstream's
  // startup SLO is promised for, and for all pods created at once (upstream's burst case, which its
  // SLOs leave out).
  const verdict = (t: StartupTimes) => {
    const p99 = percentile([...t.started].sort((a, b) => a - b), 99);
    return `${f0(p99)} ms: ${t.started.length === processPodCount && p99 <= 1000 ? 'met' : 'NOT met'}`;
  };
  console.log(`\nTarget: create -> Running p99 <= 1 s, ${processPodCount} pods`);
  const steady = proc.paced.find((p) => p.ratePerS === STEADY_STATE_CHURN);
  if (steady) console.log(`- created at upstream's steady-state churn limit (${STEADY_STATE_CHURN}/s): ${verdict(steady)}`);
  console.log(`- all created at once (a burst): ${verdict(proc.pods)}`);
}

function pacedRateLabel(ratePerS: number): string {
  if (ratePerS === 5) return " (upstream's latency-pod rate)";
  if (ratePerS === STEADY_STATE_CHURN) return " (upstream's steady-state churn limit)";
  return '';
}
