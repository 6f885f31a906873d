import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { BadRequestError } from '../../lib/errors.js';
import { MemoryStore } from '../../storage/memory/memory-store.js';
import { ApplyConflictError } from '../patch/patch-error.js';
import { ResourceConflictError, ResourceNotFoundError } from './api-errors.js';
import { deployment, deploymentStrategy, harness, WRITE, wrapStore } from './registry-fixtures.test.js';

function spec(obj: KubeObject): Record<string, unknown> {
  return obj['spec'] as Record<string, unknown>;
}

describe('patch', () => {
  it('applies merge, json and strategic patches and bumps generation on spec changes', async () => {
    const { registry } = harness(deploymentStrategy);
    await registry.create('default', deployment('web'), WRITE);
    const merged = await registry.patch('default', 'web', 'merge', { spec: { replicas: 2 } }, WRITE);
    assert.equal(spec(merged.object)['replicas'], 2);
    assert.equal(merged.object.metadata?.generation, 2);
    const jsonPatched = await registry.patch('default', 'web', 'json', [{ op: 'replace', path: '/spec/image', value: 'httpd' }], WRITE);
    assert.equal(spec(jsonPatched.object)['image'], 'httpd');
    const strategic = await registry.patch('default', 'web', 'strategic', { metadata: { labels: { a: 'b' } } }, WRITE);
    assert.deepEqual(strategic.object.metadata?.labels, { a: 'b' });
    assert.equal(strategic.object.metadata?.generation, 3);
  });

  it('a resourceVersion in the patch is a precondition', async () => {
    const { registry } = harness(deploymentStrategy);
    const created = (await registry.create('default', deployment('web'), WRITE)).object;
    await registry.patch('default', 'web', 'merge', { spec: { replicas: 2 } }, WRITE);
    await assert.rejects(
      registry.patch('default', 'web', 'merge', { metadata: { resourceVersion: created.metadata?.resourceVersion }, spec: { replicas: 3 } }, WRITE),
      ResourceConflictError);
  });

  it('a patch of a missing object is NotFound; a patch error is a BadRequest', async () => {
    const { registry } = harness(deploymentStrategy);
    await assert.rejects(registry.patch('default', 'nope', 'merge', {}, WRITE),
      (e: unknown) => e instanceof ResourceNotFoundError && e.message === 'deployments.apps "nope" not found');
    await registry.create('default', deployment('web'), WRITE);
    await assert.rejects(registry.patch('default', 'web', 'json', [{ op: 'remove', path: '/spec/missing' }], WRITE),
      (e: unknown) => e instanceof Error && 'code' in e && e.code === 'BadRequest');
  });

  it('re-reads and re-applies the patch when a concurrent writer wins the compare-and-swap', async () => {
    const store = new MemoryStore();
    const { registry } = harness(deploymentStrategy, { store });
    await registry.create('default', deployment('web'), WRITE);
    // The first update the registry attempts is preceded by a racing write of someone else.
    let raced = false;
    const racing = wrapStore(store, { update: async (key, value, expected) => {
      if (!raced) {
        raced = true;
        const current = await store.get(key);
        const other = JSON.parse(current?.value ?? '{}') as KubeObject;
        other.metadata = { ...other.metadata, labels: { racer: 'won' } };
        await store.update(key, JSON.stringify(other), current?.modRevision ?? 0);
      }
      return store.update(key, value, expected);
    } });
    const contended = harness(deploymentStrategy, { store: racing }).registry;
    const result = await contended.patch('default', 'web', 'merge', { spec: { replicas: 6 } }, WRITE);
    assert.equal(raced, true);
    assert.equal(spec(result.object)['replicas'], 6);
    assert.deepEqual(result.object.metadata?.labels, { racer: 'won' }, 'the retry patched the racer\'s version');
  });

  describe('server-side apply', () => {
    const applied = (replicas: number): KubeObject => ({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
      spec: { replicas, selector: { matchLabels: { app: 'web' } }, image: 'nginx' },
    });

    it('creates a missing object (created: true) and updates it on the next apply', async () => {
      const { registry } = harness(deploymentStrategy);
      const first = await registry.patch('default', 'web', 'apply', applied(2), { ...WRITE, fieldManager: 'me' });
      assert.equal(first.created, true);
      assert.equal(first.object.metadata?.generation, 1);
      assert.equal(first.object.metadata?.managedFields?.[0]?.operation, 'Apply');
      const second = await registry.patch('default', 'web', 'apply', applied(3), { ...WRITE, fieldManager: 'me' });
      assert.equal(second.created, false);
      assert.equal(spec(second.object)['replicas'], 3);
    });

    it('requires a fieldManager', async () => {
      const { registry } = harness(deploymentStrategy);
      await assert.rejects(registry.patch('default', 'web', 'apply', applied(1), { dryRun: false, fieldValidation: 'Strict' }),
        (e: unknown) => e instanceof BadRequestError && e.message === 'PATCH, application/apply-patch+yaml requires fieldManager');
    });

    it('conflicts with fields another manager set, unless forced', async () => {
      const { registry } = harness(deploymentStrategy);
      await registry.create('default', deployment('web'), { ...WRITE, fieldManager: 'kubectl-client-side-apply' });
      await registry.patch('default', 'web', 'merge', { spec: { replicas: 4 } }, { ...WRITE, fieldManager: 'kubectl-client-side-apply' });
      await assert.rejects(registry.patch('default', 'web', 'apply', applied(2), { ...WRITE, fieldManager: 'me' }), ApplyConflictError);
      const forced = await registry.patch('default', 'web', 'apply', applied(2), { ...WRITE, fieldManager: 'me', force: true });
      assert.equal(spec(forced.object)['replicas'], 2);
    });
  });
});
