import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MemoryStore } from '../../storage/memory/memory-store.js';
import { call, json, startHarness, stopHarness, type Harness } from '../http/test-server.fixture.js';
import { compareVersionPriority } from './version-priority.js';

const KUBECTL_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

describe('discovery', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ store: new MemoryStore() });
  });
  after(() => stopHarness(h));

  it('legacy /api lists the core versions', async () => {
    const body = await json(await call(h, '/api'));
    assert.equal(body.kind, 'APIVersions');
    assert.deepEqual(body.versions, ['v1']);
    assert.equal(body.serverAddressByClientCIDRs[0].clientCIDR, '0.0.0.0/0');
  });

  it('legacy /apis lists every non-core group with its preferred version', async () => {
    const body = await json(await call(h, '/apis'));
    assert.equal(body.kind, 'APIGroupList');
    // The registry's groups, then the groups served by code (the self reviews, metrics.k8s.io).
    assert.deepEqual(body.groups, [
      { name: 'example.com', versions: [{ groupVersion: 'example.com/v1', version: 'v1' }], preferredVersion: { groupVersion: 'example.com/v1', version: 'v1' } },
      { name: 'authentication.k8s.io', versions: [{ groupVersion: 'authentication.k8s.io/v1', version: 'v1' }], preferredVersion: { groupVersion: 'authentication.k8s.io/v1', version: 'v1' } },
      { name: 'authorization.k8s.io', versions: [{ groupVersion: 'authorization.k8s.io/v1', version: 'v1' }], preferredVersion: { groupVersion: 'authorization.k8s.io/v1', version: 'v1' } },
      { name: 'metrics.k8s.io', versions: [{ groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' }], preferredVersion: { groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' } },
    ]);
    const group = await json(await call(h, '/apis/example.com'));
    assert.equal(group.kind, 'APIGroup');
    assert.equal(group.name, 'example.com');
    assert.equal((await call(h, '/apis/nope.io')).status, 404);
  });

  it('APIResourceList carries resources and their status and scale subresources', async () => {
    const body = await json(await call(h, '/apis/example.com/v1'));
    assert.equal(body.kind, 'APIResourceList');
    assert.equal(body.groupVersion, 'example.com/v1');
    assert.deepEqual(body.resources, [
      {
        name: 'widgets', singularName: 'widget', namespaced: true, kind: 'Widget',
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
        shortNames: ['wd'], categories: ['all'],
      },
      { name: 'widgets/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] },
      { name: 'widgets/status', singularName: '', namespaced: true, kind: 'Widget', verbs: ['get', 'patch', 'update'] },
    ]);
    const core = await json(await call(h, '/api/v1'));
    assert.deepEqual(core.resources.map((r: { name: string }) => r.name), ['namespaces', 'namespaces/status']);
    assert.equal(core.resources[0].namespaced, false);
    assert.equal((await call(h, '/apis/example.com/v2')).status, 404);
  });

  it('answers kubectl with aggregated v2 and the exact content type', async () => {
    const response = await call(h, '/apis', { headers: { Accept: KUBECTL_ACCEPT } });
    assert.equal(response.headers.get('content-type'), 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const body = (await response.json()) as Record<string, any>;
    assert.equal(body.kind, 'APIGroupDiscoveryList');
    assert.equal(body.apiVersion, 'apidiscovery.k8s.io/v2');
    assert.deepEqual(body.items.map((i: any) => i.metadata.name), ['example.com', 'authentication.k8s.io', 'authorization.k8s.io', 'metrics.k8s.io']);
    const [item] = body.items;
    assert.deepEqual(item.metadata, { name: 'example.com', creationTimestamp: null });
    const [version] = item.versions;
    assert.equal(version.version, 'v1');
    assert.equal(version.freshness, 'Current');
    assert.deepEqual(version.resources[0], {
      resource: 'widgets',
      responseKind: { group: 'example.com', version: 'v1', kind: 'Widget' },
      scope: 'Namespaced',
      singularResource: 'widget',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['wd'],
      categories: ['all'],
      subresources: [
        { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
        { subresource: 'status', responseKind: { group: 'example.com', version: 'v1', kind: 'Widget' }, verbs: ['get', 'patch', 'update'] },
      ],
    });
  });

  it('aggregated /api has the core group only (empty name), cluster scope for namespaces', async () => {
    const response = await call(h, '/api', { headers: { Accept: KUBECTL_ACCEPT } });
    const body = (await response.json()) as Record<string, any>;
    assert.deepEqual(body.items.map((i: any) => i.metadata.name), ['']);
    assert.equal(body.items[0].versions[0].resources[0].scope, 'Cluster');
  });

  it('serves v2beta1 when that is what the client asks for first', async () => {
    const response = await call(h, '/apis', { headers: { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList' } });
    assert.equal(response.headers.get('content-type'), 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList');
    assert.equal(((await response.json()) as { apiVersion: string }).apiVersion, 'apidiscovery.k8s.io/v2beta1');
  });
});

describe('compareVersionPriority', () => {
  it('orders GA before beta before alpha, higher first', () => {
    const versions = ['v1alpha1', 'v1beta1', 'v2', 'v1', 'v1beta2', 'foo', 'v2alpha1'];
    assert.deepEqual([...versions].sort(compareVersionPriority), ['v2', 'v1', 'v1beta2', 'v1beta1', 'v2alpha1', 'v1alpha1', 'foo']);
  });
});
