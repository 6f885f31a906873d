// Startup latency of small HTTP servers: as pods of a real `k8ts server --runtime process`
// (create -> Running and -> Ready, seen through a watch), and as the same node processes spawned
// directly by this process (spawn -> 'spawn' event, and -> the server printing that it listens).
import { spawn, type ChildProcess } from 'node:child_process';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../src/api/object.js';
import type { ClientSet } from '../../src/client/resource-client.js';
import { NODES, PODS } from '../../src/client/resource-types.js';
import { runPool } from './pool.js';

type PodObject = Pod & KubeObject;

export function serverScript(port: number): string {
  return `require('http').createServer((q,s)=>s.end('ok')).listen(${port},()=>console.log('listening'))`;
}

export interface StartupTimes {
  /** ms from spawn (or create request) to the process started / the pod Running. */
  readonly started: number[];
  /** ms to listening / the pod Ready. */
  readonly ready: number[];
}

/** Spawns `count` node HTTP servers at once; resolves when all listen, then stops them by PID. */
export async function directSpawn(count: number): Promise<StartupTimes> {
  const started: number[] = [];
  const ready: number[] = [];
  const children: ChildProcess[] = [];
  await Promise.all(
    Array.from({ length: count }, () => {
      const before = performance.now();
      const child = spawn(process.execPath, ['-e', serverScript(0)], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(child);
      return new Promise<void>((resolve, reject) => {
        child.once('spawn', () => started.push(performance.now() - before));
        child.once('error', reject);
        child.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('listening')) {
            ready.push(performance.now() - before);
            resolve();
          }
        });
      });
    }),
  );
  await Promise.all(
    children.map((child) => new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    })),
  );
  return { started, ready };
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
  options: { readonly count: number; readonly concurrency: number; readonly port: number; readonly timeoutMs: number },
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
  await runPool(options.count, options.concurrency, async (i) => {
    const name = `web-${i}`;
    created.set(name, performance.now());
    await pods.create(namespace, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace, labels: { app: 'bench-web' } },
      spec: {
        terminationGracePeriodSeconds: 2,
        containers: [{ name: 'web', image: 'k8ts.test/web:1', command: [process.execPath, '-e', serverScript(options.port)] }],
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
export async function deletePods(clients: ClientSet, count: number, timeoutMs: number): Promise<number> {
  const pods = clients.resource<PodObject>(PODS);
  await runPool(count, 16, async (i) => {
    await pods.delete('default', `web-${i}`).catch(() => undefined);
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
