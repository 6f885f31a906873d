import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeTimers } from '../timers.js';
import { defaultControllerRateLimiter } from './rate-limiter.js';
import { WorkQueue } from './work-queue.js';

function fakeQueue(): { queue: WorkQueue<string>; timers: FakeTimers } {
  const timers = new FakeTimers();
  return { queue: new WorkQueue<string>({ timers, clock: timers.clock }), timers };
}

test('a key added twice is handed out once, in order', async () => {
  const { queue } = fakeQueue();
  queue.add('a');
  queue.add('b');
  queue.add('a');
  assert.equal(queue.length, 2);
  assert.equal(await queue.get(), 'a');
  assert.equal(await queue.get(), 'b');
  assert.equal(queue.length, 0);
});

test('a key re-added while processing waits for done, so two workers never hold it', async () => {
  const { queue } = fakeQueue();
  queue.add('a');
  const first = await queue.get();
  queue.add('a');
  queue.add('a');
  assert.equal(queue.length, 0, 'parked, not queued, while a worker holds it');
  let second: string | undefined;
  void queue.get().then((key) => (second = key));
  await Promise.resolve();
  assert.equal(second, undefined);
  queue.done(first ?? '');
  await Promise.resolve();
  assert.equal(second, 'a');
  queue.done('a');
  assert.equal(queue.length, 0);
});

test('a waiting get receives the next add', async () => {
  const { queue } = fakeQueue();
  const pending = queue.get();
  queue.add('x');
  assert.equal(await pending, 'x');
});

test('addAfter waits on the injected timers; the earliest deadline wins', async () => {
  const { queue, timers } = fakeQueue();
  queue.addAfter('a', 1000);
  queue.addAfter('a', 5000);
  queue.addAfter('b', 2000);
  queue.addAfter('b', 500);
  timers.advance(499);
  assert.equal(queue.length, 0);
  timers.advance(1);
  assert.equal(queue.length, 1);
  assert.equal(await queue.get(), 'b');
  timers.advance(500);
  assert.equal(await queue.get(), 'a');
  timers.advance(10_000);
  assert.equal(queue.length, 0, 'the later addAfter of a did not add it again');
});

test('addRateLimited backs off exponentially per key until forget', async () => {
  const { queue, timers } = fakeQueue();
  const delays: number[] = [];
  for (let i = 0; i < 4; i++) {
    queue.addRateLimited('k');
    let waited = 0;
    while (queue.length === 0 && waited < 100) {
      timers.advance(1);
      waited += 1;
    }
    delays.push(waited);
    queue.done((await queue.get()) ?? '');
  }
  assert.deepEqual(delays, [5, 10, 20, 40]);
  assert.equal(queue.numRequeues('k'), 4);
  queue.forget('k');
  assert.equal(queue.numRequeues('k'), 0);
});

test('the default limiter caps at 1000 s and the bucket paces mass retries', () => {
  const { timers } = fakeQueue();
  const limiter = defaultControllerRateLimiter<string>(timers.clock);
  let last = 0;
  for (let i = 0; i < 30; i++) last = limiter.when('slow');
  assert.equal(last, 1_000_000);
  const fresh = defaultControllerRateLimiter<string>(timers.clock);
  const firstDelays = Array.from({ length: 100 }, (_, i) => fresh.when(`k${i}`));
  assert.ok(firstDelays.every((d) => d === 5), 'burst of 100 pays only the per-key 5 ms');
  assert.equal(fresh.when('k100'), 100);
  assert.equal(fresh.when('k101'), 200);
});

test('shutDown releases waiting workers and drops delayed keys', async () => {
  const { queue, timers } = fakeQueue();
  const waiting = queue.get();
  queue.addAfter('later', 100);
  queue.shutDown();
  assert.equal(await waiting, undefined);
  timers.advance(1000);
  queue.add('ignored');
  assert.equal(await queue.get(), undefined);
  assert.equal(timers.size, 0);
});
