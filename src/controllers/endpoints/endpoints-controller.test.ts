import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ENDPOINTS, PODS, SERVICES } from '../../client/resource-types.js';
import { ControllerHarness } from '../framework/controller-harness.fixture.js';
import type { PodObject } from '../framework/kube-object-types.js';
import type { EndpointsObject, ServiceObject } from './endpoint-object-types.js';
import { endpointsController } from './endpoints-controller.js';
import { NS, pod, service } from './endpoint-test-objects.fixture.js';

describe('endpointsController wiring', () => {
  let harness: ControllerHarness | undefined;
  afterEach(() => harness?.stop());

  const ips = async (h: ControllerHarness) => {
    const ep = await h.clients.resource<EndpointsObject>(ENDPOINTS).get(NS, 'web');
    return {
      ready: (ep.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip)),
      notReady: (ep.subsets ?? []).flatMap((s) => (s.notReadyAddresses ?? []).map((a) => a.ip)),
    };
  };

  it('follows services and pods: create, readiness flip, relabel, service delete', async () => {
    harness = new ControllerHarness(endpointsController);
    const h = harness;
    await h.start();
    const pods = h.clients.resource<PodObject>(PODS);
    await h.clients.resource<ServiceObject>(SERVICES).create(NS, service('web'));
    await pods.create(NS, pod('a', { ip: '10.244.0.2' }));
    await pods.create(NS, pod('b', { ip: '10.244.0.3' }));
    await h.drain();
    assert.deepEqual(await ips(h), { ready: ['10.244.0.2', '10.244.0.3'], notReady: [] });

    const b = await pods.get(NS, 'b');
    await pods.updateStatus(NS, { ...b, status: { ...b.status, conditions: [{ type: 'Ready', status: 'False' }] } });
    await h.drain();
    assert.deepEqual(await ips(h), { ready: ['10.244.0.2'], notReady: ['10.244.0.3'] });

    const a = await pods.get(NS, 'a');
    await pods.update(NS, { ...a, metadata: { ...a.metadata, labels: { app: 'other' } } });
    await h.drain();
    assert.deepEqual(await ips(h), { ready: [], notReady: ['10.244.0.3'] });

    await h.clients.resource(SERVICES).delete(NS, 'web');
    await h.drain();
    assert.deepEqual((await h.clients.resource(ENDPOINTS).list(NS)).items, []);
  });

  it('deleting the Endpoints of a live service recreates it', async () => {
    harness = new ControllerHarness(endpointsController);
    const h = harness;
    await h.start();
    await h.clients.resource<ServiceObject>(SERVICES).create(NS, service('web'));
    await h.drain();
    await h.clients.resource(ENDPOINTS).delete(NS, 'web');
    await h.drain();
    assert.equal(h.clients.writes('create', 'endpoints').length, 2);
  });

  it('at startup, Endpoints without a service are removed (leader locks excepted); later ones are left alone', async () => {
    harness = new ControllerHarness(endpointsController);
    const h = harness;
    h.clients.seed<EndpointsObject>(ENDPOINTS,
      { metadata: { name: 'leftover', namespace: NS, annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': '2025-01-01T00:00:00Z' } } },
      { metadata: { name: 'lock', namespace: NS, annotations: { 'control-plane.alpha.kubernetes.io/leader': '{}' } } },
    );
    await h.start();
    await h.drain();
    assert.deepEqual((await h.clients.resource(ENDPOINTS).list(NS)).items.map((e) => e.metadata?.name), ['lock']);
    // After the first list, a user's Endpoints without a service is left alone.
    await h.clients.resource<EndpointsObject>(ENDPOINTS).create(NS, { metadata: { name: 'mine' } });
    await h.drain();
    assert.deepEqual((await h.clients.resource(ENDPOINTS).list(NS)).items.map((e) => e.metadata?.name).sort(), ['lock', 'mine']);
  });
});
