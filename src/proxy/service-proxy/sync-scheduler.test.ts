import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeTimers } from '../../client/timers.js';
import { silentLogger } from '../../lib/logger.js';
import { SyncScheduler } from './sync-scheduler.js';

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

function setup(options: { fail?: () => boolean } = {}) {
  const timers = new FakeTimers();
  const calls: { full: boolean; at: number }[] = [];
  const scheduler = new SyncScheduler({
    sync: (full) => {
      calls.push({ full, at: timers.clock.now().getTime() });
      return options.fail?.() === true ? Promise.reject(new Error('boom')) : Promise.resolve();
    },
    clock: timers.clock, timers, logger: silentLogger(),
    minIntervalMs: 250, resyncIntervalMs: 30_000, retryMs: 1_000,
  });
  const start = timers.clock.now().getTime();
  return { timers, calls, scheduler, at: (ms: number) => start + ms };
}

describe('SyncScheduler', () => {
  it('starts with a full sync, then turns a burst into one sync no sooner than the minimum interval', async () => {
    const { timers, calls, scheduler, at } = setup();
    scheduler.start();
    timers.advance(0);
    await settle();
    assert.deepEqual(calls, [{ full: true, at: at(0) }]);
    for (let i = 0; i < 10; i++) scheduler.request();
    timers.advance(100);
    await settle();
    assert.equal(calls.length, 1, 'not before 250 ms');
    timers.advance(150);
    await settle();
    assert.deepEqual(calls.slice(1), [{ full: false, at: at(250) }]);
    await scheduler.stop();
  });

  it('runs a full sync every resync interval even without changes', async () => {
    const { timers, calls, scheduler } = setup();
    scheduler.start();
    timers.advance(0);
    await settle();
    timers.advance(30_000);
    await settle();
    assert.deepEqual(calls.map((c) => c.full), [true, true]);
    await scheduler.stop();
  });

  it('retries a failed sync as a full one after the retry delay (a new change may run it sooner); nothing runs after stop', async () => {
    let failures = 1;
    const { timers, calls, scheduler, at } = setup({ fail: () => failures-- > 0 });
    scheduler.start();
    timers.advance(0);
    await settle();
    timers.advance(500);
    await settle();
    assert.equal(calls.length, 1, 'the retry waits 1 s');
    timers.advance(500);
    await settle();
    assert.deepEqual(calls[1], { full: true, at: at(1_000) });
    await scheduler.stop();
    scheduler.request();
    timers.advance(60_000);
    await settle();
    assert.equal(calls.length, 2);
  });
});
