import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotFoundError } from '../../lib/errors.js';
import { PreconditionFailedError } from './api-errors.js';
import { jobStrategy } from './kinds/job.js';
import { configMapStrategy, deployment, deploymentStrategy, harness, namespaceStrategy, pod, podStrategy, WRITE } from './registry-fixtures.test.js';

describe('delete', () => {
  it('deletes at once and returns the object at the deletion revision', async () => {
    const { registry, store } = harness(configMapStrategy);
    const created = (await registry.create('default', { metadata: { name: 'c' }, data: { a: '1' } }, WRITE)).object;
    const result = await registry.delete('default', 'c', { dryRun: false });
    assert.equal(result.finished, true);
    assert.deepEqual(result.object['data'], { a: '1' });
    assert.equal(result.object.metadata?.resourceVersion, String(await store.currentRevision()));
    assert.notEqual(result.object.metadata?.resourceVersion, created.metadata?.resourceVersion);
    await assert.rejects(registry.get('default', 'c'), NotFoundError);
    await assert.rejects(registry.delete('default', 'c', { dryRun: false }), { message: 'configmaps "c" not found' });
  });

  it('checks uid and resourceVersion preconditions', async () => {
    const { registry } = harness(configMapStrategy);
    const created = (await registry.create('default', { metadata: { name: 'c' } }, WRITE)).object;
    await assert.rejects(registry.delete('default', 'c', { dryRun: false, preconditions: { uid: 'x' } }),
      (e: unknown) => e instanceof PreconditionFailedError &&
        e.message === `Operation cannot be fulfilled on configmaps "c": Precondition failed: UID in precondition: x, UID in object meta: ${created.metadata?.uid ?? ''}`);
    await assert.rejects(registry.delete('default', 'c', { dryRun: false, preconditions: { resourceVersion: '1000' } }), PreconditionFailedError);
    const ok = await registry.delete('default', 'c', { dryRun: false, preconditions: { uid: created.metadata?.uid ?? '' } });
    assert.equal(ok.finished, true);
  });

  it('dryRun deletes nothing', async () => {
    const { registry } = harness(configMapStrategy);
    await registry.create('default', { metadata: { name: 'c' } }, WRITE);
    assert.equal((await registry.delete('default', 'c', { dryRun: true })).finished, true);
    assert.equal((await registry.get('default', 'c')).metadata?.name, 'c');
  });

  it('Orphan and Foreground add their finalizer and keep the object (for the garbage collector)', async () => {
    const { registry } = harness(deploymentStrategy);
    await registry.create('default', deployment('a'), WRITE);
    await registry.create('default', deployment('b'), WRITE);
    const orphaned = await registry.delete('default', 'a', { dryRun: false, propagationPolicy: 'Orphan' });
    assert.equal(orphaned.finished, false);
    assert.deepEqual(orphaned.object.metadata?.finalizers, ['orphan']);
    assert.equal(orphaned.object.metadata?.generation, 2, 'generation is bumped when deletion starts');
    const foreground = await registry.delete('default', 'b', { dryRun: false, propagationPolicy: 'Foreground' });
    assert.deepEqual(foreground.object.metadata?.finalizers, ['foregroundDeletion']);
    assert.equal((await registry.get('default', 'b')).metadata?.deletionTimestamp, '2026-11-27T05:00:00Z');
  });

  it('a Job deleted without a policy orphans its pods, as upstream batch/v1; Background overrides', async () => {
    const { registry } = harness(jobStrategy);
    const job = (name: string) => ({
      metadata: { name },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
    });
    await registry.create('default', job('a'), WRITE);
    await registry.create('default', job('b'), WRITE);
    await registry.create('default', job('c'), WRITE);
    const defaulted = await registry.delete('default', 'a', { dryRun: false });
    assert.equal(defaulted.finished, false);
    assert.deepEqual(defaulted.object.metadata?.finalizers, ['orphan']);
    assert.equal((await registry.delete('default', 'b', { dryRun: false, propagationPolicy: 'Background' })).finished, true);
    // A delete already under way in the foreground keeps that policy when deleted again without one.
    await registry.delete('default', 'c', { dryRun: false, propagationPolicy: 'Foreground' });
    const again = await registry.delete('default', 'c', { dryRun: false });
    assert.deepEqual(again.object.metadata?.finalizers, ['foregroundDeletion']);
  });

  it('graceful deletion: deadline now + grace, a shorter grace shortens it, grace 0 deletes', async () => {
    const { registry, clock } = harness(podStrategy);
    await registry.create('default', { ...pod('p', { nodeName: 'n1' }), spec: { nodeName: 'n1', terminationGracePeriodSeconds: 30 } }, WRITE);
    const first = await registry.delete('default', 'p', { dryRun: false });
    assert.equal(first.finished, false);
    assert.equal(first.object.metadata?.deletionTimestamp, '2026-11-27T05:00:30Z');
    assert.equal(first.object.metadata?.deletionGracePeriodSeconds, 30);
    clock.advance(5000);
    const longer = await registry.delete('default', 'p', { dryRun: false, gracePeriodSeconds: 60 });
    assert.equal(longer.object.metadata?.deletionTimestamp, '2026-11-27T05:00:30Z', 'a longer grace changes nothing');
    const shorter = await registry.delete('default', 'p', { dryRun: false, gracePeriodSeconds: 10 });
    assert.equal(shorter.object.metadata?.deletionTimestamp, '2026-11-27T05:00:10Z');
    assert.equal(shorter.object.metadata?.deletionGracePeriodSeconds, 10);
    const now = await registry.delete('default', 'p', { dryRun: false, gracePeriodSeconds: 0 });
    assert.equal(now.finished, true);
    await assert.rejects(registry.get('default', 'p'), NotFoundError);
  });

  it('an unbound pod is deleted at once', async () => {
    const { registry } = harness(podStrategy);
    await registry.create('default', pod('p'), WRITE);
    assert.equal((await registry.delete('default', 'p', { dryRun: false, gracePeriodSeconds: 30 })).finished, true);
  });

  it('a namespace goes Terminating and stays until spec.finalizers is emptied', async () => {
    const { registry } = harness(namespaceStrategy);
    await registry.create(undefined, { metadata: { name: 'team' } }, WRITE);
    const result = await registry.delete(undefined, 'team', { dryRun: false });
    assert.equal(result.finished, false);
    assert.equal((result.object['status'] as { phase: string }).phase, 'Terminating');
    assert.equal(result.object.metadata?.deletionTimestamp, '2026-11-27T05:00:00Z');
    const current = await registry.get(undefined, 'team');
    const finalized = { ...current, spec: { finalizers: [] } };
    // spec is written through the main resource here (the finalize subresource is a later issue).
    await registry.update(undefined, 'team', finalized, WRITE);
    await assert.rejects(registry.get(undefined, 'team'), NotFoundError);
  });

  it('deleteCollection deletes what the selector matches and returns it', async () => {
    const { registry } = harness(podStrategy);
    await registry.create('default', pod('a', { labels: { app: 'x' } }), WRITE);
    await registry.create('default', pod('b', { labels: { app: 'x' } }), WRITE);
    await registry.create('default', pod('c', { labels: { app: 'y' } }), WRITE);
    const deleted = await registry.deleteCollection('default', { labelSelector: 'app=x' }, { dryRun: false });
    assert.deepEqual(deleted.items.map((p) => p.metadata?.name), ['a', 'b']);
    assert.equal(deleted.kind, 'PodList');
    assert.deepEqual((await registry.list('default', {})).items.map((p) => p.metadata?.name), ['c']);
  });
});
