import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { etcdSkipReason, startEtcd, type RunningEtcd } from '../../../test/helpers/etcd.js';
import { runStoreContract } from '../store.contract.js';
import { EtcdStore } from './etcd-store.js';

const skip = etcdSkipReason();
let etcd: RunningEtcd | undefined;

before(async () => {
  if (skip === undefined) etcd = await startEtcd();
});
after(async () => {
  await etcd?.stop();
});

function endpoint(): string {
  assert.ok(etcd !== undefined, 'etcd is not running');
  return etcd.endpoint;
}

// Every store gets its own prefix, so tests sharing the one etcd never see each other's keys.
runStoreContract('etcd', async () => {
  const store = new EtcdStore({ endpoints: [endpoint()], prefix: `/k8ts-test-${randomUUID()}` });
  return { store, cleanup: () => store.close() };
}, skip !== undefined ? { skip } : {});

void describe('EtcdStore', () => {
  void it('keeps keys under its prefix only', { skip: skip ?? false }, async () => {
    const prefix = `/k8ts-test-${randomUUID()}`;
    const store = new EtcdStore({ endpoints: [endpoint()], prefix });
    const other = new EtcdStore({ endpoints: [endpoint()], prefix: `${prefix}-other` });
    try {
      await store.create('/r/a', 'mine');
      await other.create('/r/a', 'theirs');
      assert.equal((await store.get('/r/a'))?.value, 'mine');
      assert.deepEqual((await store.list({ prefix: '/' })).items.map((kv) => kv.value), ['mine']);
      assert.equal(await store.count('/'), 1);
      const raw = new EtcdStore({ endpoints: [endpoint()] });
      assert.equal((await raw.get(`${prefix}/r/a`))?.value, 'mine');
      await raw.close();
    } finally {
      await store.close();
      await other.close();
    }
  });

  void it('learns a compaction done by another client from etcd errors', { skip: skip ?? false }, async () => {
    const prefix = `/k8ts-test-${randomUUID()}`;
    const compactor = new EtcdStore({ endpoints: [endpoint()], prefix });
    const reader = new EtcdStore({ endpoints: [endpoint()], prefix });
    try {
      const first = await compactor.create('/r/a', '1');
      await compactor.update('/r/a', '2', first.modRevision);
      await compactor.compact(await compactor.currentRevision());
      assert.equal(await reader.compactedRevision(), 0, 'nothing known yet');
      await assert.rejects(reader.list({ prefix: '/r/', revision: first.modRevision }), { code: 'Compacted' });
      assert.ok((await reader.compactedRevision()) >= first.modRevision);
      const controller = new AbortController();
      const fresh = new EtcdStore({ endpoints: [endpoint()], prefix });
      const watch = fresh.watch({ prefix: '/r/', afterRevision: first.modRevision - 1, signal: controller.signal });
      await assert.rejects(watch[Symbol.asyncIterator]().next(), { code: 'Compacted' });
      controller.abort();
      await fresh.close();
    } finally {
      await compactor.close();
      await reader.close();
    }
  });

  void it('fails with UnavailableError when etcd cannot be reached', { skip: skip ?? false }, async () => {
    const store = new EtcdStore({ endpoints: ['http://127.0.0.1:1'], dialTimeoutMs: 500 });
    try {
      await assert.rejects(store.get('/r/a'), { code: 'Unavailable' });
    } finally {
      await store.close();
    }
  });

  void it('ends a watch with UnavailableError when etcd goes away', { skip: skip ?? false }, async () => {
    const own = await startEtcd();
    const store = new EtcdStore({ endpoints: [own.endpoint], prefix: '/k8ts', dialTimeoutMs: 500 });
    const controller = new AbortController();
    try {
      const start = await store.currentRevision();
      const iterator = store.watch({ prefix: '/r/', afterRevision: start, signal: controller.signal })[Symbol.asyncIterator]();
      const created = await store.create('/r/a', 'v');
      assert.equal((await iterator.next()).value?.revision, created.modRevision);
      await own.stop();
      await assert.rejects(iterator.next(), { code: 'Unavailable' });
    } finally {
      controller.abort();
      await store.close();
      await own.stop();
    }
  });
});
