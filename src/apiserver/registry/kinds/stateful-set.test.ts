// The StatefulSet strategy inside the generic registry: what a create stores, the scale
// subresource `kubectl scale sts` uses, the update rule as kubectl users see it, and the strategic
// merge patch `kubectl rollout undo sts` sends.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../api/object.js';
import { InvalidError } from '../api-errors.js';
import { harness, WRITE } from '../registry-fixtures.test.js';
import { statefulSetStrategy } from './stateful-set.js';

function statefulSet(spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'default' },
    spec: {
      serviceName: 'web',
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
      ...spec,
    },
    status: { replicas: 9 },
  };
}

type Shape = { spec: { replicas: number; updateStrategy: unknown; template: { metadata: Record<string, unknown>; spec: { containers: { image: string }[] } } } };
const shape = (obj: KubeObject) => obj as unknown as Shape;

describe('apps/v1 StatefulSet in the registry', () => {
  it('stores a defaulted StatefulSet at generation 1 with a zero status (not the client\'s), without the alpha maxUnavailable', async () => {
    const { registry } = harness(statefulSetStrategy);
    const { object } = await registry.create('default', statefulSet({ updateStrategy: { rollingUpdate: { maxUnavailable: 2 } } }), WRITE);
    assert.equal(object.metadata?.generation, 1);
    assert.deepEqual(object['status'], { replicas: 0, availableReplicas: 0 });
    assert.deepEqual(shape(object).spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    assert.equal(shape(object).spec.replicas, 1);
  });

  it('scales through an autoscaling/v1 Scale, as kubectl scale sts does', async () => {
    const { registry } = harness(statefulSetStrategy);
    await registry.create('default', statefulSet(), WRITE);
    const scale = await registry.getScale('default', 'web');
    assert.deepEqual([scale.apiVersion, scale.kind, scale['spec'], scale['status']], ['autoscaling/v1', 'Scale', { replicas: 1 }, { replicas: 0, selector: 'app=web' }]);
    const { object } = await registry.patchScale('default', 'web', 'merge', { spec: { replicas: 3 } }, WRITE);
    assert.deepEqual(object['spec'], { replicas: 3 });
    const scaled = await registry.get('default', 'web');
    assert.equal(shape(scaled).spec.replicas, 3);
    assert.equal(scaled.metadata?.generation, 2);
    await assert.rejects(registry.patchScale('default', 'web', 'merge', { spec: { replicas: -1 } }, WRITE), InvalidError);
  });

  it('refuses a change to a fixed field with upstream 1.32 wording, and accepts a new image', async () => {
    const { registry } = harness(statefulSetStrategy);
    await registry.create('default', statefulSet(), WRITE);
    await assert.rejects(registry.patch('default', 'web', 'strategic', { spec: { serviceName: 'db' } }, WRITE), (e: unknown) =>
      e instanceof InvalidError && e.message === 'StatefulSet.apps "web" is invalid: spec: Forbidden: updates to statefulset spec for fields other than ' +
        "'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
    const { object } = await registry.patch('default', 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } } } }, WRITE);
    assert.equal(shape(object).spec.template.spec.containers[0]?.image, 'nginx:1.28');
    assert.equal(object.metadata?.generation, 2);
  });

  it('rollout undo: a revision patch with $patch: replace swaps the whole template', async () => {
    const { registry } = harness(statefulSetStrategy);
    const { object: created } = await registry.create('default', statefulSet(), WRITE);
    const original = structuredClone(shape(created).spec.template);
    await registry.patch('default', 'web', 'strategic', {
      spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-27T12:00:00Z' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } } },
    }, WRITE);
    const { object: undone } = await registry.patch('default', 'web', 'strategic', { spec: { template: { ...original, $patch: 'replace' } } }, WRITE);
    assert.deepEqual(shape(undone).spec.template, original);
  });
});
