import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { slowStartBatch } from './slow-start-batch.js';

describe('slowStartBatch', () => {
  it('runs 1, 2, 4, ... and the rest', async () => {
    const batches: number[] = [];
    let inFlight = 0;
    let batch = 0;
    const result = await slowStartBatch(10, 1, async () => {
      inFlight += 1;
      batch = Math.max(batch, inFlight);
      await Promise.resolve();
      if (inFlight === batch) batches.push(batch);
      inFlight -= 1;
      if (inFlight === 0) batch = 0;
    });
    assert.deepEqual(batches, [1, 2, 4, 3]);
    assert.equal(result.successes, 10);
    assert.equal(result.failed, false);
  });

  it('stops after the first failing batch', async () => {
    const calls: number[] = [];
    const result = await slowStartBatch(10, 1, async (i) => {
      calls.push(i);
      if (i === 4) throw new Error('quota');
    });
    // batches [0], [1,2], [3,4,5,6]: 4 fails, 7..9 never start.
    assert.deepEqual(calls, [0, 1, 2, 3, 4, 5, 6]);
    assert.equal(result.successes, 6);
    assert.equal(result.failed, true);
    assert.equal((result.error as Error).message, 'quota');
  });

  it('count 0 calls nothing', async () => {
    let called = false;
    const result = await slowStartBatch(0, 1, async () => { called = true; });
    assert.equal(called, false);
    assert.equal(result.successes, 0);
  });
});
