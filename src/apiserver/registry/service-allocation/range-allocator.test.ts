import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../lib/clock.js';
import { MemoryStore } from '../../../storage/memory/memory-store.js';
import { SqliteStore } from '../../../storage/sqlite/sqlite-store.js';
import type { Store } from '../../../storage/store.js';
import { AlreadyAllocatedError, NotInRangeError, RangeFullError } from './allocation-errors.js';
import { parsePortRange, parseServiceCidr } from './allocation-range.js';
import { RangeAllocator } from './range-allocator.js';

const PREFIX = '/registry/k8ts.io/service-cluster-ips/';
const A = { namespace: 'default', name: 'a', uid: 'uid-a' };
const B = { namespace: 'default', name: 'b', uid: 'uid-b' };

function ipAllocator(store: Store, cidr = '10.43.0.0/16', random?: (n: number) => number): RangeAllocator {
  return new RangeAllocator({ store, prefix: PREFIX, range: parseServiceCidr(cidr), clock: new FakeClock(), ...(random ? { random } : {}) });
}

describe('RangeAllocator', () => {
  it('reserves a requested value once; a second owner gets upstream\'s error', async () => {
    const allocator = ipAllocator(new MemoryStore());
    assert.equal(await allocator.allocate('10.43.0.10', A, false), true);
    // The same owner asking again is not an error and reserves nothing new.
    assert.equal(await allocator.allocate('10.43.0.10', A, false), false);
    await assert.rejects(allocator.allocate('10.43.0.10', B, false), (e: unknown) =>
      e instanceof AlreadyAllocatedError && e.message === 'provided IP is already allocated');
    await assert.rejects(allocator.allocate('10.44.0.1', A, false), (e: unknown) =>
      e instanceof NotInRangeError && /The range of valid IPs is 10\.43\.0\.0\/16$/.test(e.message));
    assert.deepEqual((await allocator.list()).map((r) => [r.value, r.owner.name]), [['10.43.0.10', 'a']]);
  });

  it('allocates dynamically from above the static band first', async () => {
    // random() = 0 makes the scan start at the band's first value.
    const allocator = ipAllocator(new MemoryStore(), '10.43.0.0/16', () => 0);
    assert.equal(await allocator.allocateNext(A, false), '10.43.1.1');
    assert.equal(await allocator.allocateNext(B, false), '10.43.1.2');
  });

  it('falls back to the static band, then reports the range full', async () => {
    // A /28 has 14 usable addresses and no static band; a /27 has 30 and a 16-address band.
    const allocator = ipAllocator(new MemoryStore(), '10.0.0.0/28');
    const got = new Set<string>();
    for (let i = 0; i < 14; i++) got.add(await allocator.allocateNext({ ...A, uid: `u${i}` }, false));
    assert.equal(got.size, 14);
    await assert.rejects(allocator.allocateNext(B, false), RangeFullError);
    await assert.rejects(allocator.allocateNext(B, false), { message: 'range is full' });

    const banded = ipAllocator(new MemoryStore(), '10.0.0.0/27', () => 0);
    for (let i = 0; i < 14; i++) await banded.allocateNext({ ...A, uid: `u${i}` }, false);
    assert.equal(await banded.allocateNext(B, false), '10.0.0.1');
  });

  it('releases only what the owner holds', async () => {
    const allocator = ipAllocator(new MemoryStore());
    await allocator.allocate('10.43.0.20', A, false);
    assert.equal(await allocator.release('10.43.0.20', B), false);
    assert.equal(await allocator.release('10.43.0.20', { ...A, uid: 'other' }), false);
    assert.equal((await allocator.list()).length, 1);
    assert.equal(await allocator.release('10.43.0.20', A), true);
    assert.equal(await allocator.release('10.43.0.20', A), false);
    assert.equal(await allocator.allocate('10.43.0.20', B, false), true);
  });

  it('dry runs check without reserving', async () => {
    const allocator = ipAllocator(new MemoryStore());
    assert.equal(await allocator.allocate('10.43.0.30', A, true), true);
    assert.match(await allocator.allocateNext(A, true), /^10\.43\./);
    assert.deepEqual(await allocator.list(), []);
    await allocator.allocate('10.43.0.30', A, false);
    await assert.rejects(allocator.allocate('10.43.0.30', B, true), AlreadyAllocatedError);
  });

  it('two allocators on one store (two API servers) never hand out the same port', async () => {
    const store = new MemoryStore();
    const range = parsePortRange('30000-30019');
    const one = new RangeAllocator({ store, prefix: '/p/', range, clock: new FakeClock(), random: () => 0 });
    const two = new RangeAllocator({ store, prefix: '/p/', range, clock: new FakeClock(), random: () => 0 });
    const got = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? one : two).allocateNext({ ...A, uid: `u${i}` }, false)));
    assert.equal(new Set(got).size, 20);
    await assert.rejects(one.allocateNext(B, false), RangeFullError);
  });

  it('keeps reservations across a store reopen (sqlite)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'k8ts-alloc-'));
    try {
      const path = join(dir, 'state.db');
      const first = new SqliteStore({ path });
      await ipAllocator(first).allocate('10.43.0.40', A, false);
      await first.close();
      const second = new SqliteStore({ path });
      try {
        const reopened = ipAllocator(second);
        await assert.rejects(reopened.allocate('10.43.0.40', B, false), AlreadyAllocatedError);
        assert.deepEqual((await reopened.list()).map((r) => r.owner), [A]);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
