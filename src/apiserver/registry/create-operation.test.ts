import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequestError } from '../../lib/errors.js';
import { ForbiddenError, InvalidError, ResourceAlreadyExistsError, ResourceNotFoundError } from './api-errors.js';
import { deployment, deploymentStrategy, harness, pod, podStrategy, WRITE } from './registry-fixtures.test.js';
import { GENERATE_NAME_ALPHABET } from './name-generator.js';

describe('create', () => {
  it('stamps uid, creationTimestamp, generation 1 and the store revision; clears status and system fields', async () => {
    const { registry, store } = harness(deploymentStrategy);
    const body = deployment('web');
    body['status'] = { replicas: 9 };
    Object.assign(body.metadata ?? {}, { resourceVersion: '77', deletionTimestamp: '2020-01-01T00:00:00Z', uid: 'client-uid' });
    const { object, created, warnings } = await registry.create('default', body, WRITE);
    assert.equal(created, true);
    assert.deepEqual(warnings, []);
    assert.equal(object.apiVersion, 'apps/v1');
    assert.equal(object.kind, 'Deployment');
    assert.match(object.metadata?.uid ?? '', /^[0-9a-f-]{36}$/);
    assert.notEqual(object.metadata?.uid, 'client-uid');
    assert.equal(object.metadata?.creationTimestamp, '2026-11-27T05:00:00Z');
    assert.equal(object.metadata?.generation, 1);
    assert.equal(object.metadata?.deletionTimestamp, undefined);
    assert.equal(object.metadata?.resourceVersion, String(await store.currentRevision()));
    assert.deepEqual(object['status'], {});
    // Stored without resourceVersion; read back with it.
    const kv = await store.get('/registry/apps/deployments/default/web');
    assert.equal((JSON.parse(kv?.value ?? '{}') as { metadata: Record<string, unknown> }).metadata['resourceVersion'], undefined);
    assert.deepEqual(await registry.get('default', 'web'), object);
  });

  it('runs prepareForCreate, records managedFields for the field manager', async () => {
    const { registry } = harness(podStrategy);
    const { object } = await registry.create('default', pod('p'), WRITE);
    assert.deepEqual(object['status'], { phase: 'Pending' });
    assert.equal(object.metadata?.managedFields?.[0]?.manager, 'test');
    assert.equal(object.metadata?.managedFields?.[0]?.operation, 'Update');
  });

  it('fills apiVersion/kind when absent and rejects another kind or version', async () => {
    const { registry } = harness(deploymentStrategy);
    const body = deployment('web');
    delete body.apiVersion;
    delete body.kind;
    assert.equal((await registry.create('default', body, WRITE)).object.kind, 'Deployment');
    await assert.rejects(registry.create('default', { ...deployment('x'), apiVersion: 'v1' }, WRITE),
      (e: unknown) => e instanceof BadRequestError && e.message === 'the API version in the data (v1) does not match the expected API version (apps/v1)');
    await assert.rejects(registry.create('default', { ...deployment('x'), kind: 'Pod' }, WRITE), BadRequestError);
  });

  it('rejects a body namespace that differs from the URL namespace', async () => {
    const { registry } = harness(deploymentStrategy);
    await assert.rejects(registry.create('other', deployment('web'), WRITE),
      { message: 'the namespace of the provided object does not match the namespace sent on the request' });
  });

  it('refuses content in a missing (404) or terminating (403) namespace', async () => {
    const states: Record<string, 'Active' | 'Terminating' | 'NotFound'> = { gone: 'NotFound', dying: 'Terminating' };
    const { registry } = harness(podStrategy, { namespaceState: (name) => Promise.resolve(states[name] ?? 'Active') });
    await assert.rejects(registry.create('gone', pod('p', { namespace: 'gone' }), WRITE),
      (e: unknown) => e instanceof ResourceNotFoundError && e.message === 'namespaces "gone" not found');
    await assert.rejects(registry.create('dying', pod('p', { namespace: 'dying' }), WRITE),
      (e: unknown) => e instanceof ForbiddenError &&
        e.message === 'pods "p" is forbidden: unable to create new content in namespace dying because it is being terminated');
    assert.equal((await registry.create('default', pod('p'), WRITE)).created, true);
  });

  it('generates names from generateName with 5 characters of the upstream alphabet', async () => {
    const { registry } = harness(podStrategy);
    const body = pod('');
    delete body.metadata?.name;
    Object.assign(body.metadata ?? {}, { generateName: 'web-' });
    const names = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const name = (await registry.create('default', body, WRITE)).object.metadata?.name ?? '';
      assert.match(name, new RegExp(`^web-[${GENERATE_NAME_ALPHABET}]{5}$`));
      names.add(name);
    }
    assert.equal(names.size, 5);
  });

  it('requires a name when there is no generateName', async () => {
    const { registry } = harness(podStrategy);
    const body = pod('');
    delete body.metadata?.name;
    await assert.rejects(registry.create('default', body, WRITE),
      (e: unknown) => e instanceof InvalidError && e.message === 'Pod "" is invalid: metadata.name: Required value: name or generateName is required');
  });

  it('answers AlreadyExists with the upstream message', async () => {
    const { registry } = harness(podStrategy);
    await registry.create('default', pod('p'), WRITE);
    await assert.rejects(registry.create('default', pod('p'), WRITE),
      (e: unknown) => e instanceof ResourceAlreadyExistsError && e.message === 'pods "p" already exists');
  });

  it('validation failures are 422 Invalid and write nothing', async () => {
    const { registry, store } = harness(deploymentStrategy);
    await assert.rejects(registry.create('default', deployment('web', { replicas: -1 }), WRITE),
      (e: unknown) => e instanceof InvalidError &&
        e.message === 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    assert.equal(await store.currentRevision(), 0);
  });

  it('dryRun returns the object that would be stored without a resourceVersion, and writes nothing', async () => {
    const { registry, store } = harness(deploymentStrategy);
    const { object, created } = await registry.create('default', deployment('web'), { ...WRITE, dryRun: true });
    assert.equal(created, true);
    assert.equal(object.metadata?.generation, 1);
    assert.equal(object.metadata?.resourceVersion, undefined);
    assert.equal(await store.currentRevision(), 0);
    assert.equal(await store.get('/registry/apps/deployments/default/web'), undefined);
  });

  it('fieldValidation: Strict rejects unknown fields, Warn warns and drops them, Ignore drops them silently', async () => {
    const fieldValidator = {
      unknownFields: (_gvk: unknown, obj: unknown) => ((obj as { spec?: { foo?: unknown } }).spec?.foo === undefined ? [] : ['spec.foo']),
    };
    const { registry } = harness(deploymentStrategy, { fieldValidator });
    const body = deployment('web');
    (body['spec'] as Record<string, unknown>)['foo'] = 1;
    await assert.rejects(registry.create('default', body, WRITE), (e: unknown) => e instanceof BadRequestError &&
      e.message === 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"');
    const warned = await registry.create('default', body, { ...WRITE, fieldValidation: 'Warn' });
    assert.deepEqual(warned.warnings, ['unknown field "spec.foo"']);
    assert.equal((warned.object['spec'] as Record<string, unknown>)['foo'], undefined);
    const ignored = await registry.create('default', { ...body, metadata: { name: 'web2' } }, { ...WRITE, fieldValidation: 'Ignore' });
    assert.deepEqual(ignored.warnings, []);
    assert.equal((ignored.object['spec'] as Record<string, unknown>)['foo'], undefined);
  });
});
