import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CrashLoopBackoff, formatGoDuration } from './backoff.js';

const at = (s: number): Date => new Date(Date.UTC(2025, 0, 1) + s * 1000);

it('starts at 10s, doubles to 300s, and is over once the delay passed', () => {
  const b = new CrashLoopBackoff();
  assert.equal(b.isInBackOffSince('k', at(0), at(0)), false, 'no entry: restart at once');
  const delays: number[] = [];
  let t = 0;
  for (let i = 0; i < 8; i++) {
    b.next('k', at(t));
    delays.push(b.delayMs('k') / 1000);
    assert.equal(b.isInBackOffSince('k', at(t), at(t + b.delayMs('k') / 1000 - 1)), true);
    assert.equal(b.isInBackOffSince('k', at(t), at(t + b.delayMs('k') / 1000)), false);
    t += b.delayMs('k') / 1000 + 1;
  }
  assert.deepEqual(delays, [10, 20, 40, 80, 160, 300, 300, 300]);
});

it('resets after 10 minutes without a restart', () => {
  const b = new CrashLoopBackoff();
  b.next('k', at(0));
  b.next('k', at(20));
  assert.equal(b.delayMs('k'), 20_000);
  assert.equal(b.isInBackOffSince('k', at(621), at(622)), false, 'expired entries do not hold a restart back');
  b.next('k', at(621));
  assert.equal(b.delayMs('k'), 10_000);
});

it('forgets a pod and formats delays like Go', () => {
  const b = new CrashLoopBackoff();
  b.next('uid/a', at(0));
  b.next('other/a', at(0));
  b.forgetPrefix('uid/');
  assert.equal(b.delayMs('uid/a'), 0);
  assert.equal(b.delayMs('other/a'), 10_000);
  assert.deepEqual([10_000, 160_000, 300_000].map(formatGoDuration), ['10s', '2m40s', '5m0s']);
});
