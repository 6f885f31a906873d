import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../object.js';
import { defaultStatefulSet } from './stateful-set.js';

function statefulSet(spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'default' },
    spec: {
      serviceName: 'web',
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
      ...spec,
    },
  };
}

const specOf = (obj: KubeObject) => obj['spec'] as Record<string, unknown>;

test('a minimal StatefulSet gets upstream defaults', () => {
  const obj = statefulSet();
  defaultStatefulSet(obj);
  const { template, ...spec } = specOf(obj);
  assert.deepEqual(spec, {
    serviceName: 'web',
    selector: { matchLabels: { app: 'web' } },
    replicas: 1,
    podManagementPolicy: 'OrderedReady',
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
    revisionHistoryLimit: 10,
    persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
  });
  assert.deepEqual((template as { spec: Record<string, unknown> }).spec['restartPolicy'], 'Always');
  assert.deepEqual((template as { spec: { containers: { imagePullPolicy: string }[] } }).spec.containers[0]?.imagePullPolicy, 'IfNotPresent');
});

test('Go zero values: serviceName "" and ordinals.start 0 read back when left out', () => {
  const obj = statefulSet({ serviceName: undefined, ordinals: {} });
  defaultStatefulSet(obj);
  assert.equal(specOf(obj)['serviceName'], '');
  assert.deepEqual(specOf(obj)['ordinals'], { start: 0 });
});

test('a rollingUpdate block comes only with a defaulted type; a given one gets partition 0', () => {
  const explicit = statefulSet({ updateStrategy: { type: 'RollingUpdate' } });
  defaultStatefulSet(explicit);
  assert.deepEqual(specOf(explicit)['updateStrategy'], { type: 'RollingUpdate' });
  const given = statefulSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: {} } });
  defaultStatefulSet(given);
  assert.deepEqual(specOf(given)['updateStrategy'], { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
  const onDelete = statefulSet({ updateStrategy: { type: 'OnDelete' }, podManagementPolicy: 'Parallel', replicas: 0 });
  defaultStatefulSet(onDelete);
  assert.deepEqual([specOf(onDelete)['updateStrategy'], specOf(onDelete)['podManagementPolicy'], specOf(onDelete)['replicas']], [{ type: 'OnDelete' }, 'Parallel', 0]);
});

test('keeps a given retention policy half and fills the other', () => {
  const obj = statefulSet({ persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete' } });
  defaultStatefulSet(obj);
  assert.deepEqual(specOf(obj)['persistentVolumeClaimRetentionPolicy'], { whenDeleted: 'Delete', whenScaled: 'Retain' });
});

test('volumeClaimTemplates entries are claims: their apiVersion and kind, Filesystem mode, phase Pending', () => {
  const obj = statefulSet({
    volumeClaimTemplates: [
      { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
      { apiVersion: 'v9', metadata: { name: 'raw' }, spec: { volumeMode: 'Block' }, status: { phase: 'Bound' } },
    ],
  });
  defaultStatefulSet(obj);
  assert.deepEqual(specOf(obj)['volumeClaimTemplates'], [
    {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' },
      status: { phase: 'Pending' },
    },
    { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'raw' }, spec: { volumeMode: 'Block' }, status: { phase: 'Bound' } },
  ]);
});

test('defaulting is idempotent', () => {
  const once = statefulSet({ volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: {} }] });
  defaultStatefulSet(once);
  const twice = structuredClone(once);
  defaultStatefulSet(twice);
  assert.deepEqual(twice, once);
});
