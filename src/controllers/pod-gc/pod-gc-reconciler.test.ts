import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { NODES, PODS } from '../../client/resource-types.js';
import { FakeClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import type { NodeObject as Node, PodObject as Pod } from '../framework/kube-object-types.js';
import { SnapshotLister } from '../framework/snapshot-lister.fixture.js';
import { PodGcReconciler } from './pod-gc-reconciler.js';

describe('PodGcReconciler', () => {
  let clock: FakeClock;
  let clients: FakeClientSet;
  let pods: SnapshotLister<Pod>;
  let nodes: SnapshotLister<Node>;

  beforeEach(() => {
    clock = new FakeClock({ start: new Date('2025-01-01T00:00:00Z') });
    clients = new FakeClientSet({ clock });
    pods = new SnapshotLister(clients.resource<Pod>(PODS));
    nodes = new SnapshotLister(clients.resource<Node>(NODES));
  });

  function reconcilerWith(threshold = 12_500): PodGcReconciler {
    return new PodGcReconciler({ clients, pods, nodes, clock, logger: silentLogger(), terminatedPodThreshold: threshold });
  }

  function seedPod(name: string, spec: { node?: string; phase?: string; created?: string; reason?: string }): void {
    clients.seed<Pod>(PODS, {
      metadata: { name, namespace: 'default', ...(spec.created ? { creationTimestamp: spec.created } : {}) },
      spec: { containers: [], ...(spec.node ? { nodeName: spec.node } : {}) },
      status: { phase: spec.phase ?? 'Running', ...(spec.reason ? { reason: spec.reason } : {}) },
    });
  }

  async function names(): Promise<string[]> {
    return (await clients.resource<Pod>(PODS).list(undefined)).items.map((p) => p.metadata!.name!).sort();
  }

  async function sync(): Promise<void> {
    await pods.sync();
    await nodes.sync();
  }

  it('deletes terminated pods beyond the threshold: evicted first, then oldest', async () => {
    clients.seed<Node>(NODES, { metadata: { name: 'n1' } });
    seedPod('old', { node: 'n1', phase: 'Succeeded', created: '2024-01-01T00:00:00Z' });
    seedPod('newer', { node: 'n1', phase: 'Failed', created: '2024-06-01T00:00:00Z' });
    seedPod('evicted', { node: 'n1', phase: 'Failed', reason: 'Evicted', created: '2024-12-01T00:00:00Z' });
    seedPod('newest', { node: 'n1', phase: 'Succeeded', created: '2024-12-31T00:00:00Z' });
    seedPod('running', { node: 'n1', created: '2023-01-01T00:00:00Z' });
    await sync();
    await reconcilerWith(2).reconcile();
    assert.deepEqual(await names(), ['newer', 'newest', 'running']);
  });

  it('keeps terminated pods under the threshold, and a threshold of 0 disables the sweep', async () => {
    clients.seed<Node>(NODES, { metadata: { name: 'n1' } });
    seedPod('done', { node: 'n1', phase: 'Succeeded' });
    await sync();
    await reconcilerWith(1).reconcile();
    await reconcilerWith(0).reconcile();
    assert.deepEqual(await names(), ['done']);
  });

  it('deletes pods of a missing node only after the 40 s quarantine', async () => {
    clients.seed<Node>(NODES, { metadata: { name: 'alive' } });
    seedPod('orphan', { node: 'gone' });
    seedPod('fine', { node: 'alive' });
    await sync();
    const reconciler = reconcilerWith();
    assert.deepEqual(await reconciler.reconcile(), { requeueAfterMs: 20_000 });
    clock.advance(39_000);
    assert.deepEqual(await reconciler.reconcile(), { requeueAfterMs: 1000 });
    assert.deepEqual(await names(), ['fine', 'orphan']);
    clock.advance(1000);
    await reconciler.reconcile();
    assert.deepEqual(await names(), ['fine']);
    const status = clients.writes('patch', 'pods');
    assert.deepEqual(status.map((a) => [a.name, a.subresource]), [['orphan', 'status']], 'marked Failed before deletion');
  });

  it('a node missing only from the cache is not treated as gone', async () => {
    seedPod('p', { node: 'late' });
    await sync();
    clients.seed<Node>(NODES, { metadata: { name: 'late' } });
    const reconciler = reconcilerWith();
    await reconciler.reconcile();
    clock.advance(40_000);
    await reconciler.reconcile();
    assert.deepEqual(await names(), ['p']);
  });

  it('force-deletes unscheduled pods that are being deleted', async () => {
    clients.seed<Pod>(PODS, { metadata: { name: 'stuck', namespace: 'default', finalizers: ['x'], deletionTimestamp: '2025-01-01T00:00:00Z' }, spec: { containers: [] } });
    seedPod('pending', { phase: 'Pending' });
    await sync();
    clients.clearActions();
    await reconcilerWith().reconcile();
    assert.deepEqual(clients.writes('delete', 'pods').map((a) => a.name), ['stuck']);
  });
});
