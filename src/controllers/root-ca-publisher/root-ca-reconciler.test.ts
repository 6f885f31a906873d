import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { CONFIGMAPS, NAMESPACES } from '../../client/resource-types.js';
import { FakeClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import { ControllerHarness } from '../framework/controller-harness.fixture.js';
import type { NamespaceObject } from '../framework/kube-object-types.js';
import { SnapshotLister } from '../framework/snapshot-lister.fixture.js';
import { createRootCaPublisher } from './root-ca-controller.js';
import { ROOT_CA_CONFIGMAP, RootCaReconciler, type ConfigMapObject } from './root-ca-reconciler.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('RootCaReconciler', () => {
  let clients: FakeClientSet;
  let namespaces: SnapshotLister<NamespaceObject>;
  let configMaps: SnapshotLister<ConfigMapObject>;
  let reconciler: RootCaReconciler;

  beforeEach(() => {
    clients = new FakeClientSet({ clock: new FakeClock() });
    namespaces = new SnapshotLister(clients.resource<NamespaceObject>(NAMESPACES));
    configMaps = new SnapshotLister(clients.resource<ConfigMapObject>(CONFIGMAPS));
    reconciler = new RootCaReconciler({ clients, namespaces, configMaps, caCert: CA, logger: silentLogger() });
  });

  async function sync(): Promise<void> {
    await namespaces.sync();
    await configMaps.sync();
  }

  const published = (namespace: string) => clients.resource<ConfigMapObject>(CONFIGMAPS).get(namespace, ROOT_CA_CONFIGMAP);

  it('publishes the CA in an active namespace with upstream\'s description, once', async () => {
    clients.seed<NamespaceObject>(NAMESPACES, { metadata: { name: 'team' }, status: { phase: 'Active' } });
    await sync();
    await reconciler.reconcile('team');
    const cm = await published('team');
    assert.deepEqual(cm.data, { 'ca.crt': CA });
    assert.match(cm.metadata?.annotations?.['kubernetes.io/description'] ?? '', /^Contains a CA bundle that can be used to verify the kube-apiserver/);
    await sync();
    await reconciler.reconcile('team');
    assert.equal(clients.writes('create', 'configmaps').length, 1);
    assert.equal(clients.writes('update', 'configmaps').length, 0);
  });

  it('puts back a CA changed by hand, keeping other metadata', async () => {
    clients.seed<NamespaceObject>(NAMESPACES, { metadata: { name: 'team' } });
    clients.seed<ConfigMapObject>(CONFIGMAPS, { metadata: { name: ROOT_CA_CONFIGMAP, namespace: 'team', labels: { mine: 'yes' } }, data: { 'ca.crt': 'tampered', extra: 'x' } });
    await sync();
    await reconciler.reconcile('team');
    const cm = await published('team');
    assert.deepEqual(cm.data, { 'ca.crt': CA });
    assert.equal(cm.metadata?.labels?.['mine'], 'yes');
  });

  it('leaves terminating and missing namespaces alone', async () => {
    clients.seed<NamespaceObject>(NAMESPACES, { metadata: { name: 'dying', deletionTimestamp: '2025-01-01T00:00:00Z', finalizers: ['x'] }, status: { phase: 'Terminating' } });
    await sync();
    await reconciler.reconcile('dying');
    await reconciler.reconcile('never-was');
    assert.equal(clients.writes('create', 'configmaps').length, 0);
  });
});

describe('root CA publisher wiring', () => {
  it('fills every namespace and recreates a deleted ConfigMap', async () => {
    const h = new ControllerHarness(createRootCaPublisher({ caCert: CA }));
    h.clients.seed<NamespaceObject>(NAMESPACES, { metadata: { name: 'a' } }, { metadata: { name: 'b' } });
    await h.start();
    await h.drain();
    const all = async () => (await h.clients.resource(CONFIGMAPS).list(undefined)).items.map((x) => `${x.metadata?.namespace}/${x.metadata?.name}`).sort();
    assert.deepEqual(await all(), ['a/kube-root-ca.crt', 'b/kube-root-ca.crt']);
    await h.clients.resource(CONFIGMAPS).delete('a', ROOT_CA_CONFIGMAP);
    await h.drain();
    assert.deepEqual(await all(), ['a/kube-root-ca.crt', 'b/kube-root-ca.crt']);
    h.stop();
  });
});
