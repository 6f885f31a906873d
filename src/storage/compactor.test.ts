import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../lib/clock.js';
import { CompactedError } from '../lib/errors.js';
import { Compactor } from './compactor.js';
import { MemoryStore } from './memory/memory-store.js';
import type { Store } from './store.js';

const MINUTE = 60_000;

async function write(store: Store, n: number): Promise<number> {
  for (let i = 0; i < n; i++) await store.create(`/r/${(await store.currentRevision()) + 1}`, 'v');
  return store.currentRevision();
}

void describe('Compactor', () => {
  void it('compacts to the newest revision that is at least the retention old', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock();
    const compactor = new Compactor({ store, clock, retentionMs: 5 * MINUTE, intervalMs: MINUTE });
    const revisionAtMinute: number[] = [];
    for (let minute = 0; minute <= 7; minute++) {
      revisionAtMinute.push(await write(store, 3));
      await compactor.tick();
      if (minute < 5) assert.equal(await store.compactedRevision(), 0, `minute ${minute}: too young to compact`);
      clock.advance(MINUTE);
    }
    // At minute 7 the newest sample at least 5 minutes old is minute 2's.
    assert.equal(await store.compactedRevision(), revisionAtMinute[2]);
    await assert.rejects(store.list({ prefix: '/r/', revision: revisionAtMinute[2]! }), CompactedError);
    const kept = await store.list({ prefix: '/r/', revision: revisionAtMinute[2]! + 1 });
    assert.equal(kept.revision, revisionAtMinute[2]! + 1, 'history younger than the retention is kept');
    await compactor.stop();
  });

  void it('does nothing while no sample is old enough, and compacts once it is', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock();
    const compactor = new Compactor({ store, clock, retentionMs: 10 * MINUTE });
    const first = await write(store, 5);
    await compactor.tick();
    clock.advance(9 * MINUTE);
    await write(store, 5);
    await compactor.tick();
    assert.equal(await store.compactedRevision(), 0);
    clock.advance(MINUTE);
    await compactor.tick();
    assert.equal(await store.compactedRevision(), first);
  });

  void it('keeps running after the store fails', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock();
    let failures = 1;
    const flaky: Store = Object.assign(Object.create(store) as Store, {
      compact: (revision: number) => (failures-- > 0 ? Promise.reject(new Error('boom')) : store.compact(revision)),
      currentRevision: () => store.currentRevision(),
      compactedRevision: () => store.compactedRevision(),
    });
    const compactor = new Compactor({ store: flaky, clock, retentionMs: MINUTE });
    const first = await write(store, 2);
    await compactor.tick();
    clock.advance(MINUTE);
    await compactor.tick(); // compact fails: this sample is consumed, so the next one is used
    assert.equal(await store.compactedRevision(), 0);
    const second = await write(store, 2);
    await compactor.tick();
    clock.advance(MINUTE);
    await compactor.tick();
    assert.ok(first < second);
    assert.equal(await store.compactedRevision(), second, 'the newest sample old enough at minute 2 is from minute 1');
  });
});
