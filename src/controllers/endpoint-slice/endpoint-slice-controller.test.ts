import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ENDPOINTSLICES, NODES, PODS, SERVICES } from '../../client/resource-types.js';
import type { EndpointSliceObject, ServiceObject } from '../endpoints/endpoint-object-types.js';
import { NS, node, pod, service } from '../endpoints/endpoint-test-objects.fixture.js';
import { ControllerHarness } from '../framework/controller-harness.fixture.js';
import type { PodObject } from '../framework/kube-object-types.js';
import { DEFAULT_GC_RESOURCES, garbageCollectorFor } from '../garbage-collector/garbage-collector.js';
import { endpointSliceController } from './endpoint-slice-controller.js';

describe('endpointSliceController wiring', () => {
  let harness: ControllerHarness | undefined;
  afterEach(() => harness?.stop());

  const slices = async (h: ControllerHarness) => (await h.clients.resource<EndpointSliceObject>(ENDPOINTSLICES).list(NS)).items;

  it('follows pods, puts back a slice someone deleted, and never writes without a change', async () => {
    harness = new ControllerHarness(endpointSliceController);
    const h = harness;
    h.clients.seed(NODES, node('node-1'));
    await h.start();
    const pods = h.clients.resource<PodObject>(PODS);
    await h.clients.resource<ServiceObject>(SERVICES).create(NS, service('web'));
    await pods.create(NS, pod('a', { ip: '10.244.0.2' }));
    await pods.create(NS, pod('b', { ip: '10.244.0.3' }));
    await h.drain();
    const [first, ...rest] = await slices(h);
    assert.equal(rest.length, 0);
    let slice = first;
    assert.deepEqual(slice!.endpoints.map((e) => [e.addresses[0], e.conditions?.ready]), [['10.244.0.2', true], ['10.244.0.3', true]]);

    const b = await pods.get(NS, 'b');
    await pods.updateStatus(NS, { ...b, status: { ...b.status, conditions: [{ type: 'Ready', status: 'False' }] } });
    await h.drain();
    [slice] = await slices(h);
    assert.deepEqual(slice!.endpoints.map((e) => [e.addresses[0], e.conditions?.ready]), [['10.244.0.2', true], ['10.244.0.3', false]]);

    await h.clients.resource(ENDPOINTSLICES).delete(NS, slice!.metadata!.name!);
    await h.drain();
    assert.equal((await slices(h)).length, 1);
    const writes = h.clients.writes().filter((a) => a.resource === 'endpointslices').length;
    // An irrelevant pod change: no write.
    const a = await pods.get(NS, 'a');
    await pods.update(NS, { ...a, metadata: { ...a.metadata, annotations: { x: 'y' } } });
    await h.drain();
    assert.equal(h.clients.writes().filter((w) => w.resource === 'endpointslices').length, writes);
  });

  it('the garbage collector (given services and slices) deletes the slices of a deleted service', async () => {
    harness = new ControllerHarness(garbageCollectorFor({ resources: [...DEFAULT_GC_RESOURCES, SERVICES, ENDPOINTSLICES] }));
    const h = harness;
    const [svc] = h.clients.seed<ServiceObject>(SERVICES, service('web'));
    h.clients.seed<EndpointSliceObject>(ENDPOINTSLICES, {
      metadata: { name: 'web-abcde', namespace: NS, ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc!.metadata!.uid!, controller: true }] },
      addressType: 'IPv4', endpoints: [],
    });
    await h.start();
    await h.drain();
    assert.equal((await slices(h)).length, 1);
    await h.clients.resource(SERVICES).delete(NS, 'web');
    await h.drain();
    assert.deepEqual(await slices(h), []);
  });
});
