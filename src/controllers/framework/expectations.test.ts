import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../lib/clock.js';
import { EXPECTATIONS_TTL_MS, Expectations } from './expectations.js';

describe('Expectations', () => {
  it('a key with no record is satisfied', () => {
    const e = new Expectations({ clock: new FakeClock() });
    assert.equal(e.satisfied('ns/a'), true);
  });

  it('creations are satisfied once every add is observed', () => {
    const e = new Expectations({ clock: new FakeClock() });
    e.expectCreations('ns/a', 2);
    assert.equal(e.satisfied('ns/a'), false);
    e.creationObserved('ns/a');
    assert.equal(e.satisfied('ns/a'), false);
    e.creationObserved('ns/a');
    assert.equal(e.satisfied('ns/a'), true);
    e.creationObserved('ns/a');
    assert.deepEqual(e.pending('ns/a'), { adds: 0, deletes: 0 }, 'never goes negative');
  });

  it('deletions are tracked by uid, so one object counts once', () => {
    const e = new Expectations({ clock: new FakeClock() });
    e.expectDeletions('ns/a', ['u1', 'u2']);
    e.deletionObserved('ns/a', 'u1');
    e.deletionObserved('ns/a', 'u1');
    e.deletionObserved('ns/a', 'other');
    assert.equal(e.satisfied('ns/a'), false);
    e.deletionObserved('ns/a', 'u2');
    assert.equal(e.satisfied('ns/a'), true);
  });

  it('an unfulfilled record expires after the TTL', () => {
    const clock = new FakeClock();
    const e = new Expectations({ clock });
    e.expectCreations('ns/a', 1);
    clock.advance(EXPECTATIONS_TTL_MS);
    assert.equal(e.satisfied('ns/a'), false);
    clock.advance(1);
    assert.equal(e.satisfied('ns/a'), true);
  });

  it('delete forgets the key', () => {
    const e = new Expectations({ clock: new FakeClock() });
    e.expectCreations('ns/a', 1);
    e.delete('ns/a');
    assert.equal(e.satisfied('ns/a'), true);
    assert.equal(e.pending('ns/a'), undefined);
  });
});
