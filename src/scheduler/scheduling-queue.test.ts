import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../lib/clock.js';
import { makePod } from './testing/fixtures.js';
import { SchedulingQueue } from './scheduling-queue.js';

function setup() {
  const clock = new FakeClock();
  return { clock, queue: new SchedulingQueue({ clock }) };
}

describe('SchedulingQueue', () => {
  it('pops by priority, then creation time', () => {
    const { queue } = setup();
    queue.add(makePod('late', { creationTimestamp: '2025-01-01T00:00:05Z' }));
    queue.add(makePod('early', { creationTimestamp: '2025-01-01T00:00:01Z' }));
    queue.add(makePod('vip', { creationTimestamp: '2025-01-01T00:00:09Z', spec: { priority: 1000 } }));
    assert.deepEqual([queue.tryPop()?.key, queue.tryPop()?.key, queue.tryPop()?.key], ['default/vip', 'default/early', 'default/late']);
    assert.equal(queue.tryPop(), undefined);
  });

  it('backs off 1 s doubling to 10 s', () => {
    const { queue } = setup();
    assert.deepEqual([1, 2, 3, 4, 5, 9].map((n) => queue.backoffDurationMs(n)), [1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('keeps a pod that failed in backoff until its backoff expires', () => {
    const { queue, clock } = setup();
    queue.add(makePod('p'));
    let popped = queue.tryPop()!;
    queue.addBackoff(popped);
    queue.flush();
    assert.equal(queue.where('default/p'), 'backoff');
    clock.advance(999);
    queue.flush();
    assert.equal(queue.tryPop(), undefined);
    clock.advance(1);
    queue.flush();
    popped = queue.tryPop()!;
    assert.equal(popped.attempts, 2);
    queue.addBackoff(popped);
    clock.advance(1999);
    queue.flush();
    assert.equal(queue.where('default/p'), 'backoff');
    clock.advance(1);
    queue.flush();
    assert.equal(queue.where('default/p'), 'active');
    assert.equal(queue.nextBackoffInMs(), undefined);
  });

  it('parks unschedulable pods until a cluster event, then respects the backoff', () => {
    const { queue, clock } = setup();
    queue.add(makePod('p'));
    queue.addUnschedulable(queue.tryPop()!);
    clock.advance(60_000);
    queue.flush();
    assert.equal(queue.where('default/p'), 'unschedulable');
    queue.moveAllToActiveOrBackoff();
    assert.equal(queue.where('default/p'), 'active');

    queue.addUnschedulable(queue.tryPop()!);
    queue.moveAllToActiveOrBackoff();
    // Second attempt failed just now: its 2 s backoff has not passed.
    assert.equal(queue.where('default/p'), 'backoff');
    clock.advance(2000);
    queue.flush();
    assert.equal(queue.where('default/p'), 'active');
  });

  it('sends a pod to backoff when a move request came during its attempt', () => {
    const { queue } = setup();
    queue.add(makePod('p'));
    const popped = queue.tryPop()!;
    queue.moveAllToActiveOrBackoff();
    queue.addUnschedulable(popped);
    assert.equal(queue.where('default/p'), 'backoff');
  });

  it('retries unschedulable pods after 5 minutes at most', () => {
    const { queue, clock } = setup();
    queue.add(makePod('p'));
    queue.addUnschedulable(queue.tryPop()!);
    clock.advance(5 * 60_000 + 1);
    queue.flush();
    assert.equal(queue.where('default/p'), 'active');
  });

  it('moves an unschedulable pod on a spec change but not on a status change', () => {
    const { queue, clock } = setup();
    queue.add(makePod('p'));
    queue.addUnschedulable(queue.tryPop()!);
    clock.advance(5000);
    queue.update({ ...makePod('p'), status: { conditions: [{ type: 'PodScheduled', status: 'False' }] } });
    assert.equal(queue.where('default/p'), 'unschedulable');
    queue.update(makePod('p', { spec: { nodeSelector: { disk: 'ssd' } } }));
    assert.equal(queue.where('default/p'), 'active');
  });

  it('pop waits for a pod and ends on abort', async () => {
    const { queue } = setup();
    const controller = new AbortController();
    const waiting = queue.pop(controller.signal);
    queue.add(makePod('p'));
    assert.equal((await waiting)?.key, 'default/p');
    const aborted = queue.pop(controller.signal);
    controller.abort();
    assert.equal(await aborted, undefined);
  });

  it('forgets deleted pods', () => {
    const { queue } = setup();
    queue.add(makePod('p'));
    queue.delete('default/p');
    assert.equal(queue.tryPop(), undefined);
  });
});
