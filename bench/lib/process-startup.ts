// Startup latency of small HTTP servers: as pods of a real `k8ts server --runtime process`
// (create -> Running and -> Ready, seen through a watch), and as the same server processes spawned
// directly by this process (spawn -> 'spawn' event, and -> the port accepts a TCP connection).
// The server is `busybox httpd -f` (default; ~1 MB, starts in ~1 ms) or a node http server
// (BENCH_PROCESS_SERVER=node; ~40 MB and ~100 ms of CPU per process).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../src/api/object.js';
import type { ClientSet } from '../../src/client/resource-client.js';
import { NODES, PODS } from '../../src/client/resource-types.js';
import { runPool } from './pool.js';

type PodObject = Pod & KubeObject;

export type ServerKind = 'busybox' | 'node';

/** The HTTP server's command line, listening on `port`; `docRoot` is busybox httpd's (empty) home. */
export function serverCommand(kind: ServerKind, port: number, docRoot: string): string[] {
  if (kind === 'node') return [process.execPath, '-e', `require('http').createServer((q,s)=>s.end('ok')).listen(${port})`];
  return [existsSync('/bin/busybox') ? '/bin/busybox' : 'busybox', 'httpd', '-f', '-p', String(port), '-h', docRoot];
}

/** A document root with an index page, for busybox httpd (the caller removes it). */
export function makeDocRoot(): string {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-bench-www-'));
  writeFileSync(join(dir, 'index.html'), 'ok\n');
  return dir;
}

export interface StartupTimes {
  /** ms from spawn (or create request) to the process started / the pod Running. */
  readonly started: number[];
  /** ms to the port accepting connections / the pod Ready. */
  readonly ready: number[];
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Spawns `count` servers at once on ports basePort + i; ready = the port accepts a TCP connection
 * (polled every 20 ms per server). Stops them by PID when all are ready (or after timeoutMs).
 */
export async function directSpawn(kind: ServerKind, count: number, basePort: number, docRoot: string, timeoutMs = 60_000): Promise<StartupTimes> {
  const started: number[] = [];
  const ready: number[] = [];
  const children: ChildProcess[] = [];
  const deadline = performance.now() + timeoutMs;
  try {
    await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const port = basePort + i;
        const before = performance.now();
        const [file = '', ...args] = serverCommand(kind, port, docRoot);
        const child = spawn(file, args, { stdio: 'ignore' });
        children.push(child);
        child.once('spawn', () => started.push(performance.now() - before));
        child.once('error', (error) => console.error('direct spawn failed', error));
        while (performance.now() < deadline && child.exitCode === null) {
          if (await accepts(port)) {
            ready.push(performance.now() - before);
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }),
    );
  } finally {
    await Promise.all(
      children.map((child) => new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      })),
    );
  }
  return { started, ready };
}

/** CPU ms of a process itself and of its waited-for children (here: CNI plugins, ip), from /proc. */
export function cpuTimesMs(pid: number): { readonly self: number; readonly children: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  // utime, stime, cutime, cstime are fields 14-17 (1-based), in clock ticks (USER_HZ 100).
  const at = (i: number) => (fields[i] ?? 0) * 10;
  return { self: at(11) + at(12), children: at(13) + at(14) };
}

export async function waitForReadyNode(clients: ClientSet, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const nodes = await clients.resource<Node & KubeObject>(NODES).list(undefined);
    const ready = nodes.items.find((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    if (ready) return ready.metadata?.name ?? '';
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('no Ready node');
}

/** Creates `count` pods running the HTTP server, `concurrency` creates at a time; resolves when all are Ready. */
export async function processPods(
  clients: ClientSet,
  options: {
    readonly count: number;
    readonly concurrency: number;
    readonly kind: ServerKind;
    /** Each pod's port: the same for all (own netns), or basePort + i (host network). */
    readonly port: (index: number) => number;
    readonly docRoot: string;
    readonly timeoutMs: number;
    /** Pods created per second, evenly spaced; absent: as fast as `concurrency` creates go. */
    readonly createRatePerS?: number;
    /** Pod names are `<namePrefix>-<i>` (default `web`). */
    readonly namePrefix?: string;
  },
): Promise<StartupTimes & { readonly podIps: number; readonly missing: number }> {
  const pods = clients.resource<PodObject>(PODS);
  const namespace = 'default';
  const created = new Map<string, number>();
  const running = new Map<string, number>();
  const ready = new Map<string, number>();
  const ips = new Set<string>();
  const controller = new AbortController();
  const resourceVersion = (await pods.list(namespace, { limit: 1 })).metadata.resourceVersion;
  let done: () => void = () => undefined;
  const allReady = new Promise<void>((resolve) => (done = resolve));
  const watching = (async () => {
    for await (const event of pods.watch(namespace, { signal: controller.signal, resourceVersion })) {
      const pod = event.object;
      const name = pod.metadata?.name ?? '';
      const now = performance.now();
      if (pod.status?.phase === 'Running' && !running.has(name)) running.set(name, now);
      if (pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') && !ready.has(name)) {
        ready.set(name, now);
        if (pod.status.podIP) ips.add(pod.status.podIP);
        if (ready.size === options.count) done();
      }
    }
  })().catch((error: unknown) => {
    if (!controller.signal.aborted) console.error('process pods watch failed', error);
  });
  const firstCreate = performance.now();
  await runPool(options.count, options.concurrency, async (i) => {
    const rate = options.createRatePerS ?? 0;
    if (rate > 0) {
      const wait = firstCreate + (i * 1000) / rate - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const name = `${options.namePrefix ?? 'web'}-${i}`;
    created.set(name, performance.now());
    await pods.create(namespace, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace, labels: { app: 'bench-web' } },
      spec: {
        terminationGracePeriodSeconds: 2,
        containers: [{ name: 'web', image: 'k8ts.test/web:1', command: serverCommand(options.kind, options.port(i), options.docRoot) }],
      },
    });
  });
  const timeout = setTimeout(done, options.timeoutMs);
  await allReady;
  clearTimeout(timeout);
  controller.abort();
  await watching;
  const since = (at: Map<string, number>) => [...at].map(([name, t]) => t - (created.get(name) ?? t));
  return { started: since(running), ready: since(ready), podIps: ips.size, missing: options.count - ready.size };
}

/** Deletes the bench pods and waits (up to timeoutMs) until they are gone. */
export async function deletePods(clients: ClientSet, count: number, timeoutMs: number, namePrefix = 'web'): Promise<number> {
  const pods = clients.resource<PodObject>(PODS);
  await runPool(count, 16, async (i) => {
    await pods.delete('default', `${namePrefix}-${i}`).catch(() => undefined);
  });
  const deadline = Date.now() + timeoutMs;
  let left = count;
  while (Date.now() < deadline) {
    left = (await pods.list('default', { labelSelector: 'app=bench-web' })).items.length;
    if (left === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return left;
}
