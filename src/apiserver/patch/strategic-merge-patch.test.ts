 
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';
import { PatchError } from './patch-error.js';

const DEPLOYMENT = { group: 'apps', version: 'v1', kind: 'Deployment' } as const;
const POD = { group: '', version: 'v1', kind: 'Pod' } as const;
const NODE = { group: '', version: 'v1', kind: 'Node' } as const;

/** A Deployment as the server stores it after `kubectl apply` plus defaulting. */
function webDeployment(): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web', namespace: 'default', uid: 'u-1', resourceVersion: '7', generation: 1,
      labels: { app: 'web' },
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"old":true}\n', 'deployment.kubernetes.io/revision': '1' },
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{ name: 'nginx', image: 'nginx:1.25', imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 80, protocol: 'TCP' }] }],
          restartPolicy: 'Always',
          dnsPolicy: 'ClusterFirst',
        },
      },
    },
    status: { replicas: 1, conditions: [{ type: 'Available', status: 'True' }] },
  };
}

/** The two-container Deployment that kubectl-wire.md §3.4's larger diff was taken against. */
function richDeployment(): Record<string, unknown> {
  const d = webDeployment();
  (d['metadata'] as Record<string, unknown>)['labels'] = { app: 'web', tier: 'front' };
  (d['spec'] as Record<string, unknown>)['template'] = {
    metadata: { labels: { app: 'web' } },
    spec: {
      containers: [
        {
          name: 'a', image: 'a:1', args: ['x'],
          env: [{ name: 'E1', value: '1' }, { name: 'E2', value: '2' }],
          ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443, protocol: 'TCP' }],
        },
        { name: 'b', image: 'b:1' },
      ],
      tolerations: [{ key: 'k1', operator: 'Exists' }],
      volumes: [{ name: 'v1', emptyDir: {} }, { name: 'v2', emptyDir: {} }],
    },
  };
  return d;
}

function spec(obj: unknown): Record<string, any> {
  return (obj as Record<string, any>)['spec'];
}

void describe('applyStrategicMergePatch', () => {
  void it('applies the §3.4 re-apply body: replicas, annotation, one container image by name', () => {
    const live = webDeployment();
    const before = structuredClone(live);
    const patch = {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":true}\n' } },
      spec: { replicas: 3, template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ image: 'nginx:1.26', name: 'nginx' }] } } },
    };
    const out = applyStrategicMergePatch(live, patch, DEPLOYMENT) as Record<string, any>;
    assert.equal(out['spec'].replicas, 3);
    assert.deepEqual(out['spec'].template.spec.containers, [
      { name: 'nginx', image: 'nginx:1.26', imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 80, protocol: 'TCP' }] },
    ]);
    assert.deepEqual(out['metadata'].annotations, {
      'kubectl.kubernetes.io/last-applied-configuration': '{"new":true}\n',
      'deployment.kubernetes.io/revision': '1',
    });
    assert.equal(out['metadata'].uid, 'u-1');
    assert.deepEqual(live, before, 'input must not be mutated');
  });

  void it('applies the §3.4 larger diff: deletes, retainKeys, atomic tolerations, volume swap', () => {
    const patch = {
      metadata: { annotations: { x: 'y' }, labels: { tier: null } },
      spec: {
        strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' },
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'a' }],
            '$setElementOrder/volumes': [{ name: 'v2' }],
            containers: [
              {
                '$setElementOrder/env': [{ name: 'E2' }], '$setElementOrder/ports': [{ containerPort: 80 }],
                args: ['y'], env: [{ $patch: 'delete', name: 'E1' }], image: 'a:2', name: 'a',
                ports: [{ $patch: 'delete', containerPort: 443 }],
              },
              { $patch: 'delete', name: 'b' },
            ],
            tolerations: [{ key: 'k2', operator: 'Exists' }],
            volumes: [{ configMap: { name: 'cm' }, name: 'v2' }, { $patch: 'delete', name: 'v1' }],
          },
        },
      },
    };
    const patchCopy = structuredClone(patch);
    const out = applyStrategicMergePatch(richDeployment(), patch, DEPLOYMENT) as Record<string, any>;
    assert.deepEqual(out['metadata'].labels, { app: 'web' });
    assert.deepEqual(spec(out).strategy, { type: 'Recreate' });
    assert.deepEqual(spec(out).template.spec.containers, [
      { name: 'a', image: 'a:2', args: ['y'], env: [{ name: 'E2', value: '2' }], ports: [{ containerPort: 80, protocol: 'TCP' }] },
    ]);
    assert.deepEqual(spec(out).template.spec.tolerations, [{ key: 'k2', operator: 'Exists' }]);
    // The patch adds configMap to v2 but does not name emptyDir: v2 keeps both keys without $retainKeys.
    assert.deepEqual(spec(out).template.spec.volumes, [{ name: 'v2', emptyDir: {}, configMap: { name: 'cm' } }]);
    assert.deepEqual(patch, patchCopy, 'patch must not be mutated');
  });

  void it('honours $retainKeys inside a list item (volume source switch)', () => {
    const patch = { spec: { template: { spec: { volumes: [{ $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' }, name: 'v2' }] } } } };
    const out = applyStrategicMergePatch(richDeployment(), patch, DEPLOYMENT);
    assert.deepEqual(spec(out).template.spec.volumes, [{ name: 'v1', emptyDir: {} }, { name: 'v2', configMap: { name: 'cm' } }]);
  });

  void it('applies the §3.19 edit body', () => {
    const patch = { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ image: 'nginx:1.30', name: 'nginx' }] } } } };
    const out = applyStrategicMergePatch(webDeployment(), patch, DEPLOYMENT);
    assert.equal(spec(out).template.spec.containers[0].image, 'nginx:1.30');
    assert.equal(spec(out).template.spec.containers[0].imagePullPolicy, 'IfNotPresent');
  });

  void it('applies rollout restart, pause and resume (§3.12)', () => {
    const restarted = applyStrategicMergePatch(webDeployment(), { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-27T04:45:14Z' } } } } }, DEPLOYMENT);
    assert.deepEqual(spec(restarted).template.metadata, { labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-27T04:45:14Z' } });
    const paused = applyStrategicMergePatch(webDeployment(), { spec: { paused: true } }, DEPLOYMENT);
    assert.equal(spec(paused).paused, true);
    const resumed = applyStrategicMergePatch(paused, { spec: { paused: null } }, DEPLOYMENT);
    assert.equal(Object.hasOwn(spec(resumed), 'paused'), false);
  });

  void it('adds a new container and orders per $setElementOrder, server-only items keep their live place', () => {
    const live = webDeployment();
    spec(live).template.spec.containers = [{ name: 'a', image: 'a' }, { name: 's', image: 's' }, { name: 'b', image: 'b' }];
    const patch = { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }, { name: 'c' }], containers: [{ name: 'c', image: 'c' }] } } } };
    const out = applyStrategicMergePatch(live, patch, DEPLOYMENT);
    assert.deepEqual(spec(out).template.spec.containers.map((c: { name: string }) => c.name), ['s', 'b', 'a', 'c']);
  });

  // Upstream quirk kept on purpose: without $setElementOrder, patch items sort before server-only ones
  // (mergeSortedSlice cannot compare an item the live list lacks), so `kubectl patch` prepends.
  void it('puts new keyed items before live ones when there is no order directive (as upstream)', () => {
    const patch = { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox', env: [{ name: 'A', value: '1' }] }] } } } };
    const out = applyStrategicMergePatch(webDeployment(), patch, DEPLOYMENT);
    assert.deepEqual(spec(out).template.spec.containers.map((c: { name: string }) => c.name), ['sidecar', 'nginx']);
  });

  void it('merges env by name, ports by containerPort, volumeMounts by mountPath', () => {
    const live = webDeployment();
    spec(live).template.spec.containers[0].env = [{ name: 'A', value: '1' }];
    spec(live).template.spec.containers[0].volumeMounts = [{ name: 'v', mountPath: '/data' }];
    const patch = { spec: { template: { spec: { containers: [{ name: 'nginx',
      env: [{ name: 'A', value: '2' }, { name: 'B', value: '3' }],
      ports: [{ containerPort: 80, name: 'http' }],
      volumeMounts: [{ mountPath: '/data', readOnly: true }] }] } } } };
    const c = spec(applyStrategicMergePatch(live, patch, DEPLOYMENT)).template.spec.containers[0];
    assert.deepEqual(c.env, [{ name: 'A', value: '2' }, { name: 'B', value: '3' }]);
    assert.deepEqual(c.ports, [{ containerPort: 80, protocol: 'TCP', name: 'http' }]);
    assert.deepEqual(c.volumeMounts, [{ name: 'v', mountPath: '/data', readOnly: true }]);
  });

  void it('replaces a list wholesale with {"$patch":"replace"} and a map with $patch: replace', () => {
    const listPatch = { spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'x' }] } } } };
    assert.deepEqual(spec(applyStrategicMergePatch(webDeployment(), listPatch, DEPLOYMENT)).template.spec.containers, [{ name: 'only', image: 'x' }]);
    const mapPatch = { spec: { strategy: { $patch: 'replace', type: 'Recreate' } } };
    assert.deepEqual(spec(applyStrategicMergePatch(webDeployment(), mapPatch, DEPLOYMENT)).strategy, { type: 'Recreate' });
  });

  void it('treats finalizers as a set and honours $deleteFromPrimitiveList', () => {
    const live = webDeployment();
    (live['metadata'] as Record<string, unknown>)['finalizers'] = ['a', 'b'];
    const out = applyStrategicMergePatch(live, { metadata: { finalizers: ['b', 'c'], '$deleteFromPrimitiveList/finalizers': ['a'] } }, DEPLOYMENT) as Record<string, any>;
    assert.deepEqual(out['metadata'].finalizers, ['b', 'c']);
    const ordered = applyStrategicMergePatch(live, { metadata: { '$setElementOrder/finalizers': ['b', 'a'] } }, DEPLOYMENT) as Record<string, any>;
    assert.deepEqual(ordered['metadata'].finalizers, ['b', 'a']);
  });

  void it('merges ownerReferences by uid and node conditions/addresses by type', () => {
    const pod = { metadata: { name: 'p', ownerReferences: [{ uid: 'r1', kind: 'ReplicaSet', name: 'rs' }] } };
    const out = applyStrategicMergePatch(pod, { metadata: { ownerReferences: [{ uid: 'r1', controller: true }] } }, POD) as Record<string, any>;
    assert.deepEqual(out['metadata'].ownerReferences, [{ uid: 'r1', kind: 'ReplicaSet', name: 'rs', controller: true }]);

    const node = { metadata: { name: 'n' }, spec: { unschedulable: false }, status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'MemoryPressure', status: 'False' }], addresses: [{ type: 'InternalIP', address: '10.0.0.1' }] } };
    const patched = applyStrategicMergePatch(node, { spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'Hostname', address: 'n' }] } }, NODE) as Record<string, any>;
    assert.equal(patched['spec'].unschedulable, true);
    assert.deepEqual(patched['status'].conditions, [{ type: 'Ready', status: 'True' }, { type: 'MemoryPressure', status: 'False' }]);
    assert.deepEqual(patched['status'].addresses.map((a: { type: string }) => a.type), ['Hostname', 'InternalIP']);
  });

  void it('falls back to merge-patch semantics for unknown kinds (lists replace, maps merge)', () => {
    const widget = { group: 'example.com', version: 'v1', kind: 'Widget' } as const;
    const doc = { spec: { items: [{ name: 'a', v: 1 }], map: { a: 1, b: 2 } } };
    const out = applyStrategicMergePatch(doc, { spec: { items: [{ name: 'b' }], map: { b: null, c: 3 } } }, widget);
    assert.deepEqual(spec(out), { items: [{ name: 'b' }], map: { a: 1, c: 3 } });
  });

  void it('rejects malformed patches with PatchError', () => {
    assert.throws(() => applyStrategicMergePatch(webDeployment(), [], DEPLOYMENT), PatchError);
    assert.throws(() => applyStrategicMergePatch(webDeployment(), { spec: { template: { spec: { containers: [{ image: 'no-name' }] } } } }, DEPLOYMENT), PatchError);
    assert.throws(() => applyStrategicMergePatch(webDeployment(), { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } }, DEPLOYMENT), PatchError);
    assert.throws(() => applyStrategicMergePatch(webDeployment(), { spec: { template: { spec: { containers: [{ $patch: 'merge' }] } } } }, DEPLOYMENT), PatchError);
    assert.throws(
      () => applyStrategicMergePatch(webDeployment(), { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'x' }], containers: [{ name: 'nginx' }] } } } }, DEPLOYMENT),
      PatchError,
    );
  });
});
