import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { PodDisruptionBudgetSpec } from 'kubernetes-types/policy/v1.js';
import { FakeEventRecorder } from '../../client/events/fake-event-recorder.js';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { DEPLOYMENTS, PODDISRUPTIONBUDGETS, PODS, REPLICASETS } from '../../client/resource-types.js';
import { FakeClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import type { DeploymentObject as Deployment, PodObject as Pod, ReplicaSetObject as ReplicaSet } from '../framework/kube-object-types.js';
import { SnapshotLister } from '../framework/snapshot-lister.fixture.js';
import { DisruptionReconciler, type PdbObject } from './disruption-reconciler.js';

describe('DisruptionReconciler', () => {
  let clock: FakeClock;
  let clients: FakeClientSet;
  let recorder: FakeEventRecorder;
  let budgets: SnapshotLister<PdbObject>;
  let pods: SnapshotLister<Pod>;
  let replicaSets: SnapshotLister<ReplicaSet>;
  let deployments: SnapshotLister<Deployment>;
  let reconciler: DisruptionReconciler;

  beforeEach(() => {
    clock = new FakeClock({ start: new Date('2026-11-27T10:00:00Z') });
    clients = new FakeClientSet({ clock });
    recorder = new FakeEventRecorder();
    budgets = new SnapshotLister(clients.resource<PdbObject>(PODDISRUPTIONBUDGETS));
    pods = new SnapshotLister(clients.resource<Pod>(PODS));
    replicaSets = new SnapshotLister(clients.resource<ReplicaSet>(REPLICASETS));
    deployments = new SnapshotLister(clients.resource<Deployment>(DEPLOYMENTS));
    reconciler = new DisruptionReconciler({ clients, budgets, pods, replicaSets, deployments, clock, logger: silentLogger(), recorder });
  });

  /** A Deployment of `replicas` with one ReplicaSet and `ready` Ready pods out of `podCount`. */
  function seedWorkload(replicas: number, podCount: number, ready: number): void {
    const [deployment] = clients.seed<Deployment>(DEPLOYMENTS, { metadata: { name: 'web', namespace: 'default' }, spec: { replicas, selector: {}, template: {} } });
    const [rs] = clients.seed<ReplicaSet>(REPLICASETS, {
      metadata: { name: 'web-1', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: deployment!.metadata!.uid!, controller: true }] },
      spec: { replicas, selector: {} },
    });
    for (let i = 0; i < podCount; i++) {
      clients.seed<Pod>(PODS, {
        metadata: {
          name: `web-${i}`, namespace: 'default', labels: { app: 'web' },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: rs!.metadata!.uid!, controller: true }],
        },
        status: { phase: 'Running', conditions: [{ type: 'Ready', status: i < ready ? 'True' : 'False' }] },
      });
    }
  }

  function seedBudget(spec: PodDisruptionBudgetSpec, status: PdbObject['status'] = undefined): void {
    clients.seed<PdbObject>(PODDISRUPTIONBUDGETS, {
      metadata: { name: 'pdb', namespace: 'default', generation: 2 },
      spec: { selector: { matchLabels: { app: 'web' } }, ...spec },
      ...(status ? { status } : {}),
    });
  }

  async function pass(): Promise<{ pdb: PdbObject; requeueAfterMs: number | undefined }> {
    await Promise.all([budgets.sync(), pods.sync(), replicaSets.sync(), deployments.sync()]);
    const result = await reconciler.reconcile('default/pdb');
    return { pdb: await clients.resource<PdbObject>(PODDISRUPTIONBUDGETS).get('default', 'pdb'), requeueAfterMs: result ? result.requeueAfterMs : undefined };
  }

  it('minAvailable: counts matched pods and Ready ones, allows the difference', async () => {
    seedWorkload(3, 3, 3);
    seedBudget({ minAvailable: 2 });
    const { pdb } = await pass();
    assert.deepEqual(
      { ...pdb.status, conditions: undefined },
      { observedGeneration: 2, disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, conditions: undefined },
    );
    const condition = pdb.status?.conditions?.[0];
    assert.equal(condition?.type, 'DisruptionAllowed');
    assert.equal(condition?.status, 'True');
    assert.equal(condition?.reason, 'SufficientPods');
  });

  it('maxUnavailable: expects the Deployment\'s replicas, so a missing pod is already a disruption', async () => {
    seedWorkload(3, 2, 2);
    seedBudget({ maxUnavailable: 1 });
    const { pdb } = await pass();
    assert.equal(pdb.status?.expectedPods, 3);
    assert.equal(pdb.status?.desiredHealthy, 2);
    assert.equal(pdb.status?.disruptionsAllowed, 0);
    assert.equal(pdb.status?.conditions?.[0]?.reason, 'InsufficientPods');
  });

  it('a pod without a controller fails the sync safe: no disruptions, SyncFailed, an event', async () => {
    clients.seed<Pod>(PODS, { metadata: { name: 'bare', namespace: 'default', labels: { app: 'web' } }, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
    seedBudget({ maxUnavailable: '50%' }, { disruptionsAllowed: 3, currentHealthy: 1, desiredHealthy: 0, expectedPods: 1 });
    const { pdb } = await pass();
    assert.equal(pdb.status?.disruptionsAllowed, 0);
    assert.equal(pdb.status?.conditions?.[0]?.reason, 'SyncFailed');
    assert.equal(pdb.status?.conditions?.[0]?.message, 'found no controller ref for pod "bare"');
    assert.ok(recorder.events.some((e) => e.reason === 'NoControllerRef'));
  });

  it('keeps an evicted pod out of the count until its deletion shows or two minutes pass', async () => {
    seedWorkload(3, 3, 3);
    seedBudget({ minAvailable: 2 }, {
      observedGeneration: 2, disruptionsAllowed: 0, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3,
      disruptedPods: { 'web-0': '2026-11-27T10:00:00Z' },
    });
    let result = await pass();
    assert.equal(result.pdb.status?.currentHealthy, 2);
    assert.equal(result.pdb.status?.disruptionsAllowed, 0);
    assert.deepEqual(result.pdb.status?.disruptedPods, { 'web-0': '2026-11-27T10:00:00Z' });
    assert.equal(result.requeueAfterMs, 120_000);
    clock.advance(120_000);
    result = await pass();
    assert.equal(result.pdb.status?.disruptedPods, undefined);
    assert.equal(result.pdb.status?.currentHealthy, 3);
    assert.equal(result.pdb.status?.disruptionsAllowed, 1);
  });

  it('writes nothing when the status is already right', async () => {
    seedWorkload(3, 3, 3);
    seedBudget({ minAvailable: 2 });
    await pass();
    clients.clearActions();
    await pass();
    assert.equal(clients.writes().length, 0);
    const { pdb } = await pass();
    assert.equal(pdb.status?.expectedPods, 3);
  });

  it('a budget whose selector is missing matches no pod', async () => {
    seedWorkload(3, 3, 3);
    clients.seed<PdbObject>(PODDISRUPTIONBUDGETS, { metadata: { name: 'pdb', namespace: 'default', generation: 1 }, spec: { minAvailable: 1 } });
    const { pdb } = await pass();
    assert.equal(pdb.status?.expectedPods, 0);
    assert.equal(pdb.status?.disruptionsAllowed, 0);
    assert.ok(recorder.events.some((e) => e.reason === 'NoPods'));
  });
});
