import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { NotFoundError } from '../../lib/errors.js';
import { InvalidError, ResourceConflictError } from './api-errors.js';
import {
  configMapStrategy, deployment, deploymentStrategy, harness, nextEvent, pod, podStrategy, summary, WRITE,
} from './registry-fixtures.test.js';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function spec(obj: KubeObject): Record<string, unknown> {
  return obj['spec'] as Record<string, unknown>;
}

describe('update (PUT)', () => {
  it('a stale resourceVersion is a Conflict with the upstream message', async () => {
    const { registry } = harness(deploymentStrategy);
    const first = (await registry.create('default', deployment('web'), WRITE)).object;
    const second = structuredClone(first);
    spec(second)['replicas'] = 2;
    await registry.update('default', 'web', second, WRITE);
    spec(first)['replicas'] = 3;
    await assert.rejects(registry.update('default', 'web', first, WRITE), (e: unknown) => e instanceof ResourceConflictError &&
      e.message === 'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again');
  });

  it('without a resourceVersion the update is unconditional, unless the registry requires one', async () => {
    const { registry } = harness(deploymentStrategy);
    await registry.create('default', deployment('web'), WRITE);
    const result = await registry.update('default', 'web', deployment('web', { replicas: 4 }), WRITE);
    assert.equal(spec(result.object)['replicas'], 4);
    const strict = harness(deploymentStrategy, { requireResourceVersionOnUpdate: true });
    await strict.registry.create('default', deployment('web'), WRITE);
    await assert.rejects(strict.registry.update('default', 'web', deployment('web'), WRITE), (e: unknown) => e instanceof InvalidError &&
      e.message === 'Deployment.apps "web" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update');
  });

  it('bumps generation only when something outside metadata and status changes', async () => {
    const { registry } = harness(deploymentStrategy);
    const created = (await registry.create('default', deployment('web'), WRITE)).object;
    const labelled = structuredClone(created);
    labelled.metadata = { ...labelled.metadata, labels: { team: 'a' } };
    const afterLabel = (await registry.update('default', 'web', labelled, WRITE)).object;
    assert.equal(afterLabel.metadata?.generation, 1);
    assert.notEqual(afterLabel.metadata?.resourceVersion, created.metadata?.resourceVersion);
    const scaled = structuredClone(afterLabel);
    spec(scaled)['replicas'] = 5;
    const afterSpec = (await registry.update('default', 'web', scaled, WRITE)).object;
    assert.equal(afterSpec.metadata?.generation, 2);
    const statusOnly = structuredClone(afterSpec);
    statusOnly['status'] = { replicas: 5 };
    const afterStatus = (await registry.update('default', 'web', statusOnly, { ...WRITE, subresource: 'status' })).object;
    assert.equal(afterStatus.metadata?.generation, 2);
  });

  it('the main resource keeps the stored status; /status changes only status and keeps labels', async () => {
    const { registry } = harness(deploymentStrategy);
    const created = (await registry.create('default', deployment('web'), WRITE)).object;
    const withStatus = structuredClone(created);
    withStatus['status'] = { replicas: 1 };
    spec(withStatus)['replicas'] = 7;
    withStatus.metadata = { ...withStatus.metadata, labels: { changed: 'yes' } };
    const afterStatus = (await registry.update('default', 'web', withStatus, { ...WRITE, subresource: 'status' })).object;
    assert.deepEqual(afterStatus['status'], { replicas: 1 });
    assert.equal(spec(afterStatus)['replicas'], 1, 'spec is not written through /status');
    assert.equal(afterStatus.metadata?.labels, undefined, 'labels are not written through /status');

    const main = structuredClone(afterStatus);
    main['status'] = { replicas: 99 };
    spec(main)['replicas'] = 3;
    const afterMain = (await registry.update('default', 'web', main, WRITE)).object;
    assert.deepEqual(afterMain['status'], { replicas: 1 });
    assert.equal(spec(afterMain)['replicas'], 3);
  });

  it('/status neither changes nor keeps the body: a frozen body is fine, later changes reach nothing, unknown fields are pruned from a copy', async () => {
    const fieldValidator = {
      unknownFields: (_gvk: unknown, obj: unknown) => ((obj as { status?: { foo?: unknown } }).status?.foo === undefined ? [] : ['status.foo']),
    };
    const { registry } = harness(deploymentStrategy, { fieldValidator });
    const created = (await registry.create('default', deployment('web'), WRITE)).object;
    const frozen: KubeObject = deepFreeze({ ...structuredClone(created), metadata: { name: 'web' }, status: { replicas: 1, conditions: [{ type: 'Available' }] } });
    const written = (await registry.update('default', 'web', frozen, { ...WRITE, subresource: 'status' })).object;
    assert.deepEqual(written['status'], { replicas: 1, conditions: [{ type: 'Available' }] });
    assert.equal(frozen.metadata?.namespace, undefined, 'the namespace is settled on a copy');

    const body: KubeObject = { ...structuredClone(written), status: { replicas: 2, conditions: [{ type: 'Available' }] } };
    await registry.update('default', 'web', body, { ...WRITE, subresource: 'status' });
    ((body['status'] as { conditions: Record<string, string>[] }).conditions[0] as Record<string, string>)['type'] = 'changed later';
    assert.deepEqual((await registry.get('default', 'web'))['status'], { replicas: 2, conditions: [{ type: 'Available' }] });

    const unknown = deepFreeze({ ...structuredClone(await registry.get('default', 'web')), status: { replicas: 3, foo: 1 } });
    const pruned = await registry.update('default', 'web', unknown, { ...WRITE, subresource: 'status', fieldValidation: 'Warn' });
    assert.deepEqual(pruned.warnings, ['unknown field "status.foo"']);
    assert.deepEqual(pruned.object['status'], { replicas: 3 });
  });

  it('/status on a kind without a status subresource is not found', async () => {
    const { registry } = harness(configMapStrategy);
    await registry.create('default', { metadata: { name: 'c' }, data: {} }, WRITE);
    await assert.rejects(registry.update('default', 'c', { metadata: { name: 'c' } }, { ...WRITE, subresource: 'status' }), NotFoundError);
  });

  it('keeps uid and creationTimestamp; a different uid is invalid', async () => {
    const { registry, clock } = harness(deploymentStrategy);
    const created = (await registry.create('default', deployment('web'), WRITE)).object;
    clock.advance(60_000);
    const changed = structuredClone(created);
    changed.metadata = { ...changed.metadata, creationTimestamp: '2000-01-01T00:00:00Z', uid: '' };
    spec(changed)['replicas'] = 2;
    const updated = (await registry.update('default', 'web', changed, WRITE)).object;
    assert.equal(updated.metadata?.uid, created.metadata?.uid);
    assert.equal(updated.metadata?.creationTimestamp, created.metadata?.creationTimestamp);
    const otherUid = structuredClone(updated);
    otherUid.metadata = { ...otherUid.metadata, uid: 'nope' };
    await assert.rejects(registry.update('default', 'web', otherUid, WRITE),
      (e: unknown) => e instanceof InvalidError && e.causes.some((c) => c.field === 'metadata.uid'));
  });

  it('a no-op update writes nothing and returns the current object', async () => {
    const { registry, store } = harness(deploymentStrategy);
    const created = (await registry.create('default', deployment('web'), WRITE)).object;
    const before = await store.currentRevision();
    const result = await registry.update('default', 'web', created, WRITE);
    assert.equal(await store.currentRevision(), before);
    assert.equal(result.object.metadata?.resourceVersion, created.metadata?.resourceVersion);
  });

  it('rejects a body whose name differs from the URL', async () => {
    const { registry } = harness(deploymentStrategy);
    await registry.create('default', deployment('web'), WRITE);
    await assert.rejects(registry.update('default', 'web', deployment('other'), WRITE),
      { message: 'the name of the object (other) does not match the name on the URL (web)' });
  });

  it('dryRun validates and returns the result at the old resourceVersion without writing', async () => {
    const { registry, store } = harness(deploymentStrategy);
    const created = (await registry.create('default', deployment('web'), WRITE)).object;
    const before = await store.currentRevision();
    const changed = structuredClone(created);
    spec(changed)['replicas'] = 9;
    const result = await registry.update('default', 'web', changed, { ...WRITE, dryRun: true });
    assert.equal(spec(result.object)['replicas'], 9);
    assert.equal(result.object.metadata?.resourceVersion, created.metadata?.resourceVersion);
    assert.equal(await store.currentRevision(), before);
    assert.equal(spec(await registry.get('default', 'web'))['replicas'], 1);
  });

  it('finalizers keep a deleted object until an update removes the last one, which deletes it', async () => {
    const { registry } = harness(podStrategy);
    const body = pod('p');
    body.metadata = { ...body.metadata, finalizers: ['example.com/hold'] };
    await registry.create('default', body, WRITE);
    const deleted = await registry.delete('default', 'p', { dryRun: false });
    assert.equal(deleted.finished, false);
    assert.equal(deleted.object.metadata?.deletionTimestamp, '2026-11-27T05:00:00Z');
    assert.equal(deleted.object.metadata?.deletionGracePeriodSeconds, 0);
    const held = await registry.get('default', 'p');
    assert.deepEqual(held.metadata?.finalizers, ['example.com/hold']);

    // The deletionTimestamp cannot be taken back by an update.
    const undo = structuredClone(held);
    delete (undo.metadata as Record<string, unknown>)['deletionTimestamp'];
    const stillDeleting = (await registry.update('default', 'p', undo, WRITE)).object;
    assert.equal(stillDeleting.metadata?.deletionTimestamp, '2026-11-27T05:00:00Z');

    const watch = registry.watch('default', { resourceVersion: stillDeleting.metadata?.resourceVersion ?? '', signal: AbortSignal.timeout(10_000) })[Symbol.asyncIterator]();
    const release = structuredClone(stillDeleting);
    release.metadata = { ...release.metadata, finalizers: [] };
    const result = await registry.update('default', 'p', release, WRITE);
    await assert.rejects(registry.get('default', 'p'), NotFoundError);
    const event = await nextEvent(watch);
    assert.equal(summary(event), `DELETED p@${result.object.metadata?.resourceVersion ?? ''}`);
    await watch.return?.();
  });
});
