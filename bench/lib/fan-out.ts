// Watch fan-out: one writer, many watchers. Measures, for every (write, watcher) pair, the time
// from just before the write was issued to the moment that watcher received the event.
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { parse } from 'yaml';
import type { Store } from '../../src/storage/store.js';
import type { ApiClient } from '../../test/helpers/api-client.js';
import { summarize, type Measurement } from './measure.js';

interface Tracker {
  readonly sentAt: Map<string, number>;
  readonly latencies: number[];
  expected: number;
  done?: () => void;
}

function record(tracker: Tracker, name: string): void {
  const sent = tracker.sentAt.get(name);
  if (sent === undefined) return;
  tracker.latencies.push(performance.now() - sent);
  if (tracker.latencies.length >= tracker.expected) tracker.done?.();
}

async function writeAll(tracker: Tracker, writes: number, write: (name: string) => Promise<void>): Promise<number> {
  const finished = new Promise<void>((resolve) => (tracker.done = resolve));
  const started = performance.now();
  for (let i = 0; i < writes; i++) {
    const name = `fan-${i}`;
    tracker.sentAt.set(name, performance.now());
    await write(name);
  }
  await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, 30_000))]);
  return performance.now() - started;
}

export async function fanOutRaw(store: Store, watchers: number, writes: number): Promise<Measurement> {
  const prefix = '/registry/core/configmaps/fanout-raw/';
  const from = await store.currentRevision();
  const tracker: Tracker = { sentAt: new Map(), latencies: [], expected: watchers * writes };
  const abort = new AbortController();
  // One signal for every watcher: not a leak, so no MaxListenersExceededWarning.
  setMaxListeners(watchers + 10, abort.signal);
  const loops = Array.from({ length: watchers }, async () => {
    try {
      for await (const event of store.watch({ prefix, afterRevision: from, signal: abort.signal })) {
        record(tracker, event.kv.key.slice(prefix.length));
      }
    } catch {
      // aborted
    }
  });
  const elapsed = await writeAll(tracker, writes, async (name) => {
    await store.create(prefix + name, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } }));
  });
  abort.abort();
  await Promise.allSettled(loops);
  return summarize(tracker.latencies, elapsed);
}

export async function fanOutApi(kubeconfig: string, api: ApiClient, watchers: number, writes: number): Promise<Measurement> {
  const ns = 'fanout-api';
  await api.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } });
  const list = await api.request('GET', `/api/v1/namespaces/${ns}/configmaps`);
  const rv: string = list.json().metadata.resourceVersion;
  const config = parse(readFileSync(kubeconfig, 'utf8'));
  const server = new URL(config.clusters[0].cluster.server);
  const ca = Buffer.from(config.clusters[0].cluster['certificate-authority-data'], 'base64');
  const token: string = config.users[0].user.token;
  const tracker: Tracker = { sentAt: new Map(), latencies: [], expected: watchers * writes };
  const requests = await Promise.all(
    Array.from(
      { length: watchers },
      () =>
        new Promise<ReturnType<typeof request>>((resolve, reject) => {
          const req = request(
            {
              host: server.hostname,
              port: server.port,
              path: `/api/v1/namespaces/${ns}/configmaps?watch=true&resourceVersion=${rv}`,
              ca,
              headers: { authorization: `Bearer ${token}` },
              agent: false,
            },
            (res) => {
              let buffered = '';
              res.on('data', (chunk: Buffer) => {
                buffered += chunk.toString();
                let newline: number;
                while ((newline = buffered.indexOf('\n')) >= 0) {
                  const line = buffered.slice(0, newline);
                  buffered = buffered.slice(newline + 1);
                  if (line) record(tracker, JSON.parse(line).object.metadata.name);
                }
              });
              res.on('error', () => undefined);
              resolve(req);
            },
          );
          req.on('error', reject);
          req.end();
        }),
    ),
  );
  const elapsed = await writeAll(tracker, writes, async (name) => {
    const response = await api.request('POST', `/api/v1/namespaces/${ns}/configmaps`, {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } },
    });
    if (response.status !== 201) throw new Error(`fan-out create: HTTP ${response.status}`);
  });
  for (const req of requests) req.destroy();
  return summarize(tracker.latencies, elapsed);
}
