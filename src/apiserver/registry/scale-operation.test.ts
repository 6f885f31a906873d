import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotFoundError } from '../../lib/errors.js';
import { InvalidError, ResourceConflictError } from './api-errors.js';
import { configMapStrategy, deployment, deploymentStrategy, harness, WRITE } from './registry-fixtures.test.js';

describe('scale subresource', () => {
  it('getScale maps spec/status replicas and the selector to an autoscaling/v1 Scale', async () => {
    const { registry } = harness(deploymentStrategy);
    const created = (await registry.create('default', deployment('web', { replicas: 3 }), WRITE)).object;
    await registry.patch('default', 'web', 'merge', { status: { replicas: 2 } }, { ...WRITE, subresource: 'status' });
    const scale = await registry.getScale('default', 'web');
    const current = await registry.get('default', 'web');
    assert.deepEqual(scale, {
      kind: 'Scale', apiVersion: 'autoscaling/v1',
      metadata: {
        name: 'web', namespace: 'default', uid: created.metadata?.uid, resourceVersion: current.metadata?.resourceVersion,
        creationTimestamp: '2026-11-27T05:00:00Z',
      },
      spec: { replicas: 3 }, status: { replicas: 2, selector: 'app=web' },
    });
  });

  it('patchScale changes only spec.replicas of the parent (and its generation)', async () => {
    const { registry } = harness(deploymentStrategy);
    await registry.create('default', deployment('web', { replicas: 1, labels: { keep: 'me' } }), WRITE);
    const result = await registry.patchScale('default', 'web', 'merge', { spec: { replicas: 4 }, metadata: { labels: { no: 'way' } } }, WRITE);
    assert.equal(result.object.kind, 'Scale');
    assert.deepEqual(result.object['spec'], { replicas: 4 });
    const parent = await registry.get('default', 'web');
    assert.equal((parent['spec'] as { replicas: number }).replicas, 4);
    assert.deepEqual(parent.metadata?.labels, { keep: 'me' });
    assert.equal(parent.metadata?.generation, 2);
    assert.equal(result.object.metadata?.resourceVersion, parent.metadata?.resourceVersion);
  });

  it('updateScale honours the Scale resourceVersion as a precondition and validates replicas', async () => {
    const { registry } = harness(deploymentStrategy);
    await registry.create('default', deployment('web'), WRITE);
    const scale = await registry.getScale('default', 'web');
    await registry.patch('default', 'web', 'merge', { spec: { image: 'httpd' } }, WRITE);
    await assert.rejects(registry.updateScale('default', 'web', { ...scale, spec: { replicas: 2 } }, WRITE), ResourceConflictError);
    const fresh = await registry.getScale('default', 'web');
    await assert.rejects(registry.updateScale('default', 'web', { ...fresh, spec: { replicas: -1 } }, WRITE), (e: unknown) =>
      e instanceof InvalidError && e.message === 'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    const ok = await registry.updateScale('default', 'web', { ...fresh, spec: { replicas: 2 } }, WRITE);
    assert.deepEqual(ok.object['spec'], { replicas: 2 });
  });

  it('kinds without a scale subresource answer NotFound', async () => {
    const { registry } = harness(configMapStrategy);
    await assert.rejects(registry.getScale('default', 'x'), NotFoundError);
  });
});
