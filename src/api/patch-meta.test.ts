import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { patchMetaFor, rootTypeFor } from './patch-meta.js';

const gvk = (group: string, kind: string) => ({ group, version: 'v1', kind });

void describe('patchMetaFor', () => {
  void it('finds the struct tags through shared pod templates', () => {
    assert.deepEqual(patchMetaFor(gvk('apps', 'Deployment'), ['spec', 'template', 'spec', 'containers']), { mergeKey: 'name', strategy: 'merge' });
    assert.deepEqual(patchMetaFor(gvk('apps', 'ReplicaSet'), ['spec', 'template', 'spec', 'containers', 'ports']), { mergeKey: 'containerPort', strategy: 'merge' });
    assert.deepEqual(patchMetaFor(gvk('', 'Pod'), ['spec', 'containers', 'volumeMounts']), { mergeKey: 'mountPath', strategy: 'merge' });
    assert.deepEqual(patchMetaFor(gvk('', 'Pod'), ['spec', 'volumes']), { mergeKey: 'name', strategy: 'merge,retainKeys' });
    assert.deepEqual(patchMetaFor(gvk('apps', 'Deployment'), ['spec', 'strategy']), { strategy: 'retainKeys' });
  });

  void it('covers metadata of every kind, status conditions and kind-specific lists', () => {
    assert.deepEqual(patchMetaFor(gvk('', 'ConfigMap'), ['metadata', 'finalizers']), { strategy: 'merge' });
    assert.deepEqual(patchMetaFor(gvk('discovery.k8s.io', 'EndpointSlice'), ['metadata', 'ownerReferences']), { mergeKey: 'uid', strategy: 'merge' });
    assert.deepEqual(patchMetaFor(gvk('', 'Node'), ['status', 'addresses']), { mergeKey: 'type', strategy: 'merge' });
    assert.deepEqual(patchMetaFor(gvk('', 'Service'), ['spec', 'ports']), { mergeKey: 'port', strategy: 'merge' });
    assert.deepEqual(patchMetaFor(gvk('', 'ServiceAccount'), ['secrets']), { mergeKey: 'name', strategy: 'merge' });
    assert.deepEqual(patchMetaFor(gvk('', 'Namespace'), ['status', 'conditions']), { mergeKey: 'type', strategy: 'merge' });
  });

  void it('returns undefined for untagged fields and unknown kinds', () => {
    assert.equal(patchMetaFor(gvk('', 'Pod'), ['spec', 'tolerations']), undefined);
    assert.equal(patchMetaFor(gvk('', 'Pod'), ['spec']), undefined);
    assert.equal(patchMetaFor(gvk('example.com', 'Widget'), ['metadata', 'finalizers']), undefined);
    assert.equal(rootTypeFor(gvk('example.com', 'Widget')), undefined);
  });
});
