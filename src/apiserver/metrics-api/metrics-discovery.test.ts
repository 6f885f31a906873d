import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MemoryStore } from '../../storage/memory/memory-store.js';
import { call, json, startHarness, stopHarness, type Harness } from '../http/test-server.fixture.js';

const KUBECTL_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

// kubectl top first checks that discovery has metrics.k8s.io ("Metrics API not available" else).
describe('metrics.k8s.io in discovery', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ store: new MemoryStore() });
  });
  after(() => stopHarness(h));

  it('serves the legacy group and resource list, get and list only', async () => {
    const group = await json(await call(h, '/apis/metrics.k8s.io'));
    assert.equal(group.kind, 'APIGroup');
    assert.deepEqual(group.preferredVersion, { groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' });
    const list = await json(await call(h, '/apis/metrics.k8s.io/v1beta1'));
    assert.equal(list.kind, 'APIResourceList');
    assert.deepEqual(list.resources, [
      { name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'] },
      { name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] },
    ]);
    assert.equal((await call(h, '/apis/metrics.k8s.io/v1')).status, 404);
  });

  it('is in the aggregated /apis with its scopes and kinds', async () => {
    const response = await call(h, '/apis', { headers: { Accept: KUBECTL_ACCEPT } });
    const body = (await response.json()) as { items: { metadata: { name: string }; versions: { resources: unknown[] }[] }[] };
    const item = body.items.find((i) => i.metadata.name === 'metrics.k8s.io');
    assert.ok(item, 'metrics.k8s.io listed');
    assert.deepEqual(item.versions[0]?.resources, [
      { resource: 'nodes', responseKind: { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'NodeMetrics' }, scope: 'Cluster', singularResource: '', verbs: ['get', 'list'] },
      { resource: 'pods', responseKind: { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'PodMetrics' }, scope: 'Namespaced', singularResource: '', verbs: ['get', 'list'] },
    ]);
  });

  it('routes its URLs to the metrics handler (no pods kind in this server: 404, not a crash)', async () => {
    const response = await call(h, '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods');
    assert.equal(response.status, 404);
  });
});
