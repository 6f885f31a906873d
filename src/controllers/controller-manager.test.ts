import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClientSet } from '../client/fake/fake-client-set.js';
import type { LeaseObject } from '../client/leader-election.js';
import { LEASES } from '../client/resource-types.js';
import { FakeTimers } from '../client/timers.js';
import { silentLogger } from '../lib/logger.js';
import { ControllerManager } from './controller-manager.js';
import type { ControllerFactory } from './framework/controller-context.js';

/** Lets pending promise chains (fake client calls) run; no wall-clock time passes. */
async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A controller that reconciles one key once and reports which manager ran it. */
function probeController(log: string[], who: string, reconciled: () => void): ControllerFactory {
  return () => {
    log.push(`built by ${who}`);
    return {
      reconciler: {
        name: 'probe',
        reconcile: async () => {
          log.push(`reconciled by ${who}`);
          reconciled();
        },
      },
      connect: (enqueue) => enqueue('only-key'),
    };
  };
}

describe('ControllerManager', () => {
  const election = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };

  function setUp() {
    const timers = new FakeTimers();
    const clients = new FakeClientSet({ clock: timers.clock });
    const log: string[] = [];
    const managers = ['a', 'b'].map((who) => {
      let resolveReconciled!: () => void;
      const reconciled = new Promise<void>((resolve) => (resolveReconciled = resolve));
      const leaderSignals: AbortSignal[] = [];
      const manager = new ControllerManager({
        clients, clock: timers.clock, timers, logger: silentLogger(),
        controllers: [probeController(log, who, () => resolveReconciled())],
        leaderElection: { identity: who, ...election },
        leaderTasks: [async (signal) => void leaderSignals.push(signal)],
      });
      const stop = new AbortController();
      return { manager, stop, reconciled, leaderSignals, running: undefined as Promise<void> | undefined };
    });
    return { timers, clients, log, a: managers[0]!, b: managers[1]! };
  }

  it('of two managers only the lease holder runs the controllers; the other takes over when it stops', async () => {
    const { timers, clients, log, a, b } = setUp();
    a.running = a.manager.run(a.stop.signal);
    await a.reconciled;
    b.running = b.manager.run(b.stop.signal);
    await settle();
    timers.advance(2_000);
    await settle();
    assert.equal(a.manager.isLeader, true);
    assert.equal(b.manager.isLeader, false);
    assert.deepEqual(log, ['built by a', 'reconciled by a']);
    const lease = await clients.resource<LeaseObject>(LEASES).get('kube-system', 'k8ts-controller-manager');
    assert.equal(lease.spec?.holderIdentity, 'a');

    // a stops: its controllers stop and it gives the lease up, so b need not wait it out.
    a.stop.abort();
    await a.running;
    assert.equal(a.leaderSignals[0]?.aborted, true);
    timers.advance(2_000);
    await b.reconciled;
    assert.equal(b.manager.isLeader, true);
    assert.deepEqual(log, ['built by a', 'reconciled by a', 'built by b', 'reconciled by b']);
    b.stop.abort();
    await b.running;
    assert.equal(b.manager.leadershipTerms, 1);
  });

  it('a leader that loses its lease stops its controllers', async () => {
    const { timers, clients, a } = setUp();
    a.running = a.manager.run(a.stop.signal);
    await a.reconciled;
    await settle();
    assert.equal(a.leaderSignals.length, 1);
    // Someone else holds the lease now (e.g. after a partition): a cannot renew.
    const leases = clients.resource<LeaseObject>(LEASES);
    const lease = await leases.get('kube-system', 'k8ts-controller-manager');
    await leases.update('kube-system', { ...lease, spec: { ...lease.spec, holderIdentity: 'intruder' } });
    for (let i = 0; i < 6 && a.manager.isLeader; i++) {
      timers.advance(2_000);
      await settle();
    }
    assert.equal(a.manager.isLeader, false);
    assert.equal(a.leaderSignals[0]?.aborted, true);
    a.stop.abort();
    await a.running;
  });
});
