import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnavailableError } from '../lib/errors.js';
import { FakeClientSet } from './fake/fake-client-set.js';
import { LeaderElector, type LeaseObject } from './leader-election.js';
import type { ResourceClient } from './resource-client.js';
import { LEASES } from './resource-types.js';
import { FakeTimers } from './timers.js';

async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A lease client whose writes fail while `partitioned` is set (a candidate cut off from the API). */
function partitionable(leases: ResourceClient<LeaseObject>): { client: ResourceClient<LeaseObject>; cut: { partitioned: boolean } } {
  const cut = { partitioned: false };
  const guard = <A extends unknown[], R>(call: (...args: A) => Promise<R>) => (...args: A): Promise<R> =>
    cut.partitioned ? Promise.reject(new UnavailableError('partitioned')) : call(...args);
  const client: ResourceClient<LeaseObject> = {
    type: leases.type,
    get: guard(leases.get.bind(leases)),
    list: guard(leases.list.bind(leases)),
    create: guard(leases.create.bind(leases)),
    update: guard(leases.update.bind(leases)),
    updateStatus: guard(leases.updateStatus.bind(leases)),
    patch: guard(leases.patch.bind(leases)),
    delete: guard(leases.delete.bind(leases)),
    watch: leases.watch.bind(leases),
    getScale: guard(leases.getScale.bind(leases)),
    createSubresource: guard(leases.createSubresource.bind(leases)),
  };
  return { client, cut };
}

function candidate(clients: FakeClientSet, timers: FakeTimers, identity: string) {
  const { client, cut } = partitionable(clients.resource<LeaseObject>(LEASES));
  const elector = new LeaderElector({ leases: client, name: 'k8ts-controller-manager', identity, clock: timers.clock, timers });
  const log: string[] = [];
  const controller = new AbortController();
  const done = elector.run(controller.signal, {
    onStartedLeading: (signal) => {
      log.push(`start@${timers.clock.now().getTime()}`);
      signal.addEventListener('abort', () => log.push('leadership signal aborted'));
    },
    onStoppedLeading: () => log.push('stop'),
  });
  return { elector, cut, log, controller, done };
}

test('one candidate leads; on partition it steps down before another takes over; never two leaders', async () => {
  const timers = new FakeTimers();
  const clients = new FakeClientSet({ clock: timers.clock });
  const a = candidate(clients, timers, 'a');
  await flush();
  const b = candidate(clients, timers, 'b');
  await flush();
  assert.equal(a.elector.isLeader(), true);
  assert.equal(b.elector.isLeader(), false);
  const lease = await clients.resource<LeaseObject>(LEASES).get('kube-system', 'k8ts-controller-manager');
  assert.equal(lease.spec?.holderIdentity, 'a');
  assert.equal(lease.spec?.leaseDurationSeconds, 15);
  assert.equal(lease.spec?.acquireTime, '2025-01-01T00:00:00.000000Z');

  // 20 s of normal operation: a keeps renewing, b keeps observing changes and never takes over.
  for (let t = 0; t < 40; t++) {
    timers.advance(500);
    await flush();
    assert.ok(!(a.elector.isLeader() && b.elector.isLeader()), `two leaders at ${t}`);
  }
  assert.equal(b.elector.isLeader(), false);
  const renewed = await clients.resource<LeaseObject>(LEASES).get('kube-system', 'k8ts-controller-manager');
  assert.equal(renewed.spec?.renewTime, '2025-01-01T00:00:20.000000Z');

  // Partition a: it stops leading once renewDeadline passes; b leads only after leaseDuration.
  a.cut.partitioned = true;
  const partitionedAt = timers.clock.now().getTime();
  let aStoppedAt = 0;
  let bStartedAt = 0;
  for (let t = 0; t < 60; t++) {
    timers.advance(500);
    await flush();
    const now = timers.clock.now().getTime() - partitionedAt;
    if (!a.elector.isLeader() && aStoppedAt === 0) aStoppedAt = now;
    if (b.elector.isLeader() && bStartedAt === 0) bStartedAt = now;
    assert.ok(!(a.elector.isLeader() && b.elector.isLeader()), `two leaders at +${now} ms`);
  }
  assert.ok(aStoppedAt > 0 && aStoppedAt <= 12_000, `a stopped at +${aStoppedAt}`);
  assert.ok(bStartedAt >= 15_000, `b started at +${bStartedAt}`);
  assert.deepEqual(a.log, ['start@1735689600000', 'leadership signal aborted', 'stop']);
  const taken = await clients.resource<LeaseObject>(LEASES).get('kube-system', 'k8ts-controller-manager');
  assert.equal(taken.spec?.holderIdentity, 'b');
  assert.equal(taken.spec?.leaseTransitions, 1);

  // b stops cleanly and releases: a (healed) takes over at its next retry, not after 15 s.
  a.cut.partitioned = false;
  b.controller.abort();
  await b.done;
  assert.equal((await clients.resource<LeaseObject>(LEASES).get('kube-system', 'k8ts-controller-manager')).spec?.holderIdentity, '');
  timers.advance(2000);
  await flush();
  assert.equal(a.elector.isLeader(), true);
  a.controller.abort();
  await a.done;
});
