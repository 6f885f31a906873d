// npm run bench:api — API throughput and latency beside raw store calls, in one run.
//
// For each backend (memory, SQLite, etcd) and 1, 16 and 64 concurrent clients, it measures
// create, get, update and list twice: through a real `k8ts server` child process over HTTPS, and
// as the same Store operations called directly in this process. Then a watch fan-out: 1 writer,
// 100 watchers, the delay from the write to each watcher. It prints one markdown table with the
// API/raw ratio, so the numbers mean something even on a noisy shared machine.
//
// Beside throughput and latency it prints CPU time per operation: the server child's (from /proc)
// and the load generator's (this process) for API rows, this process's for raw rows. On a small
// machine where the load generator and the server share the cores, that shows which side was
// busy and what one request costs, independent of how loaded the machine was.
//
// Measurements are of a warm server. A fresh one runs its first thousands of requests in V8's
// baseline tiers: on the 2-core reference machine a create cost ~1,000 µs of server CPU in the
// first 2 s and ~330 µs from the third 2 s on. So each backend first gets BENCH_SERVER_WARMUP_SECONDS
// of every operation at 16 clients (raw store too), and each measurement BENCH_WARMUP_SECONDS of
// its own operation and client count; none of that is timed.
//
// Options (env): BENCH_SECONDS (per measurement, default 2), BENCH_SERVER_WARMUP_SECONDS (per
// operation, once per backend, default 4), BENCH_WARMUP_SECONDS (before each measurement, default
// 1), BENCH_BACKENDS (default memory,sqlite,etcd), BENCH_CLIENTS (default 1,16,64), BENCH_OPS
// (default create,get,update,list), BENCH_FANOUT (0 skips the watch fan-out).
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { MemoryStore } from '../src/storage/memory/memory-store.js';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import { EtcdStore } from '../src/storage/etcd/etcd-store.js';
import type { Store } from '../src/storage/store.js';
import { apiClientFor, type ApiClient } from '../test/helpers/api-client.js';
import { startEtcd } from '../test/helpers/etcd.js';
import { startServer } from '../test/helpers/k8ts-server.js';
import { existsSync } from 'node:fs';
import { processCpuMs, selfCpuMs, withCpu, type CpuSample } from './lib/cpu-usage.js';
import { measure, type Measurement } from './lib/measure.js';
import { fanOutApi, fanOutRaw } from './lib/fan-out.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 2);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 1);
const serverWarmupSeconds = Number(process.env.BENCH_SERVER_WARMUP_SECONDS ?? 4);
const ALL_OPERATIONS = ['create', 'get', 'update', 'list'] as const;
const chosen = (process.env.BENCH_OPS ?? ALL_OPERATIONS.join(',')).split(',');
const OPERATIONS = ALL_OPERATIONS.filter((op) => chosen.includes(op));
const fanOut = process.env.BENCH_FANOUT !== '0';
const backends = (process.env.BENCH_BACKENDS ?? 'memory,sqlite,etcd').split(',');
const clientCounts = (process.env.BENCH_CLIENTS ?? '1,16,64').split(',').map(Number);
const LIST_SIZE = 100;

type Operation = 'create' | 'get' | 'update' | 'list';
type Worker = (client: number, iteration: number) => Promise<void>;

/** Makes create names unique across the warm-up and the measurement (both start at iteration 0). */
let nextCreate = 0;

function configMap(name: string, payload: string) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { payload } };
}

/** The four operations as direct Store calls (keys laid out as the apiserver lays them out). */
async function rawWorkers(store: Store, run: string, clients: number): Promise<Record<Operation, Worker>> {
  const key = (name: string) => `/registry/core/configmaps/bench-${run}/${name}`;
  const owned: { key: string; revision: number }[] = [];
  for (let c = 0; c < clients; c++) {
    const kv = await store.create(key(`owned-${c}`), JSON.stringify(configMap(`owned-${c}`, '0')));
    owned.push({ key: kv.key, revision: kv.modRevision });
  }
  const listPrefix = `/registry/core/configmaps/bench-list-${run}/`;
  for (let i = 0; i < LIST_SIZE; i++) await store.create(`${listPrefix}item-${i}`, JSON.stringify(configMap(`item-${i}`, 'x')));
  return {
    create: async (c, n) => {
      const name = `c${c}-${n}-${nextCreate++}`;
      await store.create(key(name), JSON.stringify(configMap(name, 'x')));
    },
    get: async (c) => {
      const kv = await store.get(owned[c]!.key);
      JSON.parse(kv!.value);
    },
    update: async (c, n) => {
      const mine = owned[c]!;
      const kv = await store.update(mine.key, JSON.stringify(configMap(`owned-${c}`, String(n))), mine.revision);
      mine.revision = kv.modRevision;
    },
    list: async () => {
      const result = await store.list({ prefix: listPrefix });
      for (const item of result.items) JSON.parse(item.value);
    },
  };
}

/** The same four operations through the API server. */
async function apiWorkers(api: ApiClient, run: string, clients: number): Promise<Record<Operation, Worker>> {
  const ns = `bench-${run}`;
  const listNs = `bench-list-${run}`;
  for (const name of [ns, listNs]) {
    await api.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
  }
  const base = `/api/v1/namespaces/${ns}/configmaps`;
  const owned: { name: string; resourceVersion: string }[] = [];
  for (let c = 0; c < clients; c++) {
    const created = await api.request('POST', base, { body: configMap(`owned-${c}`, '0') });
    if (created.status !== 201) throw new Error(`setup create: HTTP ${created.status}: ${created.text}`);
    owned.push({ name: `owned-${c}`, resourceVersion: created.json().metadata.resourceVersion });
  }
  for (let i = 0; i < LIST_SIZE; i++) {
    await api.request('POST', `/api/v1/namespaces/${listNs}/configmaps`, { body: configMap(`item-${i}`, 'x') });
  }
  const expect = (status: number, wanted: number, what: string) => {
    if (status !== wanted) throw new Error(`${what}: HTTP ${status}`);
  };
  return {
    create: async (c, n) => {
      const response = await api.request('POST', base, { body: configMap(`c${c}-${n}-${nextCreate++}`, 'x') });
      expect(response.status, 201, 'create');
    },
    get: async (c) => {
      const response = await api.request('GET', `${base}/${owned[c]!.name}`);
      expect(response.status, 200, 'get');
      response.json();
    },
    update: async (c, n) => {
      const mine = owned[c]!;
      const body = { ...configMap(mine.name, String(n)), metadata: { name: mine.name, resourceVersion: mine.resourceVersion } };
      const response = await api.request('PUT', `${base}/${mine.name}`, { body });
      expect(response.status, 200, 'update');
      mine.resourceVersion = response.json().metadata.resourceVersion;
    },
    list: async () => {
      const response = await api.request('GET', `/api/v1/namespaces/${listNs}/configmaps`);
      expect(response.status, 200, 'list');
      response.json();
    },
  };
}

interface Row {
  readonly backend: string;
  readonly test: string;
  readonly clients: number | string;
  readonly raw: Measurement & { readonly cpu?: CpuSample };
  readonly api: Measurement & { readonly serverCpu?: CpuSample; readonly clientCpu?: CpuSample };
}

async function openRawStore(backend: string, etcdEndpoint: string | undefined, dir: string): Promise<Store> {
  if (backend === 'memory') return new MemoryStore();
  if (backend === 'sqlite') return new SqliteStore({ path: join(dir, 'raw.db') });
  return new EtcdStore({ endpoints: [etcdEndpoint!], prefix: '/bench-raw' });
}

function serverStoreFlag(backend: string, etcdEndpoint: string | undefined): string {
  if (backend === 'etcd') return `etcd://${etcdEndpoint!.replace(/^https?:\/\//, '')}`;
  return backend;
}

async function benchBackend(backend: string, etcdEndpoint: string | undefined): Promise<Row[]> {
  const rows: Row[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-bench-'));
  const raw = await openRawStore(backend, etcdEndpoint, dir);
  const server = await startServer({ store: serverStoreFlag(backend, etcdEndpoint) });
  const api = apiClientFor(server.kubeconfig);
  const serverPid = server.process.pid;
  const serverCpu = () => (serverPid === undefined ? undefined : processCpuMs(serverPid));
  try {
    if (serverWarmupSeconds > 0) {
      process.stderr.write(`  ${backend} warm-up (${serverWarmupSeconds} s per operation)...\n`);
      const rawOps = await rawWorkers(raw, 'warmup', 16);
      const apiOps = await apiWorkers(api, 'warmup', 16);
      for (const op of OPERATIONS) {
        await measure(rawOps[op], 16, serverWarmupSeconds);
        await measure(apiOps[op], 16, serverWarmupSeconds);
      }
    }
    for (const clients of clientCounts) {
      const run = `${clients}`;
      const rawOps = await rawWorkers(raw, run, clients);
      const apiOps = await apiWorkers(api, run, clients);
      for (const op of OPERATIONS) {
        process.stderr.write(`  ${backend} ${op} x${clients}: raw...`);
        await measure(rawOps[op], clients, warmupSeconds);
        const raw = await withCpu({ bench: selfCpuMs }, () => measure(rawOps[op], clients, seconds));
        process.stderr.write(` api...`);
        await measure(apiOps[op], clients, warmupSeconds);
        const api = await withCpu({ server: serverCpu, client: selfCpuMs }, () => measure(apiOps[op], clients, seconds));
        process.stderr.write(` ${Math.round(api.result.opsPerSecond)}/s\n`);
        rows.push({ backend, test: op, clients, raw: { ...raw.result, cpu: raw.cpu.bench }, api: { ...api.result, serverCpu: api.cpu.server, clientCpu: api.cpu.client } });
      }
    }
    if (fanOut) {
      process.stderr.write(`  ${backend} watch fan-out (1 writer, 100 watchers)...\n`);
      const rawFan = await fanOutRaw(raw, 100, 200);
      const apiFan = await fanOutApi(server.kubeconfig, api, 100, 200);
      rows.push({ backend, test: 'watch fan-out (write to each watcher)', clients: '1w/100r', raw: rawFan, api: apiFan });
    }
  } finally {
    api.close();
    await server.stop();
    await server.cleanup();
    await raw.close();
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}

function ms(value: number): string {
  return value < 10 ? value.toFixed(2) : value.toFixed(1);
}

function us(cpu: CpuSample | undefined): string {
  return cpu?.perOpUs === undefined ? '-' : String(Math.round(cpu.perOpUs));
}

function cores(cpu: CpuSample | undefined): string {
  return cpu?.cores === undefined ? '-' : cpu.cores.toFixed(2);
}

async function main(): Promise<void> {
  const etcd = backends.includes('etcd') ? await startEtcd() : undefined;
  const rows: Row[] = [];
  try {
    for (const backend of backends) {
      process.stderr.write(`${backend}:\n`);
      rows.push(...(await benchBackend(backend, etcd?.endpoint)));
    }
  } finally {
    await etcd?.stop();
  }
  const cpu = cpus()[0]?.model ?? 'unknown cpu';
  const built = existsSync(new URL('../dist/cmd/main.js', import.meta.url)) && process.env.K8TS_FROM_SOURCE !== '1';
  console.log(`Machine: ${cpus().length} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${seconds} s per measurement after ${warmupSeconds} s of warm-up (and ${serverWarmupSeconds} s per operation per backend first); server from ${built ? 'dist/ (npm run build)' : 'src/ through tsx'}.\n`);
  console.log('| backend | test | clients | API ops/s | API p50 ms | API p99 ms | server CPU µs/op | server cores | client CPU µs/op | raw ops/s | raw p50 ms | raw p99 ms | raw CPU µs/op | API/raw ops |');
  console.log('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) {
    const ratio = row.raw.opsPerSecond > 0 ? (row.api.opsPerSecond / row.raw.opsPerSecond).toFixed(2) : '-';
    console.log(
      `| ${row.backend} | ${row.test} | ${row.clients} | ${Math.round(row.api.opsPerSecond)} | ${ms(row.api.p50)} | ${ms(row.api.p99)} | ` +
        `${us(row.api.serverCpu)} | ${cores(row.api.serverCpu)} | ${us(row.api.clientCpu)} | ` +
        `${Math.round(row.raw.opsPerSecond)} | ${ms(row.raw.p50)} | ${ms(row.raw.p99)} | ${us(row.raw.cpu)} | ${ratio} |`,
    );
  }
}

await main();
