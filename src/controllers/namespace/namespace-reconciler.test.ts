import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { CONFIGMAPS, DEPLOYMENTS, NAMESPACES, PODS } from '../../client/resource-types.js';
import { FakeClock } from '../../lib/clock.js';
import { BadRequestError } from '../../lib/errors.js';
import { silentLogger } from '../../lib/logger.js';
import type { NamespaceObject as Namespace } from '../framework/kube-object-types.js';
import { SnapshotLister } from '../framework/snapshot-lister.fixture.js';
import { NamespaceReconciler } from './namespace-reconciler.js';

describe('NamespaceReconciler', () => {
  let clock: FakeClock;
  let clients: FakeClientSet;
  let namespaces: SnapshotLister<Namespace>;
  let reconciler: NamespaceReconciler;

  beforeEach(() => {
    clock = new FakeClock({ start: new Date('2025-01-01T00:00:00Z') });
    clients = new FakeClientSet({ clock });
    namespaces = new SnapshotLister(clients.resource<Namespace>(NAMESPACES));
    reconciler = new NamespaceReconciler({ clients, namespaces, clock, logger: silentLogger() });
  });

  // FakeClientSet deletes an object with deletionTimestamp on any write once metadata.finalizers is
  // empty (it does not know namespaces are also held by spec.finalizers), so the namespaces here
  // carry a metadata finalizer and tests assert on spec.finalizers instead of on disappearance.
  function seedNamespace(name: string, deleting: boolean): void {
    clients.seed<Namespace>(NAMESPACES, {
      metadata: { name, finalizers: ['example.com/test'], ...(deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}) },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: deleting ? 'Terminating' : 'Active' },
    });
  }

  function seedIn(namespace: string, ...names: string[]): void {
    for (const name of names) clients.seed<KubeObject>(CONFIGMAPS, { metadata: { name, namespace } });
  }

  async function count(type: typeof PODS, namespace: string): Promise<number> {
    return (await clients.resource(type).list(namespace)).items.length;
  }

  it('empties a terminating namespace, then finalizes it so it is deleted', async () => {
    seedNamespace('team', true);
    seedIn('team', 'a', 'b');
    seedIn('other', 'keep');
    clients.seed<KubeObject>(DEPLOYMENTS, { metadata: { name: 'web', namespace: 'team' }, spec: {} });
    await namespaces.sync();
    const result = await reconciler.reconcile('team');
    assert.equal(result, undefined);
    assert.equal(await count(CONFIGMAPS, 'team'), 0);
    assert.equal(await count(DEPLOYMENTS, 'team'), 0);
    assert.equal(await count(CONFIGMAPS, 'other'), 1, 'other namespaces are untouched');
    assert.deepEqual((await clients.resource<Namespace>(NAMESPACES).get(undefined, 'team')).spec?.finalizers, []);
  });

  it('waits while content with finalizers remains, with upstream conditions', async () => {
    seedNamespace('team', true);
    clients.seed<KubeObject>(PODS, { metadata: { name: 'p', namespace: 'team', finalizers: ['example.com/hold'] }, spec: {} });
    await namespaces.sync();
    const result = await reconciler.reconcile('team');
    assert.deepEqual(result, { requeueAfterMs: 2000 });
    const ns = await clients.resource<Namespace>(NAMESPACES).get(undefined, 'team');
    assert.deepEqual(ns.spec?.finalizers, ['kubernetes'], 'not finalized while content remains');
    assert.equal(ns.status?.phase, 'Terminating');
    const byType = new Map((ns.status?.conditions ?? []).map((c) => [c.type, c]));
    assert.equal(byType.get('NamespaceContentRemaining')?.status, 'True');
    assert.equal(byType.get('NamespaceContentRemaining')?.message, 'Some resources are remaining: pods has 1 resource instances');
    assert.equal(byType.get('NamespaceFinalizersRemaining')?.message, 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances');
    assert.equal(byType.get('NamespaceDeletionContentFailure')?.status, 'False');
    // The finalizer goes; the next pass finishes the job.
    await clients.resource(PODS).patch('team', 'p', 'merge', { metadata: { finalizers: null } });
    await namespaces.sync();
    assert.equal(await reconciler.reconcile('team'), undefined);
    const finalized = await clients.resource<Namespace>(NAMESPACES).get(undefined, 'team');
    assert.deepEqual(finalized.spec?.finalizers, []);
    assert.equal(finalized.status?.conditions?.find((c) => c.type === 'NamespaceContentRemaining')?.status, 'False');
  });

  it('sets phase Terminating when the registry has not', async () => {
    clients.seed<Namespace>(NAMESPACES, { metadata: { name: 'team', finalizers: ['example.com/test'], deletionTimestamp: '2025-01-01T00:00:00Z' }, spec: { finalizers: ['kubernetes', 'example.com/x'] }, status: { phase: 'Active' } });
    await namespaces.sync();
    await reconciler.reconcile('team');
    const ns = await clients.resource<Namespace>(NAMESPACES).get(undefined, 'team');
    assert.equal(ns.status?.phase, 'Terminating');
    assert.deepEqual(ns.spec?.finalizers, ['example.com/x'], 'only our finalizer is removed');
  });

  it('leaves namespaces that are not being deleted alone', async () => {
    seedNamespace('team', false);
    seedIn('team', 'a');
    await namespaces.sync();
    await reconciler.reconcile('team');
    assert.equal(await count(CONFIGMAPS, 'team'), 1);
    assert.equal(clients.writes().length, 0);
  });

  it('a failed delete is reported and retried, and the namespace is not finalized', async () => {
    seedNamespace('team', true);
    seedIn('team', 'a');
    clients.fail('delete', 'configmaps', new BadRequestError('boom'));
    await namespaces.sync();
    await assert.rejects(reconciler.reconcile('team'), /could not be emptied/);
    const ns = await clients.resource<Namespace>(NAMESPACES).get(undefined, 'team');
    const failure = ns.status?.conditions?.find((c) => c.type === 'NamespaceDeletionContentFailure');
    assert.equal(failure?.status, 'True');
    assert.equal(failure?.reason, 'ContentDeletionFailed');
    assert.deepEqual(ns.spec?.finalizers, ['kubernetes']);
  });
});
