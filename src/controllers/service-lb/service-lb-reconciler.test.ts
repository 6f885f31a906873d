import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { ServiceSpec } from 'kubernetes-types/core/v1.js';
import { FakeEventRecorder } from '../../client/events/fake-event-recorder.js';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { NODES, SERVICES } from '../../client/resource-types.js';
import { silentLogger } from '../../lib/logger.js';
import type { ServiceObject } from '../endpoints/endpoint-object-types.js';
import { ControllerHarness } from '../framework/controller-harness.fixture.js';
import type { NodeObject } from '../framework/kube-object-types.js';
import { SnapshotLister } from '../framework/snapshot-lister.fixture.js';
import { serviceLoadBalancerController } from './service-lb-controller.js';
import { LABEL_EXCLUDE_FROM_LB, SERVICE_LB_CLASS, ServiceLbReconciler } from './service-lb-reconciler.js';

function node(name: string, ip: string, ready = true, labels: Record<string, string> = {}): NodeObject {
  return {
    apiVersion: 'v1', kind: 'Node', metadata: { name, labels },
    status: {
      addresses: [{ type: 'Hostname', address: name }, { type: 'InternalIP', address: ip }],
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    },
  };
}

function service(name: string, spec: Partial<ServiceSpec> = {}): ServiceObject {
  return {
    apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' },
    spec: { type: 'LoadBalancer', clusterIP: '10.43.0.10', ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }], ...spec },
    status: { loadBalancer: {} },
  };
}

describe('ServiceLbReconciler', () => {
  let clients: FakeClientSet;
  let services: SnapshotLister<ServiceObject>;
  let nodes: SnapshotLister<NodeObject>;
  let recorder: FakeEventRecorder;
  let reconciler: ServiceLbReconciler;

  beforeEach(() => {
    clients = new FakeClientSet();
    services = new SnapshotLister(clients.resource<ServiceObject>(SERVICES));
    nodes = new SnapshotLister(clients.resource<NodeObject>(NODES));
    recorder = new FakeEventRecorder();
    reconciler = new ServiceLbReconciler({ clients, services, nodes, recorder, logger: silentLogger() });
  });

  const pass = async (key = 'default/web') => {
    await Promise.all([services.sync(), nodes.sync()]);
    await reconciler.reconcile(key);
  };
  const ingressOf = async (name = 'web') => (await clients.resource<ServiceObject>(SERVICES).get('default', name)).status?.loadBalancer?.ingress;

  it('sets the ingress to the InternalIP of every ready, non-excluded node, sorted, through the status subresource', async () => {
    clients.seed(NODES, node('b', '10.0.0.2'), node('a', '10.0.0.1'), node('down', '10.0.0.3', false), node('out', '10.0.0.4', true, { [LABEL_EXCLUDE_FROM_LB]: '' }));
    clients.seed(SERVICES, service('web'));
    await pass();
    assert.deepEqual(await ingressOf(), [{ ip: '10.0.0.1', ipMode: 'VIP' }, { ip: '10.0.0.2', ipMode: 'VIP' }]);
    assert.deepEqual(clients.writes().map((a) => `${a.verb}/${a.subresource ?? ''}`), ['update/status']);
    assert.deepEqual(recorder.events.map((e) => e.reason), ['EnsuredLoadBalancer']);
    // idempotent: a second pass writes nothing
    clients.clearActions();
    await pass();
    assert.equal(clients.writes().length, 0);
  });

  it('handles its own class, leaves other classes and non-LoadBalancer services alone', async () => {
    clients.seed(NODES, node('a', '127.0.0.1'));
    clients.seed(SERVICES, service('ours', { loadBalancerClass: SERVICE_LB_CLASS }), service('theirs', { loadBalancerClass: 'example.com/lb' }), service('plain', { type: 'ClusterIP' }));
    await pass('default/ours');
    await pass('default/theirs');
    await pass('default/plain');
    assert.deepEqual(await ingressOf('ours'), [{ ip: '127.0.0.1', ipMode: 'VIP' }]);
    assert.equal(await ingressOf('theirs'), undefined);
    assert.equal(clients.writes().length, 1);
  });

  it('clears the ingress when no node is ready any more, and when the service stops being a LoadBalancer', async () => {
    const [a] = clients.seed(NODES, node('a', '127.0.0.1'));
    clients.seed(SERVICES, service('web'));
    await pass();
    await clients.resource<NodeObject>(NODES).updateStatus(undefined, { ...node('a', '127.0.0.1', false), metadata: a?.metadata ?? {} });
    await pass();
    assert.equal(await ingressOf(), undefined);
    assert.ok(recorder.events.some((e) => e.reason === 'NoReadyNodes'));
    await clients.resource<NodeObject>(NODES).updateStatus(undefined, { ...node('a', '127.0.0.1'), metadata: (await clients.resource<NodeObject>(NODES).get(undefined, 'a')).metadata ?? {} });
    await pass();
    assert.equal((await ingressOf())?.length, 1);
    const current = await clients.resource<ServiceObject>(SERVICES).get('default', 'web');
    await clients.resource<ServiceObject>(SERVICES).update('default', { ...current, spec: { ...current.spec, type: 'ClusterIP' } });
    await pass();
    assert.equal(await ingressOf(), undefined);
  });
});

describe('service LB controller wiring', () => {
  it('a node becoming ready re-queues every LoadBalancer service', async () => {
    const harness = new ControllerHarness(serviceLoadBalancerController);
    harness.clients.seed(NODES, node('a', '127.0.0.1', false));
    harness.clients.seed(SERVICES, service('web'), service('plain', { type: 'ClusterIP' }));
    await harness.start();
    await harness.drain();
    const services = harness.clients.resource<ServiceObject>(SERVICES);
    assert.equal((await services.get('default', 'web')).status?.loadBalancer?.ingress, undefined);
    const current = await harness.clients.resource<NodeObject>(NODES).get(undefined, 'a');
    await harness.clients.resource<NodeObject>(NODES).updateStatus(undefined, { ...node('a', '127.0.0.1'), metadata: current.metadata ?? {} });
    await harness.drain();
    assert.deepEqual((await services.get('default', 'web')).status?.loadBalancer?.ingress, [{ ip: '127.0.0.1', ipMode: 'VIP' }]);
    harness.stop();
  });
});
