import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { NAMESPACES, SERVICEACCOUNTS } from '../../client/resource-types.js';
import { FakeClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import { ControllerHarness } from '../framework/controller-harness.fixture.js';
import type { NamespaceObject } from '../framework/kube-object-types.js';
import { SnapshotLister } from '../framework/snapshot-lister.fixture.js';
import { serviceAccountController } from './service-account-controller.js';
import { ServiceAccountReconciler, type ServiceAccountObject } from './service-account-reconciler.js';

describe('ServiceAccountReconciler', () => {
  let clients: FakeClientSet;
  let namespaces: SnapshotLister<NamespaceObject>;
  let accounts: SnapshotLister<ServiceAccountObject>;
  let reconciler: ServiceAccountReconciler;

  beforeEach(() => {
    clients = new FakeClientSet({ clock: new FakeClock() });
    namespaces = new SnapshotLister(clients.resource<NamespaceObject>(NAMESPACES));
    accounts = new SnapshotLister(clients.resource<ServiceAccountObject>(SERVICEACCOUNTS));
    reconciler = new ServiceAccountReconciler({ clients, namespaces, serviceAccounts: accounts, logger: silentLogger() });
  });

  async function sync(): Promise<void> {
    await namespaces.sync();
    await accounts.sync();
  }

  async function names(namespace: string): Promise<string[]> {
    return (await clients.resource(SERVICEACCOUNTS).list(namespace)).items.map((a) => a.metadata?.name ?? '');
  }

  it('creates the default ServiceAccount in an active namespace, once', async () => {
    clients.seed<NamespaceObject>(NAMESPACES, { metadata: { name: 'team' }, status: { phase: 'Active' } });
    await sync();
    await reconciler.reconcile('team');
    assert.deepEqual(await names('team'), ['default']);
    await sync();
    await reconciler.reconcile('team');
    assert.equal(clients.writes('create', 'serviceaccounts').length, 1);
  });

  it('treats AlreadyExists from a lagging cache as done', async () => {
    clients.seed<NamespaceObject>(NAMESPACES, { metadata: { name: 'team' } });
    clients.seed<ServiceAccountObject>(SERVICEACCOUNTS, { metadata: { name: 'default', namespace: 'team' } });
    await namespaces.sync();
    await reconciler.reconcile('team');
    assert.deepEqual(await names('team'), ['default']);
  });

  it('leaves terminating and missing namespaces alone', async () => {
    clients.seed<NamespaceObject>(NAMESPACES, { metadata: { name: 'dying', deletionTimestamp: '2025-01-01T00:00:00Z', finalizers: ['x'] }, status: { phase: 'Terminating' } });
    await sync();
    await reconciler.reconcile('dying');
    await reconciler.reconcile('never-was');
    assert.equal(clients.writes('create', 'serviceaccounts').length, 0);
  });
});

describe('serviceAccountController wiring', () => {
  it('fills every namespace and recreates a deleted default', async () => {
    const h = new ControllerHarness(serviceAccountController);
    h.clients.seed<NamespaceObject>(NAMESPACES, { metadata: { name: 'a' } }, { metadata: { name: 'b' } });
    await h.start();
    await h.drain();
    const all = async () => (await h.clients.resource(SERVICEACCOUNTS).list(undefined)).items.map((x) => `${x.metadata?.namespace}/${x.metadata?.name}`).sort();
    assert.deepEqual(await all(), ['a/default', 'b/default']);
    await h.clients.resource(SERVICEACCOUNTS).delete('a', 'default');
    await h.drain();
    assert.deepEqual(await all(), ['a/default', 'b/default']);
    h.stop();
  });
});
