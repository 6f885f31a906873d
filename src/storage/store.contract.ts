// The behaviour every Store backend must have (DESIGN.md: contract suites run against every
// backend of a seam). Each backend's test file calls runStoreContract with a factory.
//
// Revisions are compared relative to each other, never to absolute numbers, because an etcd
// backend shares one revision counter with everything else in the cluster.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AlreadyExistsError, CompactedError, ConflictError, NotFoundError } from '../lib/errors.js';
import type { KeyValue, Store, StoreEvent } from './store.js';

export interface StoreUnderTest {
  readonly store: Store;
  cleanup(): Promise<void>;
}

export interface StoreContractOptions {
  /** Skip the whole suite (e.g. etcd not installed) with this reason. */
  readonly skip?: string;
}

export function runStoreContract(
  name: string,
  makeStore: () => Promise<StoreUnderTest>,
  options: StoreContractOptions = {},
): void {
  void describe(`Store contract: ${name}`, { skip: options.skip ?? false }, () => {
    let current: StoreUnderTest | undefined;
    const fresh = async (): Promise<Store> => {
      if (current !== undefined) await current.cleanup();
      current = await makeStore();
      return current.store;
    };
    before(() => {
      current = undefined;
    });
    after(async () => {
      if (current !== undefined) await current.cleanup();
      current = undefined;
    });

    void it('creates, reads, updates and deletes a key', async () => {
      const store = await fresh();
      assert.equal(await store.get('/r/a'), undefined);
      const created = await store.create('/r/a', 'v1');
      assert.equal(created.key, '/r/a');
      assert.equal(created.value, 'v1');
      assert.ok(created.modRevision > 0);
      assert.equal(created.createRevision, created.modRevision);
      assert.equal(await store.currentRevision(), created.modRevision);
      assert.deepEqual(await store.get('/r/a'), created);

      const updated = await store.update('/r/a', 'v2', created.modRevision);
      assert.ok(updated.modRevision > created.modRevision);
      assert.equal(updated.createRevision, created.createRevision);
      assert.deepEqual(await store.get('/r/a'), updated);

      const deleted = await store.delete('/r/a', updated.modRevision);
      assert.equal(deleted.value, 'v2');
      assert.ok(deleted.modRevision > updated.modRevision);
      assert.equal(deleted.createRevision, created.createRevision);
      assert.equal(await store.currentRevision(), deleted.modRevision);
      assert.equal(await store.get('/r/a'), undefined);

      await assert.rejects(store.update('/r/a', 'v3', deleted.modRevision), NotFoundError);
      await assert.rejects(store.delete('/r/a'), NotFoundError);
      const again = await store.create('/r/a', 'v4');
      assert.ok(again.createRevision > deleted.modRevision, 'a re-created key starts a new life');
      const plainDelete = await store.delete('/r/a');
      assert.equal(plainDelete.value, 'v4');
    });

    void it('rejects creating an existing key with AlreadyExistsError', async () => {
      const store = await fresh();
      const first = await store.create('/r/a', 'v1');
      await assert.rejects(store.create('/r/a', 'v2'), AlreadyExistsError);
      assert.deepEqual(await store.get('/r/a'), first);
    });

    void it('rejects an update or delete at a stale revision with ConflictError', async () => {
      const store = await fresh();
      const first = await store.create('/r/a', 'v1');
      const second = await store.update('/r/a', 'v2', first.modRevision);
      await assert.rejects(store.update('/r/a', 'v3', first.modRevision), (error: unknown) => {
        assert.ok(error instanceof ConflictError);
        assert.equal(error.currentRevision, second.modRevision);
        return true;
      });
      await assert.rejects(store.delete('/r/a', first.modRevision), ConflictError);
      assert.deepEqual(await store.get('/r/a'), second);
    });

    void it('lets exactly one of 20 concurrent writers win each compare-and-swap', async () => {
      const store = await fresh();
      let kv = await store.create('/r/counter', '0');
      for (let round = 0; round < 5; round++) {
        const base = kv;
        const results = await Promise.allSettled(
          Array.from({ length: 20 }, (_, i) => store.update('/r/counter', `${round}:${i}`, base.modRevision)),
        );
        const winners = results.filter((r) => r.status === 'fulfilled');
        const losers = results.filter((r) => r.status === 'rejected');
        assert.equal(winners.length, 1, `round ${round}: one winner`);
        for (const loser of losers) assert.ok(loser.reason instanceof ConflictError, String(loser.reason));
        kv = (winners[0] as PromiseFulfilledResult<KeyValue>).value;
        assert.deepEqual(await store.get('/r/counter'), kv);
      }
    });

    void it('loses no increment when 20 writers retry their compare-and-swap', async () => {
      const store = await fresh();
      await store.create('/r/counter', '0');
      const revisions: number[] = [];
      const increment = async (): Promise<void> => {
        for (;;) {
          const kv = await store.get('/r/counter');
          assert.ok(kv !== undefined);
          try {
            const next = await store.update('/r/counter', String(Number(kv.value) + 1), kv.modRevision);
            revisions.push(next.modRevision);
            return;
          } catch (error) {
            if (!(error instanceof ConflictError)) throw error;
          }
        }
      };
      await Promise.all(Array.from({ length: 20 }, async () => {
        for (let i = 0; i < 3; i++) await increment();
      }));
      assert.equal((await store.get('/r/counter'))?.value, '60');
      assert.equal(new Set(revisions).size, 60, 'every successful write has its own revision');
    });

    void it('gives every write a strictly greater revision', async () => {
      const store = await fresh();
      const seen: number[] = [];
      for (let i = 0; i < 10; i++) seen.push((await store.create(`/r/k${i}`, 'v')).modRevision);
      const concurrent = await Promise.all(Array.from({ length: 10 }, (_, i) => store.create(`/r/c${i}`, 'v')));
      const concurrentRevisions = concurrent.map((kv) => kv.modRevision);
      assert.equal(new Set(concurrentRevisions).size, 10);
      for (const r of concurrentRevisions) assert.ok(r > (seen.at(-1) ?? 0));
      seen.push(Math.max(...concurrentRevisions));
      seen.push((await store.delete('/r/k0')).modRevision);
      for (let i = 1; i < seen.length; i++) assert.ok((seen[i] as number) > (seen[i - 1] as number));
      assert.equal(await store.currentRevision(), seen.at(-1));
    });

    void it('lists by prefix in key order and counts keys', async () => {
      const store = await fresh();
      for (const key of ['/r/b/2', '/r/a', '/r/b/10', '/r/b/1', '/r/b0', '/r/b/', '/r/c/1', '/q/b/1']) {
        await store.create(key, `value of ${key}`);
      }
      const result = await store.list({ prefix: '/r/b/' });
      assert.deepEqual(result.items.map((kv) => kv.key), ['/r/b/', '/r/b/1', '/r/b/10', '/r/b/2']);
      assert.equal(result.items[1]?.value, 'value of /r/b/1');
      assert.equal(result.more, false);
      assert.equal(result.revision, await store.currentRevision());
      assert.equal(await store.count('/r/b/'), 4);
      assert.equal(await store.count('/r/'), 7);
      assert.equal(await store.count('/nothing/'), 0);
      await store.delete('/r/b/1');
      assert.equal(await store.count('/r/b/'), 3);
      assert.deepEqual((await store.list({ prefix: '/r/' })).items.map((kv) => kv.key),
        ['/r/a', '/r/b/', '/r/b/10', '/r/b/2', '/r/b0', '/r/c/1']);
    });

    void it('lists the state as it was at an older revision', async () => {
      const store = await fresh();
      const a0 = await store.create('/r/a', 'a0');
      const a = await store.update('/r/a', 'a1', a0.modRevision);
      await store.delete((await store.create('/r/b', 'b0')).key);
      const b = await store.create('/r/b', 'b1');
      await store.delete((await store.create('/r/x', 'x0')).key);
      const then = b.modRevision;
      await store.update('/r/a', 'a2', a.modRevision);
      await store.delete('/r/b');
      await store.create('/r/c', 'c1');
      const old = await store.list({ prefix: '/r/', revision: then });
      assert.equal(old.revision, then);
      assert.deepEqual(old.items, [a, b]);
      const now = await store.list({ prefix: '/r/' });
      assert.deepEqual(now.items.map((kv) => [kv.key, kv.value]), [['/r/a', 'a2'], ['/r/c', 'c1']]);
      const future = await store.list({ prefix: '/r/', revision: now.revision + 1000 });
      assert.deepEqual(future.items, now.items);
    });

    void it('pages consistently at a fixed revision while writes happen between pages', async () => {
      const store = await fresh();
      const keys = Array.from({ length: 25 }, (_, i) => `/r/k${String(i).padStart(2, '0')}`);
      for (const key of keys) await store.create(key, `${key}@1`);
      await store.create('/s/outside', 'x');
      const snapshot = await store.list({ prefix: '/r/' });
      const pages: KeyValue[][] = [];
      // Writes after the snapshot, ahead of the cursor, must not show up in later pages.
      const between = [
        { remove: '/r/k19', change: '/r/k15', add: '/r/k15x' },
        { remove: '/r/k24', change: '/r/k22', add: '/r/k22x' },
      ];
      let page = await store.list({ prefix: '/r/', limit: 10 });
      const revision = page.revision;
      const remainders: (number | undefined)[] = [];
      for (;;) {
        pages.push([...page.items]);
        remainders.push(page.remaining);
        if (!page.more) break;
        const writes = between[pages.length - 1];
        assert.ok(writes !== undefined, 'too many pages');
        await store.delete(writes.remove);
        const victim = await store.get(writes.change);
        assert.ok(victim !== undefined);
        await store.update(victim.key, 'changed', victim.modRevision);
        await store.create(writes.add, 'new');
        const last = page.items.at(-1);
        assert.ok(last !== undefined);
        page = await store.list({ prefix: '/r/', limit: 10, revision, startAfter: last.key });
        assert.equal(page.revision, revision);
      }
      assert.deepEqual(pages.map((p) => p.length), [10, 10, 5]);
      assert.deepEqual(remainders, [15, 5, 0], 'remaining counts the snapshot, not the writes made since');
      assert.deepEqual(pages.flat(), snapshot.items);
      const exact = await store.list({ prefix: '/r/', limit: 25, revision });
      assert.equal(exact.more, false, 'a page that ends exactly at the last key has no more');
    });

    void it('counts the keys after a page of the current state (remaining)', async () => {
      // `remaining` is optional in the contract; every backend here reports it, so it is checked.
      const store = await fresh();
      for (let i = 0; i < 12; i++) await store.create(`/r/k${String(i).padStart(2, '0')}`, 'v');
      await store.create('/r0', 'outside: a longer key with the same leading characters');
      await store.create('/s/other', 'x');
      await store.delete('/r/k10');
      const first = await store.list({ prefix: '/r/', limit: 5 });
      assert.equal(first.more, true);
      assert.equal(first.remaining, 6, 'keys k05..k11 without the deleted k10');
      const last = first.items.at(-1);
      assert.ok(last !== undefined);
      const rest = await store.list({ prefix: '/r/', limit: 6, startAfter: last.key });
      assert.equal(rest.more, false);
      assert.equal(rest.remaining, 0);
      const unlimited = await store.list({ prefix: '/r/' });
      assert.equal(unlimited.items.length, 11);
    });

    void it('watches from a revision: exactly the later events, in order', async () => {
      const store = await fresh();
      await store.create('/r/before', 'x');
      const start = await store.currentRevision();
      const a = await store.create('/r/a', 'a1');
      await store.create('/s/other', 'ignored');
      const a2 = await store.update('/r/a', 'a2', a.modRevision);
      const controller = new AbortController();
      const watch = store.watch({ prefix: '/r/', afterRevision: start, signal: controller.signal });
      const a3 = await store.delete('/r/a');
      const b = await store.create('/r/b', 'b1');
      const events = await take(watch, 4);
      controller.abort();
      assert.deepEqual(events.map(describeEvent), [
        `added /r/a a1 @${a.modRevision}`,
        `modified /r/a a2 @${a2.modRevision}`,
        `deleted /r/a a2 @${a3.modRevision}`,
        `added /r/b b1 @${b.modRevision}`,
      ]);
      assert.deepEqual(events[1]?.prevKv, a);
      assert.deepEqual(events[1]?.kv, a2);
    });

    void it('watches with no gap and no duplicate while writes race with the watch start', async () => {
      const store = await fresh();
      const start = await store.currentRevision();
      const history = await Promise.all(Array.from({ length: 300 }, (_, i) => store.create(`/r/h${i}`, 'v')));
      const controller = new AbortController();
      const racing = Array.from({ length: 200 }, (_, i) => store.create(`/r/live${i}`, 'v'));
      const watch = store.watch({ prefix: '/r/', afterRevision: start, signal: controller.signal });
      const live = await Promise.all(racing);
      const expected = [...history, ...live].map((kv) => kv.modRevision).sort((x, y) => x - y);
      const iterator = watch[Symbol.asyncIterator]();
      const got: number[] = [];
      while (got.length < expected.length) got.push((await nextEvent(iterator)).revision);
      assert.deepEqual(got, expected);
      // A later write must be the very next event: nothing duplicated or extra was queued before it.
      const sentinel = await store.create('/r/sentinel', 'v');
      assert.equal((await nextEvent(iterator)).revision, sentinel.modRevision);
      controller.abort();
      assert.equal((await iterator.next()).done, true, 'an aborted watch ends');
    });

    void it('resumes after a reconnect from the last seen revision', async () => {
      const store = await fresh();
      const start = await store.currentRevision();
      const written: KeyValue[] = [];
      for (let i = 0; i < 6; i++) written.push(await store.create(`/r/k${i}`, 'v'));
      const first = new AbortController();
      const firstEvents = await take(store.watch({ prefix: '/r/', afterRevision: start, signal: first.signal }), 3);
      first.abort();
      for (let i = 6; i < 9; i++) written.push(await store.create(`/r/k${i}`, 'v'));
      const lastSeen = firstEvents.at(-1)?.revision;
      assert.ok(lastSeen !== undefined);
      const second = new AbortController();
      const rest = await take(store.watch({ prefix: '/r/', afterRevision: lastSeen, signal: second.signal }), 6);
      second.abort();
      assert.deepEqual([...firstEvents, ...rest].map((e) => e.revision), written.map((kv) => kv.modRevision));
    });

    void it('carries the previous value on deleted events', async () => {
      const store = await fresh();
      const start = await store.currentRevision();
      const created = await store.create('/r/a', 'v1');
      const updated = await store.update('/r/a', 'v2', created.modRevision);
      const deleted = await store.delete('/r/a');
      const controller = new AbortController();
      const events = await take(store.watch({ prefix: '/r/a', afterRevision: start, signal: controller.signal }), 3);
      controller.abort();
      const event = events[2];
      assert.equal(event?.type, 'deleted');
      assert.equal(event.revision, deleted.modRevision);
      assert.deepEqual(event.kv, { key: '/r/a', value: 'v2', createRevision: created.createRevision, modRevision: deleted.modRevision });
      assert.deepEqual(event.prevKv, updated);
      assert.equal(events[0]?.prevKv, undefined, 'an added event has no previous value');
    });

    void it('compacts: old revisions fail with CompactedError, the current state survives', async () => {
      const store = await fresh();
      const a = await store.create('/r/a', 'a1');
      const b = await store.create('/r/b', 'b1');
      await store.create('/r/gone', 'x');
      const beforeCompaction = await store.currentRevision();
      await store.delete('/r/gone');
      const a2 = await store.update('/r/a', 'a2', a.modRevision);
      const compactAt = await store.currentRevision();
      const c = await store.create('/r/c', 'c1');
      await store.compact(compactAt);
      assert.equal(await store.compactedRevision(), compactAt);

      await assert.rejects(store.list({ prefix: '/r/', revision: beforeCompaction }), CompactedError);
      await assert.rejects(store.list({ prefix: '/r/', revision: compactAt }), CompactedError);
      const stale = new AbortController();
      await assert.rejects(take(store.watch({ prefix: '/r/', afterRevision: beforeCompaction, signal: stale.signal }), 1), CompactedError);
      stale.abort();

      assert.deepEqual((await store.list({ prefix: '/r/' })).items, [a2, b, c]);
      assert.deepEqual((await store.list({ prefix: '/r/', revision: c.modRevision })).items, [a2, b, c]);
      assert.equal(await store.count('/r/'), 3);
      const controller = new AbortController();
      const events = await take(store.watch({ prefix: '/r/', afterRevision: compactAt, signal: controller.signal }), 1);
      controller.abort();
      assert.equal(events[0]?.revision, c.modRevision);
      const b2 = await store.update('/r/b', 'b2', b.modRevision);
      assert.ok(b2.modRevision > c.modRevision, 'revisions keep increasing after compaction');
    });
  });
}

async function nextEvent(iterator: AsyncIterator<StoreEvent>): Promise<StoreEvent> {
  const result = await iterator.next();
  assert.equal(result.done, false, 'the watch ended early');
  return result.value;
}

/** The first `n` events of a watch (the caller aborts it afterwards). */
async function take(watch: AsyncIterable<StoreEvent>, n: number): Promise<StoreEvent[]> {
  const iterator = watch[Symbol.asyncIterator]();
  const events: StoreEvent[] = [];
  while (events.length < n) events.push(await nextEvent(iterator));
  return events;
}

function describeEvent(event: StoreEvent): string {
  return `${event.type} ${event.kv.key} ${event.kv.value} @${event.revision}`;
}
