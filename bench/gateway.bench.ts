// Gateway benchmark (issue 5 §8): the same two upstreams reached three ways, measured with wrk:
//   direct   wrk -> upstream A
//   nginx    wrk -> nginx (split_clients 90/10, keep-alive upstreams) -> A or B
//   gateway  wrk -> k8ts gateway (the real supervisor + worker processes, a RouteTable with the
//            same 90/10 split) -> A or B
// The upstreams are one private nginx serving a small fixed body on two loopback ports (fast, so
// the proxies are what is measured). Prints req/s, p50, p99 and the gateway/nginx and
// gateway/direct ratios; no assertions. Target: gateway >= 0.7x nginx throughput and p99 within
// 1 ms of nginx's at 50 connections.
//
// Options (env): BENCH_SECONDS (5), BENCH_WARMUP_SECONDS (1), BENCH_ROUNDS (3), BENCH_CONNECTIONS
// (1,50), BENCH_THREADS (2), BENCH_WORKERS (gateway and nginx worker processes; default the cores),
// BENCH_SCHEDULING (none|rr, the cluster scheduling policy; default none).
//
// Fairness on a shared, noisy machine: the three targets are measured in interleaved rounds
// (direct, nginx, gateway, direct, nginx, gateway, ...) under the same wrk settings, and the table
// shows the median of the rounds, so a burst of load from elsewhere hits all of them alike rather
// than whichever happened to run during it.
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { spawnSync } from 'node:child_process';
import { silentLogger } from '../src/lib/logger.js';
import { GatewaySupervisor, type SchedulingPolicy } from '../src/proxy/gateway/gateway-supervisor.js';
import type { RouteTable } from '../src/proxy/gateway/route-table.js';
import { freePort } from '../test/helpers/free-port.js';
import { processCpuMs } from './lib/cpu-usage.js';
import { nginxPids, startNginx, waitForPort, type NginxInstance } from './lib/nginx-instance.js';
import { runWrk, type WrkResult } from './lib/wrk-run.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 1);
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const connectionCounts = (process.env.BENCH_CONNECTIONS ?? '1,50').split(',').map(Number);
const threads = Number(process.env.BENCH_THREADS ?? 2);
const workers = Number(process.env.BENCH_WORKERS ?? availableParallelism());
const scheduling = (process.env.BENCH_SCHEDULING ?? 'none') as SchedulingPolicy;

type Target = 'direct' | 'nginx' | 'gateway';

interface Run extends WrkResult {
  readonly cpuUsPerRequest: number;
}

/** Medians over the rounds (errors summed), and the CPU range. */
interface Summary extends Run {
  readonly cpuMin: number;
  readonly cpuMax: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function summarize(list: readonly Run[]): Summary {
  const cpu = list.map((r) => r.cpuUsPerRequest);
  return {
    requestsPerSecond: median(list.map((r) => r.requestsPerSecond)),
    p50Ms: median(list.map((r) => r.p50Ms)),
    p99Ms: median(list.map((r) => r.p99Ms)),
    errors: list.reduce((sum, r) => sum + r.errors, 0),
    cpuUsPerRequest: median(cpu),
    cpuMin: Math.min(...cpu),
    cpuMax: Math.max(...cpu),
  };
}

function table(port: number, portA: number, portB: number): RouteTable {
  const endpoint = (p: number, revision: string) => ({ address: '127.0.0.1', port: p, ready: true, serving: true, terminating: false, revision });
  return {
    version: 1,
    listeners: [{
      port,
      rules: [{
        route: 'bench/split',
        ruleIndex: 0,
        hostnames: [],
        matches: [{ path: { type: 'PathPrefix', value: '/' }, headers: [], queryParams: [] }],
        backends: [
          { service: 'bench/a', port: 80, weight: 90, endpoints: [endpoint(portA, 'a')] },
          { service: 'bench/b', port: 80, weight: 10, endpoints: [endpoint(portB, 'b')] },
        ],
      }],
    }],
  };
}

/** The bench's peers are programs of the machine: say which one is missing and how to get it. */
function requirePrograms(): void {
  const missing = [['nginx', '-v'], ['wrk', '-v']].filter(([program, flag]) => spawnSync(program ?? '', [flag ?? ''], { stdio: 'ignore' }).error !== undefined);
  if (missing.length === 0) return;
  const names = missing.map(([program]) => program).join(' and ');
  console.error(`bench:gateway needs ${names} on PATH: apt-get install ${missing.map(([program]) => program).join(' ')}`);
  process.exit(1);
}

async function main(): Promise<void> {
  requirePrograms();
  const [portA, portB, portNginx, portGateway] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const started: { stop(): Promise<void> }[] = [];
  try {
    const upstreams: NginxInstance = await startNginx({
      workers,
      ports: [portA, portB],
      http: `
  server { listen 127.0.0.1:${portA} reuseport; location / { default_type text/plain; return 200 "hello from upstream a\\n"; } }
  server { listen 127.0.0.1:${portB} reuseport; location / { default_type text/plain; return 200 "hello from upstream b\\n"; } }`,
    });
    started.push(upstreams);
    const proxy = await startNginx({
      workers,
      ports: [portNginx],
      http: `
  upstream a { server 127.0.0.1:${portA}; keepalive 128; }
  upstream b { server 127.0.0.1:${portB}; keepalive 128; }
  split_clients "\${request_id}" $backend { 90% a; * b; }
  server {
    listen 127.0.0.1:${portNginx} reuseport;
    location / { proxy_pass http://$backend; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }`,
    });
    started.push(proxy);
    const gateway = new GatewaySupervisor({ address: '127.0.0.1', logger: silentLogger(), workers, scheduling, workerLogLevel: 'warn' });
    await gateway.start();
    started.push(gateway);
    gateway.applyTable(table(portGateway, portA, portB));
    if (!(await gateway.waitForVersion(1))) throw new Error('the gateway workers did not take the route table');
    await waitForPort(portGateway);

    const urls: Record<Target, string> = {
      direct: `http://127.0.0.1:${portA}/`,
      nginx: `http://127.0.0.1:${portNginx}/`,
      gateway: `http://127.0.0.1:${portGateway}/`,
    };
    // CPU time of the proxy processes per request: a stable number on a shared, noisy machine.
    const proxyPids: Record<Target, () => readonly number[]> = {
      direct: () => nginxPids(upstreams.pid),
      nginx: () => nginxPids(proxy.pid),
      gateway: () => gateway.workerPids,
    };
    const cpuOf = (pids: readonly number[]) => pids.reduce((sum, pid) => sum + (processCpuMs(pid) ?? 0), 0);
    const runs = new Map<string, Run[]>();
    const loadBefore = loadavg()[0] ?? 0;
    for (const connections of connectionCounts) {
      const wrkThreads = Math.min(threads, connections);
      for (let round = 1; round <= rounds; round++) {
        for (const target of ['direct', 'nginx', 'gateway'] as const) {
          if (warmupSeconds > 0) await runWrk({ url: urls[target], connections, threads: wrkThreads, seconds: warmupSeconds });
          const pids = proxyPids[target]();
          const cpuBefore = cpuOf(pids);
          const wrk = await runWrk({ url: urls[target], connections, threads: wrkThreads, seconds });
          const cpuUsPerRequest = ((cpuOf(pids) - cpuBefore) * 1000) / Math.max(1, wrk.requestsPerSecond * seconds);
          const key = `${target}/${connections}`;
          runs.set(key, [...(runs.get(key) ?? []), { ...wrk, cpuUsPerRequest }]);
          process.stderr.write(
            `round ${round} ${target} c=${connections}: ${wrk.requestsPerSecond.toFixed(0)} req/s p50 ${wrk.p50Ms.toFixed(3)} ms p99 ${wrk.p99Ms.toFixed(3)} ms, ` +
              `${cpuUsPerRequest.toFixed(1)} CPU us/req, load ${(loadavg()[0] ?? 0).toFixed(1)}\n`,
          );
        }
      }
    }
    const results = new Map<string, Summary>();
    for (const [key, list] of runs) results.set(key, summarize(list));
    const snapshot = await gateway.snapshot();
    const count = (service: string) => snapshot.series.filter((s) => s.service === service).reduce((sum, s) => sum + (s.totals[1] ?? 0), 0);
    const a = count('bench/a');
    const b = count('bench/b');

    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    console.log(
      `\nGateway benchmark: ${availableParallelism()} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ` +
        `load (1 min) ${loadBefore.toFixed(1)} at start, ${(loadavg()[0] ?? 0).toFixed(1)} at end`,
    );
    console.log(
      `wrk ${seconds}s per run (+${warmupSeconds}s warm-up), ${threads} threads, ${rounds} interleaved rounds (medians); ` +
        `gateway ${workers} workers, scheduling ${scheduling}; nginx ${workers} workers\n`,
    );
    console.log('`CPU us/req`: CPU time of the serving processes per request (direct: the upstream nginx; nginx: the proxy nginx; gateway: its workers), median and range over the rounds.\n');
    console.log('| connections | target | req/s | p50 ms | p99 ms | errors | CPU us/req | CPU range | vs nginx req/s | vs direct req/s | p99 - nginx p99 ms |');
    console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const connections of connectionCounts) {
      const nginx = results.get(`nginx/${connections}`);
      const direct = results.get(`direct/${connections}`);
      for (const target of ['direct', 'nginx', 'gateway'] as const) {
        const r = results.get(`${target}/${connections}`);
        if (!r || !nginx || !direct) continue;
        console.log(
          `| ${connections} | ${target} | ${r.requestsPerSecond.toFixed(0)} | ${r.p50Ms.toFixed(3)} | ${r.p99Ms.toFixed(3)} | ${r.errors} | ${r.cpuUsPerRequest.toFixed(1)} | ` +
            `${r.cpuMin.toFixed(0)}-${r.cpuMax.toFixed(0)} | ` +
            `${(r.requestsPerSecond / nginx.requestsPerSecond).toFixed(2)} | ${(r.requestsPerSecond / direct.requestsPerSecond).toFixed(2)} | ` +
            `${(r.p99Ms - nginx.p99Ms).toFixed(3)} |`,
        );
      }
    }
    console.log(`\ngateway split: ${a} to a, ${b} to b (${((100 * b) / Math.max(1, a + b)).toFixed(2)}% to b; configured 10%)`);
  } finally {
    for (const part of started.reverse()) await part.stop().catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
