import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import type { ClientDeleteOptions, ClientSet, ResourceClient, ResourceType } from '../../client/resource-client.js';
import { DEPLOYMENTS, PODS, REPLICASETS } from '../../client/resource-types.js';
import { FakeClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import type { OwnerReference } from '../framework/controller-ref.js';
import { SnapshotLister } from '../framework/snapshot-lister.fixture.js';
import { GarbageCollectorReconciler } from './garbage-collector-reconciler.js';
import { GC_INDEXERS, OwnerGraph } from './owner-graph.js';
import { OwnerResolver } from './owner-resolver.js';

const NS = 'default';

/** Records delete options, which FakeClientSet does not model (it ignores propagationPolicy). */
class RecordingClientSet implements ClientSet {
  readonly deletes: { resource: string; name: string; options: ClientDeleteOptions | undefined }[] = [];
  private readonly inner: ClientSet;
  constructor(inner: ClientSet) {
    this.inner = inner;
  }
  resource<T extends KubeObject = KubeObject>(type: ResourceType): ResourceClient<T> {
    const client = this.inner.resource<T>(type);
    const deletes = this.deletes;
    return new Proxy(client, {
      get(target, prop, receiver) {
        if (prop === 'delete') {
          return (namespace: string | undefined, name: string, options?: ClientDeleteOptions) => {
            deletes.push({ resource: type.resource, name, options });
            return target.delete(namespace, name, options);
          };
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
  }
}

function ref(owner: KubeObject, extra: Partial<OwnerReference> = {}): OwnerReference {
  return { apiVersion: owner.apiVersion!, kind: owner.kind!, name: owner.metadata!.name!, uid: owner.metadata!.uid!, ...extra };
}

describe('GarbageCollectorReconciler', () => {
  let fake: FakeClientSet;
  let clients: RecordingClientSet;
  let listers: SnapshotLister<KubeObject>[];
  let reconciler: GarbageCollectorReconciler;

  beforeEach(() => {
    const clock = new FakeClock();
    fake = new FakeClientSet({ clock });
    clients = new RecordingClientSet(fake);
    const types = [PODS, REPLICASETS, DEPLOYMENTS];
    listers = types.map((type) => new SnapshotLister<KubeObject>(fake.resource(type), GC_INDEXERS));
    const graph = new OwnerGraph({ sources: types.map((type, i) => ({ type, lister: listers[i]! })) });
    const resolver = new OwnerResolver({ clients, graph });
    reconciler = new GarbageCollectorReconciler({ clients, graph, resolver, logger: silentLogger() });
  });

  async function sync(): Promise<void> {
    for (const lister of listers) await lister.sync();
  }

  function seed(type: ResourceType, name: string, meta: KubeObject['metadata'] = {}): KubeObject {
    return fake.seed(type, { metadata: { name, namespace: NS, ...meta } })[0]!;
  }

  async function exists(type: ResourceType, name: string): Promise<KubeObject | undefined> {
    return fake.resource(type).get(NS, name).catch(() => undefined);
  }

  it('deletes a dependent whose owner is gone, in the background', async () => {
    const rs = seed(REPLICASETS, 'rs');
    const pod = seed(PODS, 'p', { ownerReferences: [ref(rs, { controller: true })] });
    await fake.resource(REPLICASETS).delete(NS, 'rs');
    await sync();
    await reconciler.reconcile(pod.metadata!.uid!);
    assert.equal(await exists(PODS, 'p'), undefined);
    assert.deepEqual(clients.deletes, [{ resource: 'pods', name: 'p', options: { propagationPolicy: 'Background', preconditions: { uid: pod.metadata!.uid } } }]);
  });

  it('keeps a dependent whose owner exists, even when the owner cache lags', async () => {
    const pod0 = seed(PODS, 'p0');
    await sync(); // the replicaset cache stays empty
    const rs = seed(REPLICASETS, 'rs');
    const pod = seed(PODS, 'p', { ownerReferences: [ref(rs)] });
    await listers[0]!.sync();
    await reconciler.reconcile(pod.metadata!.uid!);
    await reconciler.reconcile(pod0.metadata!.uid!);
    assert.ok(await exists(PODS, 'p'));
    assert.equal(fake.writes().length, 0);
  });

  it('an owner recreated with the same name is a different owner', async () => {
    const rs = seed(REPLICASETS, 'rs');
    const pod = seed(PODS, 'p', { ownerReferences: [ref(rs)] });
    await fake.resource(REPLICASETS).delete(NS, 'rs');
    seed(REPLICASETS, 'rs');
    await sync();
    await reconciler.reconcile(pod.metadata!.uid!);
    assert.equal(await exists(PODS, 'p'), undefined);
  });

  it('with several owners, deletes only when all are gone', async () => {
    const a = seed(REPLICASETS, 'a');
    const b = seed(REPLICASETS, 'b');
    const pod = seed(PODS, 'p', { ownerReferences: [ref(a), ref(b)] });
    await fake.resource(REPLICASETS).delete(NS, 'a');
    await sync();
    await reconciler.reconcile(pod.metadata!.uid!);
    const kept = await exists(PODS, 'p');
    assert.deepEqual(kept?.metadata?.ownerReferences?.map((r) => r.name), ['b'], 'the dangling reference is removed');
    await fake.resource(REPLICASETS).delete(NS, 'b');
    await sync();
    await reconciler.reconcile(pod.metadata!.uid!);
    assert.equal(await exists(PODS, 'p'), undefined);
  });

  it('foreground: deletes dependents, then removes the finalizer once no blocking dependent is left', async () => {
    const deploy = seed(DEPLOYMENTS, 'd', { finalizers: ['foregroundDeletion'] });
    seed(REPLICASETS, 'blocking', { ownerReferences: [ref(deploy, { controller: true, blockOwnerDeletion: true })] });
    seed(REPLICASETS, 'loose', { ownerReferences: [ref(deploy)] });
    const other = seed(DEPLOYMENTS, 'other');
    seed(REPLICASETS, 'shared', { ownerReferences: [ref(deploy, { blockOwnerDeletion: true }), ref(other)] });
    await fake.resource(DEPLOYMENTS).delete(NS, 'd');
    await sync();
    const result = await reconciler.reconcile(deploy.metadata!.uid!);
    assert.deepEqual(result, { requeueAfterMs: 5000 }, 'blocking dependents are still in the cache');
    assert.deepEqual(clients.deletes.map((d) => [d.name, d.options?.propagationPolicy]).sort(), [['blocking', 'Foreground'], ['loose', 'Foreground']]);
    assert.deepEqual((await exists(REPLICASETS, 'shared'))?.metadata?.ownerReferences?.map((r) => r.name), ['other'], 'a dependent with another owner is unlinked');
    assert.ok(await exists(DEPLOYMENTS, 'd'), 'the owner waits');
    await sync();
    await reconciler.reconcile(deploy.metadata!.uid!);
    assert.equal(await exists(DEPLOYMENTS, 'd'), undefined, 'finalizer removed, so the owner is gone');
  });

  it('foreground waits for a blocking dependent that is itself being deleted', async () => {
    const deploy = seed(DEPLOYMENTS, 'd', { finalizers: ['foregroundDeletion'] });
    seed(REPLICASETS, 'rs', { finalizers: ['example.com/hold'], ownerReferences: [ref(deploy, { blockOwnerDeletion: true })] });
    await fake.resource(REPLICASETS).delete(NS, 'rs');
    await fake.resource(DEPLOYMENTS).delete(NS, 'd');
    await sync();
    assert.deepEqual(await reconciler.reconcile(deploy.metadata!.uid!), { requeueAfterMs: 5000 });
    assert.equal(clients.deletes.filter((d) => d.resource === 'replicasets').length, 0, 'already deleting: not deleted again');
    assert.deepEqual((await exists(DEPLOYMENTS, 'd'))?.metadata?.finalizers, ['foregroundDeletion']);
  });

  it('orphan: dependents lose the reference and survive, then the finalizer goes', async () => {
    const deploy = seed(DEPLOYMENTS, 'd', { finalizers: ['orphan'] });
    const other = seed(DEPLOYMENTS, 'other');
    seed(REPLICASETS, 'rs1', { ownerReferences: [ref(deploy, { controller: true })] });
    seed(REPLICASETS, 'rs2', { ownerReferences: [ref(deploy), ref(other)] });
    await fake.resource(DEPLOYMENTS).delete(NS, 'd');
    await sync();
    await reconciler.reconcile(deploy.metadata!.uid!);
    assert.equal((await exists(REPLICASETS, 'rs1'))?.metadata?.ownerReferences, undefined);
    assert.deepEqual((await exists(REPLICASETS, 'rs2'))?.metadata?.ownerReferences?.map((r) => r.name), ['other']);
    assert.equal(await exists(DEPLOYMENTS, 'd'), undefined);
    assert.equal(clients.deletes.length, 0);
  });

  it('a dependent with the orphan finalizer is deleted with the Orphan policy', async () => {
    const rs = seed(REPLICASETS, 'rs');
    const child = seed(REPLICASETS, 'child', { finalizers: ['orphan'], ownerReferences: [ref(rs)] });
    await fake.resource(REPLICASETS).delete(NS, 'rs');
    await sync();
    await reconciler.reconcile(child.metadata!.uid!);
    assert.equal(clients.deletes[0]?.options?.propagationPolicy, 'Orphan');
  });

  it('unknown owner kinds are never treated as gone', async () => {
    const pod = seed(PODS, 'p', { ownerReferences: [{ apiVersion: 'example.com/v1', kind: 'Widget', name: 'w', uid: 'u-w' }] });
    await sync();
    await reconciler.reconcile(pod.metadata!.uid!);
    assert.ok(await exists(PODS, 'p'));
  });

  it('an unknown uid is a no-op', async () => {
    await sync();
    assert.equal(await reconciler.reconcile('nope'), undefined);
    assert.equal(fake.writes().length, 0);
  });
});
