// Scheduler benchmark: hollow nodes (Node objects only, no agents) at 1,000 and 5,000 nodes, 10,000
// pods each, against the in-process FakeClientSet. Everything runs in this one process: pod
// creation, the fake API (watch fan-out included), the shared informers, the scheduler, the
// bindings. So it measures the scheduler plus in-memory client overhead, not HTTP or storage.
//
// Beside the real scheduler (default profile, adaptive node sampling), the same pipeline runs with
// a trivial first-fit scheduler (NodeResourcesFit only, the first feasible node wins) as the
// baseline: the ratio shows what filtering/scoring costs over the bare client/informer pipeline.
//
// Prints pods/s (first create -> last bound), create->bound latency p50/p99 (bound = the binding
// seen through a watch), and heap/RSS after each run.
// Options (env): BENCH_NODES (default 1000,5000), BENCH_PODS (default 10000).
import { cpus, totalmem } from 'node:os';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../src/api/object.js';
import type { EventRecorder } from '../src/client/events/event-recorder.js';
import { FakeClientSet } from '../src/client/fake/fake-client-set.js';
import { SharedInformerFactory } from '../src/client/informer/shared-informer-factory.js';
import { NODES, PODS } from '../src/client/resource-types.js';
import { systemClock } from '../src/lib/clock.js';
import { silentLogger } from '../src/lib/logger.js';
import { NodeResourcesFitFilter } from '../src/scheduler/plugins/node-resources-fit.js';
import { Scheduler } from '../src/scheduler/scheduler.js';
import { makeNode, makePod } from '../src/scheduler/testing/fixtures.js';
import { percentile } from './lib/measure.js';

const nodeCounts = (process.env.BENCH_NODES ?? '1000,5000').split(',').map(Number);
const podCount = Number(process.env.BENCH_PODS ?? 10_000);
const CREATE_CONCURRENCY = 64;
const TIMEOUT_MS = 120_000;

type Variant = 'scheduler' | 'first-fit';

interface Result {
  readonly nodes: number;
  readonly variant: Variant;
  readonly podsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly bound: number;
  readonly heapMb: number;
  readonly rssMb: number;
}

/** Counts Events instead of keeping them (10,000 Scheduled Events would skew memory). */
class CountingRecorder implements EventRecorder {
  count = 0;
  event(): void {
    this.count++;
  }
}

async function runOnce(nodes: number, variant: Variant): Promise<Result> {
  const clients = new FakeClientSet();
  clients.seed(NODES, ...Array.from({ length: nodes }, (_, i) => makeNode(`node-${i}`, { cpu: '32', memory: '128Gi', pods: '110' }) as KubeObject));
  const informers = new SharedInformerFactory({ clients, logger: silentLogger() });
  const scheduler = new Scheduler({
    clients,
    informers,
    clock: systemClock,
    logger: silentLogger(),
    recorder: new CountingRecorder(),
    ...(variant === 'first-fit' ? { profile: { filters: [new NodeResourcesFitFilter()], scores: [] }, feasibleNodesToFind: 1 } : {}),
  });
  const controller = new AbortController();
  const running = scheduler.run(controller.signal);
  await informers.waitForSync(controller.signal);

  const pods = clients.resource<Pod & KubeObject>(PODS);
  const created = new Map<string, number>();
  const bound = new Map<string, number>();
  let allBound: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (allBound = resolve));
  const watching = (async () => {
    for await (const event of pods.watch('bench', { signal: controller.signal })) {
      const name = event.object.metadata?.name ?? '';
      if (event.object.spec?.nodeName && !bound.has(name)) {
        bound.set(name, performance.now());
        if (bound.size === podCount) allBound();
      }
    }
  })().catch(() => undefined);

  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CREATE_CONCURRENCY }, async () => {
      while (next < podCount) {
        const i = next++;
        const name = `pod-${i}`;
        created.set(name, performance.now());
        await pods.create('bench', makePod(name, { namespace: 'bench', cpu: '100m', memory: '128Mi', ownerUid: `rs-${i % 20}` }) as Pod & KubeObject);
      }
    }),
  );
  const timeout = setTimeout(() => allBound(), TIMEOUT_MS);
  await finished;
  clearTimeout(timeout);
  const last = Math.max(...bound.values());
  const latencies = [...bound].map(([name, at]) => at - (created.get(name) ?? at)).sort((a, b) => a - b);
  const memory = process.memoryUsage();
  controller.abort();
  await running;
  await watching;
  return {
    nodes,
    variant,
    podsPerSecond: (bound.size / (last - started)) * 1000,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    bound: bound.size,
    heapMb: memory.heapUsed / 2 ** 20,
    rssMb: memory.rss / 2 ** 20,
  };
}

const results: Result[] = [];
for (const nodes of nodeCounts) {
  for (const variant of ['first-fit', 'scheduler'] as const) {
    results.push(await runOnce(nodes, variant));
    const r = results.at(-1)!;
    console.error(`${r.nodes} nodes ${r.variant}: ${r.podsPerSecond.toFixed(0)} pods/s (${r.bound}/${podCount} bound)`);
  }
}

console.log(`\nScheduler benchmark — ${podCount} pods, hollow nodes, in-process FakeClientSet`);
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}\n`);
console.log('| nodes | scheduler | pods/s | vs first-fit | create->bound p50 ms | p99 ms | bound | heap MB | RSS MB |');
console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of results) {
  const baseline = results.find((b) => b.nodes === r.nodes && b.variant === 'first-fit');
  const ratio = baseline ? (r.podsPerSecond / baseline.podsPerSecond).toFixed(2) : '-';
  console.log(
    `| ${r.nodes} | ${r.variant} | ${r.podsPerSecond.toFixed(0)} | ${ratio} | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} | ${r.bound} | ${r.heapMb.toFixed(0)} | ${r.rssMb.toFixed(0)} |`,
  );
}
