import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeEventRecorder } from '../../client/events/fake-event-recorder.js';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { ENDPOINTS, PODS, SERVICES } from '../../client/resource-types.js';
import { FakeClock } from '../../lib/clock.js';
import { ConflictError } from '../../lib/errors.js';
import { silentLogger } from '../../lib/logger.js';
import type { PodObject } from '../framework/kube-object-types.js';
import { SnapshotLister } from '../framework/snapshot-lister.fixture.js';
import type { EndpointsObject, ServiceObject } from './endpoint-object-types.js';
import { NS, pod, service } from './endpoint-test-objects.fixture.js';
import { EndpointsReconciler } from './endpoints-reconciler.js';

describe('EndpointsReconciler', () => {
  let clock: FakeClock;
  let clients: FakeClientSet;
  let recorder: FakeEventRecorder;
  let services: SnapshotLister<ServiceObject>;
  let pods: SnapshotLister<PodObject>;
  let endpoints: SnapshotLister<EndpointsObject>;
  let reconciler: EndpointsReconciler;

  beforeEach(() => {
    clock = new FakeClock({ start: new Date('2025-01-01T00:01:00Z') });
    clients = new FakeClientSet({ clock });
    recorder = new FakeEventRecorder();
    services = new SnapshotLister(clients.resource<ServiceObject>(SERVICES));
    pods = new SnapshotLister(clients.resource<PodObject>(PODS));
    endpoints = new SnapshotLister(clients.resource<EndpointsObject>(ENDPOINTS));
    reconciler = new EndpointsReconciler({ clients, services, pods, endpoints, logger: silentLogger(), recorder });
  });

  async function sync(): Promise<void> {
    await services.sync();
    await pods.sync();
    await endpoints.sync();
  }

  async function pass(key = `${NS}/web`): Promise<void> {
    await sync();
    await reconciler.reconcile(key);
  }

  const live = (name = 'web') => clients.resource<EndpointsObject>(ENDPOINTS).get(NS, name);

  it('lists ready pods in addresses and unready ones in notReadyAddresses, with targetRef and nodeName', async () => {
    clients.seed(SERVICES, service('web'));
    const [a] = clients.seed(PODS, pod('a', { ip: '10.244.0.2' }));
    const [b] = clients.seed(PODS, pod('b', { ip: '10.244.0.3', ready: false }));
    clients.seed(PODS, pod('other', { ip: '10.244.0.9', labels: { app: 'db' } }));
    await pass();
    const ep = await live();
    assert.deepEqual(ep.subsets, [{
      addresses: [{ ip: '10.244.0.2', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: NS, name: 'a', uid: a!.metadata!.uid } }],
      notReadyAddresses: [{ ip: '10.244.0.3', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: NS, name: 'b', uid: b!.metadata!.uid } }],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    }]);
    assert.equal(ep.metadata?.labels?.['service.kubernetes.io/headless'], undefined);
  });

  it('leaves out pods without IP, terminal pods and terminating pods', async () => {
    clients.seed(SERVICES, service('web'));
    clients.seed(PODS,
      pod('ok', { ip: '10.244.0.2' }),
      pod('noip', { ip: undefined }),
      pod('done', { ip: '10.244.0.4', phase: 'Succeeded' }),
      pod('failed', { ip: '10.244.0.5', phase: 'Failed' }),
      pod('going', { ip: '10.244.0.6', terminating: true }),
    );
    await pass();
    const ep = await live();
    assert.deepEqual(ep.subsets?.flatMap((s) => [...(s.addresses ?? []), ...(s.notReadyAddresses ?? [])]).map((a) => a.ip), ['10.244.0.2']);
  });

  it('publishNotReadyAddresses lists every pod, terminating ones too, as ready', async () => {
    clients.seed(SERVICES, service('web', { publishNotReadyAddresses: true }));
    clients.seed(PODS, pod('a', { ip: '10.244.0.2', ready: false }), pod('b', { ip: '10.244.0.3', terminating: true }));
    await pass();
    const [subset] = (await live()).subsets ?? [];
    assert.deepEqual(subset?.addresses?.map((a) => a.ip), ['10.244.0.2', '10.244.0.3']);
    assert.equal(subset?.notReadyAddresses, undefined);
  });

  it('resolves named target ports per pod and leaves pods without the name out of that port', async () => {
    clients.seed(SERVICES, service('web', {
      ports: [
        { name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' },
        { name: 'metrics', port: 9090, targetPort: 9100, protocol: 'TCP' },
      ],
    }));
    clients.seed(PODS,
      pod('a', { ip: '10.244.0.2', namedPorts: { web: 8080 } }),
      pod('b', { ip: '10.244.0.3', namedPorts: { web: 8081 } }),
      pod('c', { ip: '10.244.0.4' }),
    );
    await pass();
    const subsets = (await live()).subsets ?? [];
    const byPort = subsets.map((s) => ({ ips: (s.addresses ?? []).map((a) => a.ip), ports: (s.ports ?? []).map((p) => `${p.name}:${p.port}`) }));
    assert.deepEqual(byPort.sort((x, y) => x.ports.join().localeCompare(y.ports.join())), [
      { ips: ['10.244.0.2'], ports: ['http:8080'] },
      { ips: ['10.244.0.3'], ports: ['http:8081'] },
      { ips: ['10.244.0.2', '10.244.0.3', '10.244.0.4'], ports: ['metrics:9100'] },
    ]);
  });

  it('headless services get the headless label; without ports, addresses only', async () => {
    clients.seed(SERVICES, service('web', { clusterIP: 'None', ports: [], labels: { team: 'a' } }));
    clients.seed(PODS, pod('a', { ip: '10.244.0.2', hostname: 'a', subdomain: 'web' }));
    await pass();
    const ep = await live();
    assert.deepEqual(ep.metadata?.labels, { team: 'a', 'service.kubernetes.io/headless': '' });
    assert.equal(ep.subsets?.length, 1);
    assert.equal(ep.subsets?.[0]?.ports, undefined);
    assert.equal(ep.subsets?.[0]?.addresses?.[0]?.hostname, 'a');
  });

  it('a non-headless service without ports publishes no subsets', async () => {
    clients.seed(SERVICES, service('web', { ports: [] }));
    clients.seed(PODS, pod('a', { ip: '10.244.0.2' }));
    await pass();
    assert.deepEqual((await live()).subsets ?? [], []);
  });

  it('writes only on change: a second pass and an irrelevant pod change write nothing', async () => {
    clients.seed(SERVICES, service('web'));
    clients.seed(PODS, pod('a', { ip: '10.244.0.2' }));
    await pass();
    await pass();
    const p = await clients.resource<PodObject>(PODS).get(NS, 'a');
    await clients.resource<PodObject>(PODS).update(NS, { ...p, metadata: { ...p.metadata, annotations: { note: 'x' } } });
    await pass();
    assert.equal(clients.writes('create', 'endpoints').length, 1);
    assert.equal(clients.writes('update', 'endpoints').length, 0);
  });

  it('a pod turning unready moves to notReadyAddresses and stamps the trigger time', async () => {
    clients.seed(SERVICES, service('web'));
    clients.seed(PODS, pod('a', { ip: '10.244.0.2' }));
    await pass();
    const p = await clients.resource<PodObject>(PODS).get(NS, 'a');
    await clients.resource<PodObject>(PODS).updateStatus(NS, {
      ...p, status: { ...p.status, conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: '2025-01-01T00:00:42Z' }] },
    });
    await pass();
    const ep = await live();
    assert.equal(ep.subsets?.[0]?.addresses, undefined);
    assert.equal(ep.subsets?.[0]?.notReadyAddresses?.[0]?.ip, '10.244.0.2');
    assert.equal(ep.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'], '2025-01-01T00:00:42Z');
  });

  it('a write that fails (Conflict) is retried with the same trigger time', async () => {
    clients.seed(SERVICES, service('web'));
    clients.seed(PODS, pod('a', { ip: '10.244.0.2' }));
    await pass();
    const p = await clients.resource<PodObject>(PODS).get(NS, 'a');
    await clients.resource<PodObject>(PODS).updateStatus(NS, {
      ...p, status: { ...p.status, conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: '2025-01-01T00:00:42Z' }] },
    });
    clients.fail('update', 'endpoints', new ConflictError('stale cache'), { times: 1 });
    await sync();
    await assert.rejects(reconciler.reconcile(`${NS}/web`), ConflictError);
    await pass();
    const ep = await live();
    assert.equal(ep.subsets?.[0]?.notReadyAddresses?.[0]?.ip, '10.244.0.2');
    assert.equal(ep.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'], '2025-01-01T00:00:42Z');
  });

  it('first write carries the service creation time as trigger time', async () => {
    clients.seed(SERVICES, service('web'));
    await pass();
    // FakeClientSet stamps creationTimestamp from the clock.
    assert.equal((await live()).metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'], '2025-01-01T00:01:00Z');
  });

  it('copies service labels, and updates when they change', async () => {
    const [svc] = clients.seed(SERVICES, service('web', { labels: { team: 'a' } }));
    await pass();
    assert.deepEqual((await live()).metadata?.labels, { team: 'a' });
    await clients.resource<ServiceObject>(SERVICES).update(NS, { ...svc!, metadata: { ...svc!.metadata, labels: { team: 'b' } } });
    await pass();
    assert.deepEqual((await live()).metadata?.labels, { team: 'b' });
    assert.equal(clients.writes('update', 'endpoints').length, 1);
  });

  it('services without a selector and ExternalName services are left alone', async () => {
    clients.seed(SERVICES, service('manual', { selector: undefined }), service('ext', { type: 'ExternalName' }));
    const [userEp] = clients.seed<EndpointsObject>(ENDPOINTS, { metadata: { name: 'manual', namespace: NS }, subsets: [{ addresses: [{ ip: '192.0.2.1' }] }] });
    clients.seed(PODS, pod('a', { ip: '10.244.0.2' }));
    await pass(`${NS}/manual`);
    await pass(`${NS}/ext`);
    assert.equal(clients.actions.length, 0);
    assert.deepEqual((await live('manual')).subsets, userEp!.subsets);
  });

  it('deletes the Endpoints when the service is gone; nothing to do when there is none', async () => {
    clients.seed(SERVICES, service('web'));
    await pass();
    await clients.resource(SERVICES).delete(NS, 'web');
    await pass();
    await assert.rejects(live(), { code: 'NotFound' } as object);
    const before = clients.actions.length;
    await pass();
    assert.equal(clients.actions.length, before);
  });

  it('a failed write records a Warning event and throws for a retry', async () => {
    clients.seed(SERVICES, service('web'));
    clients.fail('create', 'endpoints', new ConflictError('boom'));
    await sync();
    await assert.rejects(reconciler.reconcile(`${NS}/web`), ConflictError);
    assert.deepEqual(recorder.reasons(), ['FailedToCreateEndpoint']);
  });

  it('more than 1000 addresses are truncated and annotated', async () => {
    clients.seed(SERVICES, service('web'));
    const many = Array.from({ length: 1005 }, (_, i) => pod(`p${i}`, { ip: `10.1.${Math.floor(i / 250)}.${(i % 250) + 1}` }));
    clients.seed(PODS, ...many);
    await pass();
    const ep = await live();
    assert.equal(ep.subsets?.[0]?.addresses?.length, 1000);
    assert.equal(ep.metadata?.annotations?.['endpoints.kubernetes.io/over-capacity'], 'truncated');
  });
});
