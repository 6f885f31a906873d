import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { ENDPOINTSLICES, NODES, PODS, SERVICES } from '../../client/resource-types.js';
import { FakeClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import type { EndpointSliceObject, ServiceObject } from '../endpoints/endpoint-object-types.js';
import { NS, node, pod, service } from '../endpoints/endpoint-test-objects.fixture.js';
import type { NodeObject, PodObject } from '../framework/kube-object-types.js';
import { SnapshotLister } from '../framework/snapshot-lister.fixture.js';
import { EndpointSliceReconciler, STALE_CACHE_RETRY_MS } from './endpoint-slice-reconciler.js';

const KEY = `${NS}/web`;

describe('EndpointSliceReconciler', () => {
  let clock: FakeClock;
  let clients: FakeClientSet;
  let services: SnapshotLister<ServiceObject>;
  let pods: SnapshotLister<PodObject>;
  let slices: SnapshotLister<EndpointSliceObject>;
  let nodes: SnapshotLister<NodeObject>;
  let reconciler: EndpointSliceReconciler;

  beforeEach(() => {
    clock = new FakeClock({ start: new Date('2025-01-01T00:01:00Z') });
    clients = new FakeClientSet({ clock });
    services = new SnapshotLister(clients.resource<ServiceObject>(SERVICES));
    pods = new SnapshotLister(clients.resource<PodObject>(PODS));
    slices = new SnapshotLister(clients.resource<EndpointSliceObject>(ENDPOINTSLICES));
    nodes = new SnapshotLister(clients.resource<NodeObject>(NODES));
    reconciler = new EndpointSliceReconciler({ clients, services, pods, slices, nodes, clock, logger: silentLogger() });
    clients.seed(NODES, node('node-1', 'zone-a'));
  });

  async function pass(key = KEY): Promise<unknown> {
    await Promise.all([services.sync(), pods.sync(), slices.sync(), nodes.sync()]);
    return reconciler.reconcile(key);
  }

  const liveSlices = async () => (await clients.resource<EndpointSliceObject>(ENDPOINTSLICES).list(NS)).items;
  const writes = () => clients.actions.filter((a) => a.resource === 'endpointslices').map((a) => a.verb);

  it('creates one slice: labels, owner, generateName, IPv4, ports, endpoints with conditions', async () => {
    const [svc] = clients.seed(SERVICES, service('web', { labels: { team: 'a' } }));
    const [a] = clients.seed(PODS, pod('a', { ip: '10.244.0.2' }));
    await pass();
    const [slice, ...rest] = await liveSlices();
    assert.equal(rest.length, 0);
    assert.match(slice!.metadata!.name!, /^web-[a-z0-9]{5}$/);
    assert.equal(slice!.metadata!.generateName, 'web-');
    assert.deepEqual(slice!.metadata!.labels, {
      team: 'a', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    });
    assert.deepEqual(slice!.metadata!.ownerReferences, [
      { apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc!.metadata!.uid, controller: true, blockOwnerDeletion: true },
    ]);
    assert.equal(slice!.metadata!.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'], '2025-01-01T00:01:00Z');
    assert.equal(slice!.addressType, 'IPv4');
    assert.deepEqual(slice!.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    assert.deepEqual(slice!.endpoints, [{
      addresses: ['10.244.0.2'],
      conditions: { ready: true, serving: true, terminating: false },
      nodeName: 'node-1',
      zone: 'zone-a',
      targetRef: { kind: 'Pod', namespace: NS, name: 'a', uid: a!.metadata!.uid },
    }]);
  });

  it('conditions: unready, terminating, and publishNotReadyAddresses', async () => {
    clients.seed(SERVICES, service('web'));
    clients.seed(PODS, pod('unready', { ip: '10.244.0.2', ready: false }), pod('going', { ip: '10.244.0.3', terminating: true }), pod('noip', { ip: undefined }));
    await pass();
    const conditions = () => liveSlices().then((s) => Object.fromEntries(s.flatMap((x) => x.endpoints).map((e) => [e.targetRef?.name, e.conditions])));
    assert.deepEqual(await conditions(), {
      unready: { ready: false, serving: false, terminating: false },
      going: { ready: false, serving: true, terminating: true },
    });
    const svc = await clients.resource<ServiceObject>(SERVICES).get(NS, 'web');
    await clients.resource<ServiceObject>(SERVICES).update(NS, { ...svc, spec: { ...svc.spec, publishNotReadyAddresses: true } });
    await pass();
    assert.deepEqual(await conditions(), {
      unready: { ready: true, serving: false, terminating: false },
      going: { ready: true, serving: true, terminating: true },
    });
  });

  it('no churn: a pass with nothing changed writes nothing; a readiness flip updates the same slice', async () => {
    clients.seed(SERVICES, service('web'));
    clients.seed(PODS, pod('a', { ip: '10.244.0.2' }), pod('b', { ip: '10.244.0.3' }));
    await pass();
    const [before] = await liveSlices();
    await pass();
    assert.deepEqual(writes(), ['create']);
    const b = await clients.resource<PodObject>(PODS).get(NS, 'b');
    await clients.resource<PodObject>(PODS).updateStatus(NS, { ...b, status: { ...b.status, conditions: [{ type: 'Ready', status: 'False' }] } });
    await pass();
    assert.deepEqual(writes(), ['create', 'update']);
    const [after, ...rest] = await liveSlices();
    assert.equal(rest.length, 0);
    assert.equal(after!.metadata!.name, before!.metadata!.name);
    assert.deepEqual(after!.endpoints.map((e) => [e.targetRef?.name, e.conditions?.ready]), [['a', true], ['b', false]]);
  });

  it('splits at 100 endpoints per slice and touches only the slice that changed', async () => {
    clients.seed(SERVICES, service('web'));
    clients.seed(PODS, ...Array.from({ length: 250 }, (_, i) => pod(`p${i}`, { ip: `10.1.${Math.floor(i / 200)}.${(i % 200) + 1}` })));
    await pass();
    assert.deepEqual((await liveSlices()).map((s) => s.endpoints.length).sort(), [100, 100, 50]);
    await clients.resource(PODS).delete(NS, 'p7');
    await pass();
    assert.deepEqual(writes(), ['create', 'create', 'create', 'update']);
    assert.deepEqual((await liveSlices()).map((s) => s.endpoints.length).sort(), [100, 50, 99]);
  });

  it('a new pod goes into the unchanged slice it fits instead of a new slice', async () => {
    clients.seed(SERVICES, service('web'));
    clients.seed(PODS, pod('a', { ip: '10.244.0.2' }));
    await pass();
    clients.seed(PODS, pod('b', { ip: '10.244.0.3' }));
    await pass();
    assert.deepEqual(writes(), ['create', 'update']);
    assert.equal((await liveSlices())[0]!.endpoints.length, 2);
  });

  it('keeps an empty placeholder slice; the first endpoint reuses it by update', async () => {
    clients.seed(SERVICES, service('web'));
    await pass();
    const [placeholder] = await liveSlices();
    assert.deepEqual(placeholder!.endpoints, []);
    assert.deepEqual(placeholder!.ports, []);
    await pass();
    assert.deepEqual(writes(), ['create'], 'an identical placeholder is kept');
    clients.seed(PODS, pod('a', { ip: '10.244.0.2' }));
    await pass();
    assert.deepEqual(writes(), ['create', 'update'], 'create + delete folded into an update');
    const [slice, ...rest] = await liveSlices();
    assert.equal(rest.length, 0);
    assert.equal(slice!.metadata!.name, placeholder!.metadata!.name);
    assert.deepEqual(slice!.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  });

  it('pods resolving a named port differently get separate slices', async () => {
    clients.seed(SERVICES, service('web', { ports: [{ name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' }] }));
    clients.seed(PODS, pod('a', { ip: '10.244.0.2', namedPorts: { web: 8080 } }), pod('b', { ip: '10.244.0.3', namedPorts: { web: 9090 } }), pod('c', { ip: '10.244.0.4' }));
    await pass();
    const summary = (await liveSlices()).map((s) => `${(s.ports ?? []).map((p) => p.port).join()}:${s.endpoints.map((e) => e.targetRef?.name).join()}`).sort();
    assert.deepEqual(summary, ['8080:a', '9090:b', ':c']);
  });

  it('a lagging slice cache never creates twice', async () => {
    clients.seed(SERVICES, service('web'));
    clients.seed(PODS, pod('a', { ip: '10.244.0.2' }));
    await pass();
    await Promise.all([services.sync(), pods.sync()]); // the slice cache still shows nothing
    assert.deepEqual(await reconciler.reconcile(KEY), { requeueAfterMs: STALE_CACHE_RETRY_MS });
    assert.deepEqual(writes(), ['create']);
    await pass();
    assert.deepEqual(writes(), ['create']);
  });

  it('slices of an earlier service with the same name are replaced', async () => {
    clients.seed(SERVICES, service('web'));
    clients.seed<EndpointSliceObject>(ENDPOINTSLICES, {
      metadata: {
        name: 'web-old', namespace: NS,
        labels: { 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
        ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'gone', controller: true }],
      },
      addressType: 'IPv4', endpoints: [], ports: [],
    });
    clients.seed(PODS, pod('a', { ip: '10.244.0.2' }));
    await pass();
    const names = (await liveSlices()).map((s) => s.metadata?.name);
    assert.equal(names.length, 1);
    assert.notEqual(names[0], 'web-old');
    assert.deepEqual(writes(), ['create', 'delete']);
  });

  it('a pod on a missing node is left out and the sync fails for a retry', async () => {
    clients.seed(SERVICES, service('web'));
    clients.seed(PODS, pod('a', { ip: '10.244.0.2' }), pod('lost', { ip: '10.244.0.3', node: 'nowhere' }));
    await assert.rejects(pass(), /nowhere/);
    assert.deepEqual((await liveSlices()).flatMap((s) => s.endpoints.map((e) => e.targetRef?.name)), ['a']);
  });

  it('selector-less and deleted services: no writes (their slices are the user\'s or the GC\'s)', async () => {
    clients.seed(SERVICES, service('manual', { selector: undefined }));
    clients.seed(PODS, pod('a', { ip: '10.244.0.2' }));
    await pass(`${NS}/manual`);
    await pass(`${NS}/gone`);
    assert.deepEqual(writes(), []);
  });

  it('headless services label their slices', async () => {
    clients.seed(SERVICES, service('web', { clusterIP: 'None', ports: [] }));
    clients.seed(PODS, pod('a', { ip: '10.244.0.2' }));
    await pass();
    const [slice] = await liveSlices();
    assert.equal(slice!.metadata!.labels!['service.kubernetes.io/headless'], '');
    assert.deepEqual(slice!.ports, []);
    assert.equal(slice!.endpoints.length, 1);
  });
});
