// Acknowledged writes survive `kill -9`: a stream of creates runs while the server is killed;
// after a restart on the same data, every create that got a 201 is there, and resourceVersions
// never go backwards. Runs on SQLite and on a real etcd.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { apiClientFor, type ApiClient } from '../helpers/api-client.js';
import { startEtcd } from '../helpers/etcd.js';
import { startServer, type RunningServer } from '../helpers/k8ts-server.js';

interface Acknowledged {
  readonly name: string;
  readonly resourceVersion: number;
}

/** Creates ConfigMaps from `writers` concurrent loops until the server stops answering. */
async function createUntilKilled(client: ApiClient, writers: number, stop: { killed: boolean }, acked: Acknowledged[] = []): Promise<Acknowledged[]> {
  let next = 0;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (!stop.killed) {
        const name = `crash-${next++}`;
        try {
          const response = await client.request('POST', '/api/v1/namespaces/default/configmaps', {
            body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { n: name } },
          });
          if (response.status === 201) acked.push({ name, resourceVersion: Number(response.json().metadata.resourceVersion) });
        } catch {
          // The server died mid-request: this create was never acknowledged.
          if (stop.killed) return;
        }
      }
    }),
  );
  return acked;
}

async function crashAndVerify(start: (dataDir?: string, port?: number) => Promise<RunningServer>) {
  const first = await start();
  const client = apiClientFor(first.kubeconfig);
  const stop = { killed: false };
  const acknowledged: Acknowledged[] = [];
  const writing = createUntilKilled(client, 8, stop, acknowledged);
  // Let a few hundred creates through, then pull the plug. Counted, not timed: on a loaded
  // machine a fixed pause could end before the first writes were acknowledged.
  for (const deadline = Date.now() + 60_000; acknowledged.length < 300 && Date.now() < deadline; ) await delay(50);
  stop.killed = true;
  await first.kill();
  const acked = await writing;
  client.close();
  assert.ok(acked.length > 20, `expected a stream of acknowledged creates before the kill, got ${acked.length}`);

  const second = await start(first.dataDir, first.port);
  const after = apiClientFor(second.kubeconfig);
  try {
    const list = await after.request('GET', '/api/v1/namespaces/default/configmaps');
    assert.equal(list.status, 200);
    const present = new Set(list.json().items.map((item: { metadata: { name: string } }) => item.metadata.name));
    const lost = acked.filter((entry) => !present.has(entry.name));
    assert.deepEqual(lost, [], `${lost.length} of ${acked.length} acknowledged creates were lost`);

    const highestAcked = Math.max(...acked.map((entry) => entry.resourceVersion));
    assert.ok(Number(list.json().metadata.resourceVersion) >= highestAcked, 'list resourceVersion went backwards');
    const fresh = await after.request('POST', '/api/v1/namespaces/default/configmaps', {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-restart' } },
    });
    assert.equal(fresh.status, 201);
    assert.ok(Number(fresh.json().metadata.resourceVersion) > highestAcked, 'a new write must get a higher resourceVersion');
  } finally {
    after.close();
    await second.stop();
    await first.cleanup();
  }
}

describe('kill -9 durability', () => {
  it('SQLite: every acknowledged create survives', async () => {
    await crashAndVerify((dataDir, port) =>
      startServer({ store: 'sqlite', ...(dataDir ? { dataDir } : {}), ...(port ? { port } : {}) }),
    );
  });

  describe('etcd', () => {
    let etcd: Awaited<ReturnType<typeof startEtcd>>;
    before(async () => {
      etcd = await startEtcd();
    });
    after(async () => {
      await etcd?.stop();
    });

    it('every acknowledged create survives', async () => {
      const store = `etcd://${etcd.endpoint.replace(/^https?:\/\//, '')}`;
      await crashAndVerify((dataDir, port) => startServer({ store, ...(dataDir ? { dataDir } : {}), ...(port ? { port } : {}) }));
    });
  });
});
