import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeEventRecorder } from '../../client/events/fake-event-recorder.js';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { PODS, REPLICASETS } from '../../client/resource-types.js';
import { FakeClock } from '../../lib/clock.js';
import { BadRequestError } from '../../lib/errors.js';
import { silentLogger } from '../../lib/logger.js';
import { Expectations } from '../framework/expectations.js';
import type { PodObject as Pod, ReplicaSetObject as ReplicaSet } from '../framework/kube-object-types.js';
import { SnapshotLister } from '../framework/snapshot-lister.fixture.js';
import { ReplicaSetReconciler } from './replica-set-reconciler.js';

const NS = 'default';
const KEY = 'default/web';

function replicaSet(replicas: number, extra: Partial<NonNullable<ReplicaSet['spec']>> = {}): ReplicaSet {
  return {
    metadata: { name: 'web', namespace: NS },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web', tier: 'front' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      ...extra,
    },
  };
}

interface PodShape {
  labels?: Record<string, string>;
  owner?: ReplicaSet | 'none';
  node?: string;
  phase?: string;
  readySince?: string;
  created?: string;
}

describe('ReplicaSetReconciler', () => {
  let clock: FakeClock;
  let clients: FakeClientSet;
  let recorder: FakeEventRecorder;
  let pods: SnapshotLister<Pod>;
  let rss: SnapshotLister<ReplicaSet>;
  let expectations: Expectations;
  let reconciler: ReplicaSetReconciler;

  beforeEach(() => {
    clock = new FakeClock({ start: new Date('2025-01-01T00:00:00Z') });
    clients = new FakeClientSet({ clock });
    recorder = new FakeEventRecorder();
    pods = new SnapshotLister(clients.resource<Pod>(PODS));
    rss = new SnapshotLister(clients.resource<ReplicaSet>(REPLICASETS));
    expectations = new Expectations({ clock });
    reconciler = new ReplicaSetReconciler({ clients, pods, replicaSets: rss, expectations, clock, logger: silentLogger(), recorder });
  });

  async function sync(): Promise<void> {
    await pods.sync();
    await rss.sync();
  }

  function seedRs(rs: ReplicaSet): ReplicaSet {
    const [stored] = clients.seed(REPLICASETS, rs);
    return stored!;
  }

  function seedPod(name: string, shape: PodShape, rs: ReplicaSet | undefined): Pod {
    const owner = shape.owner === 'none' ? undefined : (shape.owner ?? rs);
    const pod: Pod = {
      metadata: {
        name, namespace: NS, labels: shape.labels ?? { app: 'web', tier: 'front' },
        ...(shape.created ? { creationTimestamp: shape.created } : {}),
        ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner.metadata!.name!, uid: owner.metadata!.uid!, controller: true }] } : {}),
      },
      spec: { containers: [{ name: 'c', image: 'nginx' }], ...(shape.node ? { nodeName: shape.node } : {}) },
      status: {
        phase: shape.phase ?? 'Running',
        ...(shape.readySince ? { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: shape.readySince }] } : {}),
      },
    };
    return clients.seed(PODS, pod)[0]!;
  }

  async function livePods(): Promise<Pod[]> {
    return (await clients.resource<Pod>(PODS).list(NS)).items;
  }

  async function liveRs(): Promise<ReplicaSet> {
    return clients.resource<ReplicaSet>(REPLICASETS).get(NS, 'web');
  }

  it('scales up from zero: pods from the template, owned, with events and status', async () => {
    seedRs(replicaSet(3));
    await sync();
    await reconciler.reconcile(KEY);
    const created = await livePods();
    assert.equal(created.length, 3);
    const rs = await liveRs();
    for (const pod of created) {
      assert.match(pod.metadata!.name!, /^web-[a-z0-9]{5}$/);
      assert.deepEqual(pod.metadata!.labels, { app: 'web', tier: 'front' });
      assert.deepEqual(pod.metadata!.ownerReferences, [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata!.uid, controller: true, blockOwnerDeletion: true },
      ]);
      assert.equal(pod.spec!.containers[0]!.image, 'nginx');
    }
    assert.deepEqual(recorder.reasons(), ['SuccessfulCreate', 'SuccessfulCreate', 'SuccessfulCreate']);
    assert.match(recorder.events[0]!.message, /^Created pod: web-[a-z0-9]{5}$/);
    assert.equal(rs.status?.replicas, 0, 'the cache has not seen the pods yet');
    assert.equal(rs.status?.observedGeneration, 1);
  });

  it('expectations keep a lagging cache from creating twice', async () => {
    seedRs(replicaSet(2));
    await sync();
    await reconciler.reconcile(KEY);
    assert.equal(clients.writes('create', 'pods').length, 2);
    // The pod cache still shows nothing: a second pass must not create again.
    await rss.sync();
    await reconciler.reconcile(KEY);
    assert.equal(clients.writes('create', 'pods').length, 2);
    // The informer delivers both ADDED events.
    await pods.sync();
    expectations.creationObserved(KEY);
    expectations.creationObserved(KEY);
    await reconciler.reconcile(KEY);
    assert.equal(clients.writes('create', 'pods').length, 2);
    assert.equal((await liveRs()).status?.replicas, 2);
  });

  it('after the expectations expire, the controller acts on what it sees', async () => {
    seedRs(replicaSet(1));
    await sync();
    await reconciler.reconcile(KEY);
    clock.advance(5 * 60 * 1000 + 1);
    await reconciler.reconcile(KEY);
    assert.equal(clients.writes('create', 'pods').length, 2, 'the stale cache shows 0 pods once the record expired');
  });

  it('creates in slow-start batches and stops at the first failing batch', async () => {
    seedRs(replicaSet(10));
    await sync();
    let creates = 0;
    clients.addReactor((action) => {
      if (action.verb !== 'create' || action.resource !== 'pods') return undefined;
      creates += 1;
      return creates === 5 ? new BadRequestError('exceeded quota: compute-resources') : undefined;
    });
    await assert.rejects(reconciler.reconcile(KEY), BadRequestError);
    // Batches 1, 2, 4: the fifth call fails inside the batch of 4, the remaining 3 never start.
    assert.equal(creates, 7);
    assert.equal((await livePods()).length, 6);
    assert.equal(recorder.reasons().filter((r) => r === 'FailedCreate').length, 1);
    assert.equal(recorder.events.find((e) => e.reason === 'FailedCreate')?.message, 'Error creating: exceeded quota: compute-resources');
    assert.deepEqual(expectations.pending(KEY), { adds: 6, deletes: 0 }, 'only the 6 real creates are awaited');
    const failure = (await liveRs()).status?.conditions?.find((c) => c.type === 'ReplicaFailure');
    assert.equal(failure?.status, 'True');
    assert.equal(failure?.reason, 'FailedCreate');
    assert.equal(failure?.message, 'exceeded quota: compute-resources');
  });

  it('removes ReplicaFailure after a pass that succeeds', async () => {
    seedRs(replicaSet(1));
    await sync();
    const stop = clients.fail('create', 'pods', new BadRequestError('forbidden'));
    await assert.rejects(reconciler.reconcile(KEY));
    stop();
    await sync();
    await reconciler.reconcile(KEY);
    assert.equal(clients.writes('create', 'pods').length, 2);
    assert.equal((await liveRs()).status?.conditions, undefined);
  });

  it('scales down deleting the cheapest pods first', async () => {
    const rs = seedRs(replicaSet(2));
    seedPod('ready-old', { node: 'n1', readySince: '2024-12-31T00:00:00Z', created: '2024-12-30T00:00:00Z' }, rs);
    seedPod('ready-new', { node: 'n2', readySince: '2024-12-31T00:00:00Z', created: '2024-12-31T00:00:00Z' }, rs);
    seedPod('running', { node: 'n3' }, rs);
    seedPod('pending', { node: 'n4', phase: 'Pending' }, rs);
    seedPod('unscheduled', { phase: 'Pending' }, rs);
    await sync();
    await reconciler.reconcile(KEY);
    assert.deepEqual((await livePods()).map((p) => p.metadata!.name).sort(), ['ready-new', 'ready-old']);
    assert.deepEqual(recorder.events.map((e) => e.message).sort(), ['Deleted pod: pending', 'Deleted pod: running', 'Deleted pod: unscheduled']);
    assert.deepEqual(expectations.pending(KEY), { adds: 0, deletes: 3 });
    // Lagging cache: still 5 pods, but nothing more is deleted.
    await reconciler.reconcile(KEY);
    assert.equal(clients.writes('delete', 'pods').length, 3);
  });

  it('adopts matching orphans, releases non-matching pods, ignores pods of others', async () => {
    const rs = seedRs(replicaSet(3));
    const other = clients.seed<ReplicaSet>(REPLICASETS, { ...replicaSet(1), metadata: { name: 'other', namespace: NS } })[0]!;
    seedPod('orphan', { owner: 'none' }, rs);
    seedPod('mine-relabelled', { labels: { app: 'db' } }, rs);
    seedPod('theirs', { owner: other }, rs);
    seedPod('mine', {}, rs);
    seedPod('orphan-other-labels', { owner: 'none', labels: { app: 'db' } }, rs);
    await sync();
    await reconciler.reconcile(KEY);
    const byName = new Map((await livePods()).map((p) => [p.metadata!.name!, p]));
    assert.equal(byName.get('orphan')!.metadata!.ownerReferences?.[0]?.uid, rs.metadata!.uid);
    assert.equal(byName.get('orphan')!.metadata!.ownerReferences?.[0]?.blockOwnerDeletion, true);
    assert.equal(byName.get('mine-relabelled')!.metadata!.ownerReferences, undefined);
    assert.equal(byName.get('theirs')!.metadata!.ownerReferences?.[0]?.uid, other.metadata!.uid);
    assert.equal(byName.get('orphan-other-labels')!.metadata!.ownerReferences, undefined);
    // Owned after the pass: mine + orphan = 2 of 3, so one create.
    assert.equal(clients.writes('create', 'pods').length, 1);
  });

  it('does not adopt when the live ReplicaSet is a different one with the same name', async () => {
    const rs = seedRs(replicaSet(1));
    seedPod('orphan', { owner: 'none' }, rs);
    await sync();
    await clients.resource(REPLICASETS).delete(NS, 'web');
    clients.seed(REPLICASETS, replicaSet(1));
    await assert.rejects(reconciler.reconcile(KEY), /is gone/);
    assert.equal((await clients.resource<Pod>(PODS).get(NS, 'orphan')).metadata!.ownerReferences, undefined);
  });

  it('writes ready, available and fully-labeled counts and requeues for minReadySeconds', async () => {
    const rs = seedRs(replicaSet(3, { minReadySeconds: 10 }));
    seedPod('a', { readySince: '2024-12-31T23:59:00Z' }, rs); // ready 60 s: available
    seedPod('b', { readySince: '2024-12-31T23:59:56Z' }, rs); // ready 4 s: not yet
    seedPod('c', { labels: { app: 'web' } }, rs); // not ready, missing tier
    await sync();
    const result = await reconciler.reconcile(KEY);
    const status = (await liveRs()).status!;
    assert.equal(status.replicas, 3);
    assert.equal(status.readyReplicas, 2);
    assert.equal(status.availableReplicas, 1);
    assert.equal(status.fullyLabeledReplicas, 2);
    assert.deepEqual(result, { requeueAfterMs: 6001 });
    assert.equal(clients.writes('create', 'pods').length + clients.writes('delete', 'pods').length, 0);
  });

  it('does not write status when nothing changed', async () => {
    seedRs(replicaSet(0));
    await sync();
    await reconciler.reconcile(KEY);
    assert.equal(clients.writes('update', 'replicasets').length, 1);
    await sync();
    await reconciler.reconcile(KEY);
    assert.equal(clients.writes('update', 'replicasets').length, 1);
  });

  it('terminal and deleting pods do not count', async () => {
    const rs = seedRs(replicaSet(1));
    seedPod('done', { phase: 'Succeeded' }, rs);
    seedPod('failed', { phase: 'Failed' }, rs);
    await sync();
    await reconciler.reconcile(KEY);
    assert.equal(clients.writes('create', 'pods').length, 1);
  });

  it('a ReplicaSet being deleted neither creates nor adopts', async () => {
    const rs = seedRs({ ...replicaSet(2), metadata: { name: 'web', namespace: NS, finalizers: ['foregroundDeletion'] } });
    seedPod('orphan', { owner: 'none' }, rs);
    await clients.resource(REPLICASETS).delete(NS, 'web');
    await sync();
    await reconciler.reconcile(KEY);
    assert.equal(clients.writes('create', 'pods').length, 0);
    assert.equal(clients.writes('patch', 'pods').length, 0);
  });

  it('a missing ReplicaSet forgets its expectations', async () => {
    expectations.expectCreations(KEY, 3);
    await sync();
    await reconciler.reconcile(KEY);
    assert.equal(expectations.pending(KEY), undefined);
  });
});
