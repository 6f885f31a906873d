import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { UnavailableError } from '../../lib/errors.js';
import { MemoryStore } from '../../storage/memory/memory-store.js';
import type { StoreEvent, Watch } from '../../storage/store.js';
import { ACCEPT_ALL } from './object-filter.js';
import { ends, harness, nextEvent, pod, podStrategy, summary, WRITE, wrapStore } from './registry-fixtures.test.js';
import type { WatchEvent } from './registry-types.js';
import { WatchCache } from './watch-cache.js';

function iterate(events: AsyncIterable<WatchEvent>): AsyncIterator<WatchEvent> {
  return events[Symbol.asyncIterator]();
}

async function take(iterator: AsyncIterator<WatchEvent>, count: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(summary(await nextEvent(iterator)));
  return out;
}

function rvOf(obj: KubeObject): string {
  return obj.metadata?.resourceVersion ?? '';
}

describe('watch', () => {
  it('resumes after a resourceVersion with exactly the later events, in order', async () => {
    const { registry } = harness(podStrategy);
    const a = (await registry.create('default', pod('a'), WRITE)).object;
    await registry.create('default', pod('b'), WRITE);
    const list = await registry.list('default', {});
    const watch = iterate(registry.watch('default', { resourceVersion: list.metadata.resourceVersion, signal: AbortSignal.timeout(10_000) }));
    const c = (await registry.create('default', pod('c'), WRITE)).object;
    const a2 = (await registry.patch('default', 'a', 'merge', { metadata: { labels: { x: 'y' } } }, WRITE)).object;
    const gone = (await registry.delete('default', 'b', { dryRun: false })).object;
    assert.deepEqual(await take(watch, 3), [`ADDED c@${rvOf(c)}`, `MODIFIED a@${rvOf(a2)}`, `DELETED b@${rvOf(gone)}`]);
    assert.notEqual(rvOf(a), rvOf(a2));
    await watch.return?.();
  });

  it('without a resourceVersion sends ADDED for the current state, then every change, with no gap', async () => {
    const { registry } = harness(podStrategy);
    for (const name of ['a', 'b']) await registry.create('default', pod(name), WRITE);
    const watch = iterate(registry.watch('default', { signal: AbortSignal.timeout(10_000) }));
    const first = watch.next();
    // Writes racing with the start of the watch: each must show up exactly once.
    const names = Array.from({ length: 20 }, (_, i) => `p${i}`);
    await Promise.all(names.map((name) => registry.create('default', pod(name), WRITE)));
    const seen: string[] = [];
    const firstEvent = await first;
    assert.equal(firstEvent.done, false);
    seen.push((firstEvent.value).object.metadata?.name ?? '');
    while (seen.length < 22) {
      const event = await nextEvent(watch);
      assert.equal(event.type, 'ADDED');
      seen.push(event.object.metadata?.name ?? '');
    }
    assert.deepEqual([...seen].sort(), ['a', 'b', ...names].sort());
    assert.equal(new Set(seen).size, 22, 'no duplicates');
    assert.deepEqual(seen.slice(0, 2), ['a', 'b'], 'the initial state comes first');
    await watch.return?.();
  });

  it('resourceVersion=0 starts from the cached state', async () => {
    const { registry } = harness(podStrategy);
    await registry.create('default', pod('a'), WRITE);
    await registry.list('default', {});
    const watch = iterate(registry.watch('default', { resourceVersion: '0', signal: AbortSignal.timeout(10_000) }));
    assert.equal(summary(await nextEvent(watch)).startsWith('ADDED a@'), true);
    const b = (await registry.create('default', pod('b'), WRITE)).object;
    assert.equal(summary(await nextEvent(watch)), `ADDED b@${rvOf(b)}`);
    await watch.return?.();
  });

  it('filters by namespace and turns selector transitions into ADDED / DELETED', async () => {
    const { registry } = harness(podStrategy);
    await registry.create('default', pod('seed'), WRITE);
    const start = await registry.list(undefined, {});
    const watch = iterate(registry.watch('default', {
      resourceVersion: start.metadata.resourceVersion, labelSelector: 'app=web', signal: AbortSignal.timeout(10_000),
    }));
    await registry.create('other', pod('elsewhere', { namespace: 'other', labels: { app: 'web' } }), WRITE);
    await registry.create('default', pod('p', { labels: { app: 'db' } }), WRITE);
    const entered = (await registry.patch('default', 'p', 'merge', { metadata: { labels: { app: 'web' } } }, WRITE)).object;
    const changed = (await registry.patch('default', 'p', 'merge', { spec: { restartPolicy: 'Never' } }, WRITE)).object;
    const left = (await registry.patch('default', 'p', 'merge', { metadata: { labels: { app: 'db' } } }, WRITE)).object;
    await registry.delete('default', 'p', { dryRun: false });
    const marker = (await registry.create('default', pod('marker', { labels: { app: 'web' } }), WRITE)).object;
    const events: WatchEvent[] = [];
    for (let i = 0; i < 4; i++) events.push(await nextEvent(watch));
    assert.deepEqual(events.map(summary), [
      `ADDED p@${rvOf(entered)}`, `MODIFIED p@${rvOf(changed)}`, `DELETED p@${rvOf(left)}`, `ADDED marker@${rvOf(marker)}`,
    ]);
    // The DELETED for leaving the selector carries the previous content (still app=web).
    assert.deepEqual(events[2]?.object.metadata?.labels, { app: 'web' });
    await watch.return?.();
  });

  it('serves a resume point older than the window from the store', async () => {
    const { registry } = harness(podStrategy, { watchCacheCapacity: 2 });
    const start = await registry.list('default', {});
    const made: KubeObject[] = [];
    for (const name of ['a', 'b', 'c', 'd']) made.push((await registry.create('default', pod(name), WRITE)).object);
    // Let the cache see the writes (its window now holds only c and d).
    const live = iterate(registry.watch('default', { resourceVersion: rvOf(made[3] ?? {}), signal: AbortSignal.timeout(10_000) }));
    const e = (await registry.create('default', pod('e'), WRITE)).object;
    assert.equal(summary(await nextEvent(live)), `ADDED e@${rvOf(e)}`);
    const old = iterate(registry.watch('default', { resourceVersion: start.metadata.resourceVersion, signal: AbortSignal.timeout(10_000) }));
    assert.deepEqual((await take(old, 5)).map((s) => s.split('@')[0]), ['ADDED a', 'ADDED b', 'ADDED c', 'ADDED d', 'ADDED e']);
    await live.return?.();
    await old.return?.();
  });

  it('by default keeps recent history beyond 1,024 events: a lagging watcher resumes from the cache, not the store', async () => {
    const inner = new MemoryStore();
    let storeWatches = 0;
    const store = wrapStore(inner, { watch: (options) => { storeWatches++; return inner.watch(options); } });
    const { registry } = harness(podStrategy, { store });
    const start = await registry.list('default', {});
    // Start the cache (it starts with its first watch) before the writes.
    const first = iterate(registry.watch('default', { resourceVersion: start.metadata.resourceVersion, signal: AbortSignal.timeout(10_000) }));
    const firstPod = (await registry.create('default', pod('first'), WRITE)).object;
    assert.equal(summary(await nextEvent(first)).split('@')[0], 'ADDED first');
    await first.return?.();
    const names = Array.from({ length: 1100 }, (_, i) => `p${i}`);
    for (const name of names) await registry.create('default', pod(name), WRITE);
    const last = (await registry.create('default', pod('last'), WRITE)).object;
    // A live watch from the newest revision: once it sees a write, the cache has applied every earlier one.
    const live = iterate(registry.watch('default', { resourceVersion: rvOf(last), signal: AbortSignal.timeout(10_000) }));
    await registry.create('default', pod('probe'), WRITE);
    assert.equal(summary(await nextEvent(live)).split('@')[0], 'ADDED probe');
    const watchesBefore = storeWatches;
    // Resume right after the first write: 1,102 events back, more than the old fixed window of 1,024.
    const old = iterate(registry.watch('default', { resourceVersion: rvOf(firstPod), signal: AbortSignal.timeout(10_000) }));
    const replayed = (await take(old, 1102)).map((s) => s.split('@')[0]);
    assert.deepEqual(replayed.slice(0, 2), ['ADDED p0', 'ADDED p1']);
    assert.deepEqual(replayed.slice(-2), ['ADDED last', 'ADDED probe']);
    assert.equal(storeWatches, watchesBefore, 'no store watch was opened for the lagging watcher');
    await live.return?.();
    await old.return?.();
    registry.close();
    await inner.close();
  });

  it('a compacted resume point ends the watch with ERROR 410 Expired', async () => {
    const { registry, store } = harness(podStrategy, { watchCacheCapacity: 1 });
    await registry.list('default', {});
    for (const name of ['a', 'b', 'c']) await registry.create('default', pod(name), WRITE);
    await store.compact(await store.currentRevision());
    const compacted = await store.compactedRevision();
    const watch = iterate(registry.watch('default', { resourceVersion: '1', signal: AbortSignal.timeout(10_000) }));
    const event = await nextEvent(watch);
    assert.equal(event.type, 'ERROR');
    assert.deepEqual(event.object, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: `too old resource version: 1 (${compacted})`, reason: 'Expired', code: 410,
    });
    assert.equal(await ends(watch), true);
  });

  it('sends bookmarks with the latest revision when allowed', async () => {
    const { registry, store } = harness(podStrategy, { bookmarkIntervalMs: 5 });
    await registry.create('default', pod('a'), WRITE);
    const list = await registry.list('default', {});
    const watch = iterate(registry.watch('default', { resourceVersion: list.metadata.resourceVersion, allowWatchBookmarks: true, signal: AbortSignal.timeout(10_000) }));
    const event = await nextEvent(watch);
    assert.deepEqual(event, {
      type: 'BOOKMARK', object: { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: String(await store.currentRevision()) } },
    });
    await watch.return?.();
  });

  it('sendInitialEvents ends the initial state with the initial-events-end bookmark', async () => {
    const { registry, store } = harness(podStrategy);
    await registry.create('default', pod('a'), WRITE);
    const watch = iterate(registry.watch('default', { sendInitialEvents: true, allowWatchBookmarks: true, signal: AbortSignal.timeout(10_000) }));
    assert.equal((await nextEvent(watch)).type, 'ADDED');
    const bookmark = await nextEvent(watch);
    assert.equal(bookmark.type, 'BOOKMARK');
    assert.deepEqual(bookmark.object.metadata, {
      resourceVersion: String(await store.currentRevision()), annotations: { 'k8s.io/initial-events-end': 'true' },
    });
    await watch.return?.();
  });

  it('fans one event out to 100 watchers as one shared, frozen, once-decoded object', async () => {
    const { registry } = harness(podStrategy);
    const list = await registry.list('default', {});
    const watches = Array.from({ length: 100 }, () =>
      iterate(registry.watch('default', { resourceVersion: list.metadata.resourceVersion, signal: AbortSignal.timeout(10_000) })));
    const firsts = watches.map((w) => w.next());
    await registry.create('default', pod('a'), WRITE);
    const events = (await Promise.all(firsts)).map((r) => r.value as WatchEvent);
    const [first] = events;
    assert.ok(first);
    for (const event of events) {
      assert.equal(event, first, 'the same WatchEvent object');
      assert.equal(event.object, first.object, 'decoded once');
    }
    assert.equal(Object.isFrozen(first.object), true);
    assert.equal(Object.isFrozen(first.object.metadata), true);
    assert.throws(() => {
      (first.object.metadata as { name: string }).name = 'x';
    }, TypeError);
    for (const w of watches) await w.return?.();
  });

  it('closes a watcher that falls too far behind without slowing the others', async () => {
    const { registry } = harness(podStrategy, { watcherQueueLimit: 3 });
    const list = await registry.list('default', {});
    const slow = iterate(registry.watch('default', { resourceVersion: list.metadata.resourceVersion, signal: AbortSignal.timeout(10_000) }));
    const fast = iterate(registry.watch('default', { resourceVersion: list.metadata.resourceVersion, signal: AbortSignal.timeout(10_000) }));
    const slowFirst = slow.next();
    const names = Array.from({ length: 10 }, (_, i) => `p${i}`);
    // The fast watcher consumes while the writes happen; the slow one does not.
    const fastNames: (string | undefined)[] = [];
    const consumer = (async () => {
      while (fastNames.length < 10) fastNames.push((await nextEvent(fast)).object.metadata?.name);
    })();
    for (const name of names) {
      await registry.create('default', pod(name), WRITE);
      // Let the consuming watcher drain (a turn of the event loop; no timing involved).
      await new Promise((resolve) => setImmediate(resolve));
    }
    await consumer;
    assert.deepEqual(fastNames, names);
    const slowNames = [(await slowFirst).value?.object.metadata?.name];
    for (;;) {
      const next = await slow.next();
      if (next.done) break;
      slowNames.push(next.value.object.metadata?.name);
    }
    assert.ok(slowNames.length < 10, `the slow watcher was closed (got ${slowNames.length})`);
    assert.deepEqual(slowNames, names.slice(0, slowNames.length), 'what it got is a gap-free prefix');
    await fast.return?.();
  });

  it('an aborted watch ends', async () => {
    const { registry } = harness(podStrategy);
    const controller = new AbortController();
    const watch = iterate(registry.watch('default', { resourceVersion: '0', signal: controller.signal }));
    const pending = watch.next();
    await registry.create('default', pod('a'), WRITE);
    await pending;
    const after = watch.next();
    controller.abort();
    assert.equal((await after).done, true);
  });
});

describe('WatchCache', () => {
  it('restarts its store watch from the last revision after UnavailableError', async () => {
    const store = new MemoryStore();
    let failures = 0;
    const flaky = wrapStore(store, {
      watch: (options): Watch => {
        if (failures > 0) return store.watch(options);
        failures++;
        // Deliver what the real watch delivers, then drop the connection after the first event.
        return (async function* (): AsyncGenerator<StoreEvent> {
          for await (const event of store.watch(options)) {
            yield event;
            throw new UnavailableError('connection lost');
          }
        })();
      },
    });
    const cache = new WatchCache({ store: flaky, info: podStrategy.info, prefix: '/registry/core/pods/', retryDelayMs: 1 });
    await cache.ensureStarted();
    const watch = iterate(cache.watch({
      keyPrefix: '/registry/core/pods/', filter: ACCEPT_ALL, start: { kind: 'resume', afterRevision: cache.revision },
      allowBookmarks: false, initialEventsEnd: false, signal: AbortSignal.timeout(10_000),
    }));
    const value = (name: string): string => JSON.stringify({ metadata: { name, namespace: 'default' } });
    await store.create('/registry/core/pods/default/a', value('a'));
    assert.equal((await nextEvent(watch)).object.metadata?.name, 'a');
    await store.create('/registry/core/pods/default/b', value('b'));
    await store.create('/registry/core/pods/default/c', value('c'));
    assert.deepEqual([(await nextEvent(watch)).object.metadata?.name, (await nextEvent(watch)).object.metadata?.name], ['b', 'c']);
    assert.equal(failures, 1);
    cache.close();
    assert.equal(await ends(watch), true);
  });
});
