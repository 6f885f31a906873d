import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SetupSlots } from './setup-slots.js';

describe('SetupSlots', () => {
  it('runs at most `size` tasks at once, in call order, and passes results and errors through', async () => {
    const slots = new SetupSlots(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const releases: (() => void)[] = [];
    const task = (n: number) => slots.run(async () => {
      order.push(n);
      running++;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => releases.push(resolve));
      running--;
      if (n === 3) throw new Error('three');
      return n * 10;
    });
    const results = [1, 2, 3, 4, 5].map((n) => task(n).then((v) => v, (e: Error) => e.message));
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      releases.shift()?.();
    }
    assert.deepEqual(await Promise.all(results), [10, 20, 'three', 40, 50]);
    assert.deepEqual(order, [1, 2, 3, 4, 5]);
    assert.equal(most, 2);
  });
});
