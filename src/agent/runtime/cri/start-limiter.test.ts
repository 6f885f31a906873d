import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StartLimiter } from './start-limiter.js';

/** A task that finishes when told to. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('StartLimiter', () => {
  it('rejects a limit below 1', () => {
    assert.throws(() => new StartLimiter({ limit: 0 }), RangeError);
  });

  it('runs at most limit tasks at once', async () => {
    const limiter = new StartLimiter({ limit: 2 });
    let running = 0;
    let peak = 0;
    const gates = [gate(), gate(), gate(), gate()];
    const all = gates.map((g) => limiter.run(async () => {
      running++;
      peak = Math.max(peak, running);
      await g.promise;
      running--;
    }));
    await flush();
    assert.equal(running, 2);
    assert.equal(limiter.waiting, 2);
    for (const g of gates) g.open();
    await Promise.all(all);
    assert.equal(peak, 2);
    assert.equal(limiter.waiting, 0);
  });

  it('serves waiters by priority, FIFO among equals', async () => {
    const limiter = new StartLimiter({ limit: 1 });
    const first = await limiter.acquire(5);
    const order: string[] = [];
    const waits = [
      limiter.run(async () => { order.push('new-a'); }, { priority: 9 }),
      limiter.run(async () => { order.push('new-b'); }, { priority: 9 }),
      limiter.run(async () => { order.push('old'); }, { priority: 2 }),
      limiter.run(async () => { order.push('new-c'); }, { priority: 9 }),
      limiter.run(async () => { order.push('adopted'); }, { priority: 0 }),
    ];
    await flush();
    assert.deepEqual(order, []);
    first.release();
    await Promise.all(waits);
    assert.deepEqual(order, ['adopted', 'old', 'new-a', 'new-b', 'new-c']);
  });

  it('a held slot is given back once, however often released', async () => {
    const limiter = new StartLimiter({ limit: 1 });
    const slot = await limiter.acquire();
    const next = limiter.acquire();
    const after = limiter.acquire();
    slot.release();
    slot.release(); // must not free a second slot
    const second = await next;
    let thirdGranted = false;
    void after.then(() => (thirdGranted = true));
    await flush();
    assert.equal(thirdGranted, false);
    second.release();
    (await after).release();
    // The one slot is free again.
    (await limiter.acquire()).release();
  });
});
