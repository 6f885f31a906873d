import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { DEPLOYMENTS, PODS, REPLICASETS } from '../../client/resource-types.js';
import { ControllerHarness } from '../framework/controller-harness.fixture.js';
import { garbageCollector } from './garbage-collector.js';

function owned(name: string, owner: KubeObject, extra: KubeObject['metadata'] = {}): KubeObject {
  const ref = { apiVersion: owner.apiVersion!, kind: owner.kind!, name: owner.metadata!.name!, uid: owner.metadata!.uid!, controller: true, blockOwnerDeletion: true };
  return { metadata: { name, namespace: 'default', ownerReferences: [ref], ...extra } };
}

describe('garbageCollector wiring', () => {
  let harness: ControllerHarness | undefined;
  afterEach(() => harness?.stop());

  it('deleting a Deployment cascades to its ReplicaSet and that one\'s pods', async () => {
    harness = new ControllerHarness(garbageCollector);
    const h = harness;
    const [deploy] = h.clients.seed<KubeObject>(DEPLOYMENTS, { metadata: { name: 'd', namespace: 'default' } });
    const [rs] = h.clients.seed<KubeObject>(REPLICASETS, owned('rs', deploy!));
    h.clients.seed(PODS, owned('p1', rs!), owned('p2', rs!), { metadata: { name: 'unrelated', namespace: 'default' } });
    await h.start();
    await h.drain();
    assert.equal(h.clients.writes('delete').length, 0, 'nothing is garbage while owners live');
    await h.clients.resource(DEPLOYMENTS).delete('default', 'd');
    await h.drain();
    assert.deepEqual((await h.clients.resource(REPLICASETS).list('default')).items, []);
    assert.deepEqual((await h.clients.resource(PODS).list('default')).items.map((p) => p.metadata?.name), ['unrelated']);
  });

  it('foreground deletion removes the owner only after its dependents', async () => {
    harness = new ControllerHarness(garbageCollector);
    const h = harness;
    const [rs] = h.clients.seed<KubeObject>(REPLICASETS, { metadata: { name: 'rs', namespace: 'default', finalizers: ['foregroundDeletion'] } });
    h.clients.seed(PODS, owned('p1', rs!));
    await h.start();
    await h.clients.resource(REPLICASETS).delete('default', 'rs');
    await h.drain();
    assert.deepEqual((await h.clients.resource(PODS).list('default')).items, []);
    assert.deepEqual((await h.clients.resource(REPLICASETS).list('default')).items, []);
    const order = h.clients.writes().map((a) => `${a.verb} ${a.resource}`);
    assert.ok(order.indexOf('delete pods') < order.lastIndexOf('patch replicasets'), `pod deleted before the finalizer goes: ${order.join(', ')}`);
  });
});
