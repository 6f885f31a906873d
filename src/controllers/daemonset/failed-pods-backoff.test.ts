import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../lib/clock.js';
import { FailedPodsBackoff } from './failed-pods-backoff.js';

describe('FailedPodsBackoff', () => {
  it('starts at 1 s, doubles up to 15 min, and starts over after 30 quiet minutes', () => {
    const clock = new FakeClock();
    const backoff = new FailedPodsBackoff({ clock });
    assert.equal(backoff.inBackoff('k'), false);
    backoff.next('k');
    assert.equal(backoff.get('k'), 1000);
    clock.advance(999);
    assert.equal(backoff.inBackoff('k'), true);
    clock.advance(1);
    assert.equal(backoff.inBackoff('k'), false);
    for (const expected of [2000, 4000, 8000]) {
      backoff.next('k');
      assert.equal(backoff.get('k'), expected);
    }
    for (let i = 0; i < 20; i++) backoff.next('k');
    assert.equal(backoff.get('k'), 15 * 60_000);
    clock.advance(30 * 60_000 + 1);
    assert.equal(backoff.inBackoff('k'), false);
    backoff.next('k');
    assert.equal(backoff.get('k'), 1000);
  });

  it('keys by DaemonSet uid, observed generation and node', () => {
    assert.equal(FailedPodsBackoff.key('uid-1', 3, 'node-a'), 'uid-1/3/node-a');
  });
});
