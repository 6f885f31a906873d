import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ControllerRegistration } from '../controllers/framework/controller-context.js';
import type { ReconcileResult } from '../controllers/framework/reconciler.js';
import { silentLogger } from '../lib/logger.js';
import { ControllerRunner } from './controller-runner.js';
import { FakeTimers } from './timers.js';

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(condition(), 'condition not reached');
}

interface Harness {
  calls: string[];
  enqueue: (key: string) => void;
  enqueueAfter: (key: string, ms: number) => void;
  registration: ControllerRegistration;
}

function harness(behaviour: (key: string, attempt: number) => Promise<ReconcileResult | void>, workers = 2): Harness {
  const calls: string[] = [];
  const attempts = new Map<string, number>();
  const h: Harness = {
    calls,
    enqueue: () => undefined,
    enqueueAfter: () => undefined,
    registration: {
      workers,
      reconciler: {
        name: 'test',
        async reconcile(key) {
          calls.push(key);
          const attempt = (attempts.get(key) ?? 0) + 1;
          attempts.set(key, attempt);
          return behaviour(key, attempt);
        },
      },
      connect(enqueue, enqueueAfter) {
        h.enqueue = enqueue;
        h.enqueueAfter = enqueueAfter;
      },
    },
  };
  return h;
}

test('reconciles enqueued keys; never the same key on two workers at once', async () => {
  let running = 0;
  let maxSame = 0;
  const release: (() => void)[] = [];
  const h = harness(async () => {
    running += 1;
    maxSame = Math.max(maxSame, running);
    await new Promise<void>((resolve) => release.push(resolve));
    running -= 1;
  }, 4);
  const timers = new FakeTimers();
  const runner = new ControllerRunner({ registration: h.registration, logger: silentLogger(), timers, clock: timers.clock });
  const controller = new AbortController();
  const done = runner.run(controller.signal);
  h.enqueue('ns/a');
  await until(() => h.calls.length === 1);
  h.enqueue('ns/a');
  h.enqueue('ns/a');
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(h.calls.length, 1, 'held by one worker; the re-adds wait');
  release.shift()?.();
  await until(() => h.calls.length === 2);
  release.shift()?.();
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(h.calls, ['ns/a', 'ns/a'], 'the two re-adds collapsed into one');
  assert.equal(maxSame, 1);
  controller.abort();
  await done;
});

test('a throw retries with backoff; success forgets; requeueAfterMs re-adds later', async () => {
  const h = harness(async (key, attempt) => {
    if (key === 'flaky' && attempt < 3) throw new Error('transient');
    if (key === 'wait' && attempt === 1) return { requeueAfterMs: 30_000 };
    return undefined;
  });
  const timers = new FakeTimers();
  const runner = new ControllerRunner({ registration: h.registration, logger: silentLogger(), timers, clock: timers.clock });
  const controller = new AbortController();
  const done = runner.run(controller.signal);
  h.enqueue('flaky');
  await until(() => h.calls.length === 1);
  await until(() => timers.size === 1);
  assert.equal(runner.queue.numRequeues('flaky'), 1);
  timers.advance(5);
  await until(() => h.calls.length === 2);
  await until(() => timers.size === 1);
  timers.advance(9);
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(h.calls.length, 2, 'second backoff is 10 ms');
  timers.advance(1);
  await until(() => h.calls.length === 3);
  await until(() => runner.queue.numRequeues('flaky') === 0);

  h.enqueue('wait');
  await until(() => h.calls.length === 4);
  await until(() => timers.size === 1);
  timers.advance(29_999);
  assert.equal(h.calls.length, 4);
  timers.advance(1);
  await until(() => h.calls.length === 5);
  assert.deepEqual(h.calls, ['flaky', 'flaky', 'flaky', 'wait', 'wait']);
  h.enqueueAfter('later', 100);
  timers.advance(100);
  await until(() => h.calls.length === 6);
  controller.abort();
  await done;
});
