import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventRing } from './event-ring.js';

const item = (revision: number) => ({ revision });
const revisions = (items: readonly { revision: number }[]) => items.map((i) => i.revision);

describe('EventRing', () => {
  it('is a fixed-size ring with minCapacity alone: evicts the oldest, returns it', () => {
    const ring = new EventRing({ minCapacity: 3 });
    for (const r of [1, 2, 3]) assert.equal(ring.push(item(r)), undefined);
    assert.deepEqual(ring.push(item(4)), item(1));
    assert.equal(ring.size, 3);
    assert.deepEqual(revisions(ring.after(0)), [2, 3, 4]);
    assert.deepEqual(revisions(ring.after(3)), [4]);
    assert.deepEqual(revisions(ring.after(4)), []);
  });

  it('keeps fresh events beyond minCapacity up to maxCapacity, and drops them once stale', () => {
    let now = 0;
    const ring = new EventRing({ minCapacity: 2, maxCapacity: 5, freshMs: 1000, now: () => now });
    for (const r of [1, 2, 3, 4, 5]) assert.equal(ring.push(item(r)), undefined, `nothing evicted at ${r}`);
    assert.equal(ring.size, 5);
    // Over maxCapacity: the oldest goes even though it is fresh.
    assert.deepEqual(ring.push(item(6)), item(1));
    assert.deepEqual(revisions(ring.after(0)), [2, 3, 4, 5, 6]);
    // Time passes: everything beyond the newest minCapacity is stale; the newest evicted comes back.
    now = 1500;
    assert.deepEqual(ring.push(item(7)), item(5));
    assert.deepEqual(revisions(ring.after(0)), [6, 7]);
  });

  it('finds the start by revision across compactions', () => {
    const ring = new EventRing({ minCapacity: 1500 });
    for (let r = 1; r <= 5000; r++) ring.push(item(r * 2));
    assert.equal(ring.size, 1500);
    assert.deepEqual(revisions(ring.after(7001)).slice(0, 2), [7002, 7004]);
    assert.equal(ring.after(0).length, 1500);
    assert.equal(ring.after(10_000).length, 0);
    ring.clear();
    assert.equal(ring.size, 0);
    assert.deepEqual(ring.after(0), []);
  });

  it('refuses a capacity that is not a positive integer', () => {
    assert.throws(() => new EventRing({ minCapacity: 0 }), /minCapacity must be a positive integer/);
    assert.throws(() => new EventRing({ minCapacity: 2, maxCapacity: 1.5 }), /maxCapacity must be a positive integer/);
  });
});
