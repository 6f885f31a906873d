import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SnapshotLister } from '../framework/snapshot-lister.fixture.js';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { REPLICASETS } from '../../client/resource-types.js';
import type { PodObject, ReplicaSetObject, RolloutObject } from './rollout-types.js';
import { podChanged, podOwnerRollout, referencedHttpRoutes, referencedServices, specOrMetadataChanged } from './rollout-watch-index.js';

const canary = (trafficRouting: Record<string, unknown>): RolloutObject => ({
  metadata: { name: 'web', namespace: 'shop' },
  spec: { strategy: { canary: { canaryService: 'web-canary', stableService: 'web-stable', trafficRouting } } },
});

describe('rollout watch indexes', () => {
  it('services of either strategy, routes of the Gateway API plugin in its namespace or the rollout\'s', () => {
    assert.deepEqual(referencedServices(canary({})), ['shop/web-canary', 'shop/web-stable']);
    assert.deepEqual(referencedServices({ metadata: { name: 'bg', namespace: 'a' }, spec: { strategy: { blueGreen: { activeService: 'act', previewService: 'pre' } } } }), ['a/act', 'a/pre']);
    assert.deepEqual(referencedHttpRoutes(canary({ plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'r1', httpRoutes: [{ name: 'r2' }, { name: 'r1' }] } } })), ['shop/r1', 'shop/r2']);
    assert.deepEqual(referencedHttpRoutes(canary({ plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'r', namespace: 'edge' } } })), ['edge/r']);
    assert.deepEqual(referencedHttpRoutes(canary({})), []);
  });

  it('a pod maps to the Rollout controlling its ReplicaSet (same uid), not to a recreated namesake', async () => {
    const clients = new FakeClientSet();
    const rsClient = clients.resource<ReplicaSetObject>(REPLICASETS);
    const rs = await rsClient.create('shop', {
      metadata: { name: 'web-abc', namespace: 'shop', ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web', uid: 'ro', controller: true }] },
      spec: { selector: {} },
    });
    const lister = new SnapshotLister(rsClient);
    await lister.sync();
    const pod = (uid: string): PodObject => ({
      metadata: { name: 'p', namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid, controller: true }] },
    });
    assert.equal(podOwnerRollout(pod(rs.metadata?.uid ?? ''), lister), 'shop/web');
    assert.equal(podOwnerRollout(pod('other-uid'), lister), undefined);
    assert.equal(podOwnerRollout({ metadata: { name: 'bare', namespace: 'shop' } }, lister), undefined);
  });

  it('status-only writes and resyncs are not changes; spec, labels, annotations and readiness are', () => {
    const a = { metadata: { name: 'r', resourceVersion: '1' }, spec: { rules: [] }, status: { parents: [] } };
    assert.equal(specOrMetadataChanged(a, a), false);
    assert.equal(specOrMetadataChanged(a, { ...a, metadata: { ...a.metadata, resourceVersion: '2' }, status: { parents: [{}] } }), false);
    assert.equal(specOrMetadataChanged(a, { ...a, metadata: { ...a.metadata, resourceVersion: '2' }, spec: { rules: [{}] } }), true);
    assert.equal(specOrMetadataChanged(a, { ...a, metadata: { ...a.metadata, resourceVersion: '2', annotations: { x: 'y' } } }), true);
    const pod: PodObject = { metadata: { name: 'p', resourceVersion: '1' }, status: { phase: 'Running' } };
    const ready: PodObject = { ...pod, metadata: { ...pod.metadata, resourceVersion: '2' }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } };
    assert.equal(podChanged(pod, ready), true);
    assert.equal(podChanged(ready, { ...ready, metadata: { ...ready.metadata, resourceVersion: '3' }, status: { ...ready.status, podIP: '10.0.0.1' } }), false);
  });
});
