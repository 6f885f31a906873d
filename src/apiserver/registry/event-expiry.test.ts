import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../lib/clock.js';
import { MemoryStore } from '../../storage/memory/memory-store.js';
import { EventExpiry, EVENTS_PREFIX, lastSeen } from './event-expiry.js';

const HOUR = 60 * 60_000;

function event(name: string, times: { created: string; last?: string; eventTime?: string; seriesLast?: string }): [string, string] {
  return [`${EVENTS_PREFIX}default/${name}`, JSON.stringify({
    apiVersion: 'v1', kind: 'Event',
    metadata: { name, namespace: 'default', creationTimestamp: times.created },
    ...(times.last ? { lastTimestamp: times.last } : {}),
    ...(times.eventTime ? { eventTime: times.eventTime } : {}),
    ...(times.seriesLast ? { series: { count: 2, lastObservedTime: times.seriesLast } } : {}),
  })];
}

async function keys(store: MemoryStore): Promise<string[]> {
  return (await store.list({ prefix: EVENTS_PREFIX })).items.map((kv) => kv.key.slice(`${EVENTS_PREFIX}default/`.length));
}

describe('lastSeen', () => {
  it('takes the latest of series.lastObservedTime, lastTimestamp, eventTime and creationTimestamp', () => {
    const [, value] = event('e', { created: '2025-06-01T00:00:00Z', last: '2025-06-01T02:00:00Z', eventTime: '2025-06-01T01:00:00.000000Z' });
    assert.equal(lastSeen(value, 0), Date.parse('2025-06-01T02:00:00Z'));
    const [, series] = event('s', { created: '2025-06-01T00:00:00Z', eventTime: '2025-06-01T00:00:00.000000Z', seriesLast: '2025-06-01T03:00:00.000000Z' });
    assert.equal(lastSeen(series, 0), Date.parse('2025-06-01T03:00:00Z'));
    // A client-supplied old lastTimestamp does not make a new Event expire early.
    const [, old] = event('o', { created: '2025-06-01T05:00:00Z', last: '2020-01-01T00:00:00Z' });
    assert.equal(lastSeen(old, 0), Date.parse('2025-06-01T05:00:00Z'));
    assert.equal(lastSeen('not json', 42), 42);
    assert.equal(lastSeen('{"metadata":{}}', 42), 42);
    // Only real members count: not a message quoting one, not a null.
    const quoting = JSON.stringify({ message: '"eventTime":"2030-01-01T00:00:00Z"', lastTimestamp: null, metadata: { creationTimestamp: '2025-06-01T00:00:00Z' } });
    assert.equal(lastSeen(quoting, 0), Date.parse('2025-06-01T00:00:00Z'));
  });
});

describe('EventExpiry', () => {
  it('deletes Events last seen more than the TTL ago, and only those', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock({ start: new Date('2025-06-01T00:00:00Z') });
    await store.create(...event('before-start', { created: '2025-06-01T00:00:00Z' }));
    await store.create('/registry/core/pods/default/p', '{"metadata":{"creationTimestamp":"2020-01-01T00:00:00Z"}}');
    const expiry = new EventExpiry({ store, clock, ttlMs: HOUR, intervalMs: 3_600_000 });
    expiry.start();
    try {
      await store.create(...event('recurring', { created: '2025-06-01T00:00:00Z', last: '2025-06-01T00:00:00Z' }));
      await store.create(...event('later', { created: '2025-06-01T00:30:00Z' }));
      await expiry.caughtUp();
      assert.equal(expiry.trackedCount, 3, 'the Events only, including the one written before start');

      clock.advance(HOUR - 1);
      assert.equal(await expiry.sweep(), 0, 'nothing is older than the TTL yet');

      // The recurring Event is seen again: its lastTimestamp moves, and so does its expiry.
      const recurring = await store.get(`${EVENTS_PREFIX}default/recurring`);
      assert.ok(recurring);
      await store.update(recurring.key, event('recurring', { created: '2025-06-01T00:00:00Z', last: '2025-06-01T00:50:00Z' })[1], recurring.modRevision);
      await expiry.caughtUp();

      clock.advance(1);
      assert.equal(await expiry.sweep(), 1);
      assert.deepEqual(await keys(store), ['later', 'recurring']);

      clock.advance(30 * 60_000);
      assert.equal(await expiry.sweep(), 1);
      assert.deepEqual(await keys(store), ['recurring']);

      clock.advance(20 * 60_000);
      assert.equal(await expiry.sweep(), 1);
      assert.deepEqual(await keys(store), []);
      assert.ok(await store.get('/registry/core/pods/default/p'), 'other resources are never touched');
      await expiry.caughtUp();
      assert.equal(expiry.trackedCount, 0);
    } finally {
      await expiry.stop();
      await store.close();
    }
  });

  it('leaves an Event that was written again since it was seen (Conflict), for its new expiry', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock({ start: new Date('2025-06-01T00:00:00Z') });
    const expiry = new EventExpiry({ store, clock, ttlMs: HOUR, intervalMs: 3_600_000 });
    expiry.start();
    try {
      const created = await store.create(...event('e', { created: '2025-06-01T00:00:00Z' }));
      await expiry.caughtUp();
      clock.advance(2 * HOUR);
      // Rewritten with a fresh lastTimestamp; the sweep runs before the watch can tell.
      const sweeping = store.update(created.key, event('e', { created: '2025-06-01T00:00:00Z', last: '2025-06-01T02:00:00Z' })[1], created.modRevision)
        .then(() => expiry.sweep());
      assert.equal(await sweeping, 0);
      assert.deepEqual(await keys(store), ['e']);
    } finally {
      await expiry.stop();
      await store.close();
    }
  });
});
