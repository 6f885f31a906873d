import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PODS, REPLICASETS } from '../../client/resource-types.js';
import { ControllerHarness } from '../framework/controller-harness.fixture.js';
import type { PodObject as Pod, ReplicaSetObject as ReplicaSet } from '../framework/kube-object-types.js';
import { replicaSetController } from './replica-set-controller.js';

const RS: ReplicaSet = {
  metadata: { name: 'web', namespace: 'default' },
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
};

describe('replicaSetController wiring', () => {
  let harness: ControllerHarness | undefined;
  afterEach(() => harness?.stop());

  it('creates pods, sees them through the informer, and replaces a deleted one', async () => {
    harness = new ControllerHarness(replicaSetController);
    const h = harness;
    await h.start();
    await h.clients.resource<ReplicaSet>(REPLICASETS).create('default', RS);
    await h.drain();
    const pods = h.clients.resource<Pod>(PODS);
    let items = (await pods.list('default')).items;
    assert.equal(items.length, 2);
    assert.equal((await h.clients.resource<ReplicaSet>(REPLICASETS).get('default', 'web')).status?.replicas, 2);
    // Only possible if the ADDED events fulfilled the expectations.
    await pods.delete('default', items[0]!.metadata!.name!);
    await h.drain();
    items = (await pods.list('default')).items;
    assert.equal(items.length, 2);
    assert.equal(h.clients.writes('create', 'pods').length, 3);
  });

  it('an orphan pod created later is adopted instead of a new pod being made', async () => {
    harness = new ControllerHarness(replicaSetController);
    const h = harness;
    await h.start();
    await h.clients.resource<ReplicaSet>(REPLICASETS).create('default', { ...RS, spec: { ...RS.spec!, replicas: 1 } });
    await h.drain();
    await h.clients.resource<Pod>(PODS).create('default', { metadata: { name: 'stray', labels: { app: 'web' } }, spec: { containers: [] } });
    await h.drain();
    // The stray pod is adopted, making 2 of 1: one is deleted again.
    const items = (await h.clients.resource<Pod>(PODS).list('default')).items;
    assert.equal(items.length, 1);
    assert.equal(h.clients.writes('patch', 'pods').length, 1, 'adopted');
    assert.equal(h.clients.writes('delete', 'pods').length, 1);
  });
});
