import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/object.js';
import { isInvalidError } from '../client/api-status-error.js';
import { CONFIGMAPS, PODS, SECRETS, SERVICEACCOUNTS } from '../client/resource-types.js';
import { FakeClock } from '../lib/clock.js';
import { AlreadyExistsError, CompactedError, ConflictError, NotFoundError } from '../lib/errors.js';
import { MemoryStore } from '../storage/memory/memory-store.js';
import { InProcessClientSet } from './in-process-client.js';
import { ApiRegistry } from './registry/api-registry.js';
import { builtinKinds } from './registry/kinds/index.js';
import { peekJwtPayload } from './serviceaccount/jwt.js';
import { ServiceAccountTokens } from './serviceaccount/service-account-tokens.js';

type PodObject = Pod & KubeObject;

function pod(name: string, labels: Record<string, string> = { app: 'web' }): PodObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
}

describe('InProcessClientSet', () => {
  let store: MemoryStore;
  let registry: ApiRegistry;
  let clients: InProcessClientSet;
  const clock = new FakeClock({ start: new Date('2025-03-01T00:00:00Z') });
  before(async () => {
    store = new MemoryStore();
    registry = new ApiRegistry({ store, kinds: builtinKinds, clock });
    await registry.lookup('', 'v1', 'namespaces')?.create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } }, { dryRun: false, fieldValidation: 'Ignore' });
    clients = new InProcessClientSet({ registry, clock });
  });
  after(async () => {
    registry.close();
    await store.close();
  });

  it('does CRUD with the same typed errors as HTTP, and fieldManager k8ts', async () => {
    const pods = clients.resource<PodObject>(PODS);
    const created = await pods.create('default', pod('a'));
    assert.equal(created.metadata?.managedFields?.[0]?.manager, 'k8ts');
    await assert.rejects(pods.create('default', pod('a')), AlreadyExistsError);
    await assert.rejects(pods.get('default', 'nope'), (e: unknown) => e instanceof NotFoundError && e.message === 'pods "nope" not found');
    const got = await pods.get('default', 'a');
    const updated = await pods.update('default', { ...got, metadata: { ...got.metadata, labels: { v: '2' } } });
    await assert.rejects(pods.update('default', got), ConflictError);
    const status = await pods.updateStatus('default', { ...updated, status: { phase: 'Running' } });
    assert.equal(status.status?.phase, 'Running');
    const patched = await pods.patch('default', 'a', 'strategic', { metadata: { annotations: { x: 'y' } } });
    assert.equal(patched.metadata?.annotations?.['x'], 'y');
    await assert.rejects(pods.create('default', { metadata: { name: 'bad' }, spec: { containers: [] } }), (e: unknown) => isInvalidError(e) && e.code === 422);
    await pods.delete('default', 'a', { gracePeriodSeconds: 0 });
    await assert.rejects(pods.get('default', 'a'), NotFoundError);
    await assert.rejects(clients.resource({ group: 'nope.io', version: 'v1', resource: 'things', kind: 'Thing', namespaced: true }).list(undefined), NotFoundError);
  });

  it('records writes under the client set\'s field manager unless a call names one', async () => {
    const kubelet = new InProcessClientSet({ registry, clock, fieldManager: 'kubelet' }).resource<PodObject>(PODS);
    const created = await kubelet.create('default', pod('fm'));
    assert.deepEqual(created.metadata?.managedFields?.map((f) => f.manager), ['kubelet']);
    const named = await kubelet.patch('default', 'fm', 'merge', { metadata: { labels: { x: 'y' } } }, { fieldManager: 'someone' });
    assert.deepEqual(named.metadata?.managedFields?.map((f) => f.manager).sort(), ['kubelet', 'someone']);
    await kubelet.delete('default', 'fm', { gracePeriodSeconds: 0 });
  });

  it('hands out private copies: changing a result never changes the server', async () => {
    const maps = clients.resource(CONFIGMAPS);
    await maps.create('default', { metadata: { name: 'm' }, data: { k: 'v' } });
    const listed = await maps.list('default');
    const first = listed.items[0];
    assert.ok(first);
    (first['data'] as Record<string, string>)['k'] = 'changed';
    assert.deepEqual((await maps.get('default', 'm'))['data'], { k: 'v' });
  });

  it('takes no reference to what a caller writes: changing it while the write is under way or after changes nothing', async () => {
    const maps = clients.resource(CONFIGMAPS);
    const body: KubeObject = { metadata: { name: 'held' }, data: { k: 'v' } };
    const creating = maps.create('default', body);
    (body['data'] as Record<string, string>)['k'] = 'during create';
    const created = await creating;
    assert.deepEqual(created['data'], { k: 'v' });
    const next: KubeObject = { ...created, data: { k: 'v2' } };
    const updating = maps.update('default', next);
    (next['data'] as Record<string, string>)['k'] = 'during update';
    await updating;
    (next['data'] as Record<string, string>)['k'] = 'after update';
    assert.deepEqual((await maps.get('default', 'held'))['data'], { k: 'v2' });

    const pods = clients.resource<PodObject>(PODS);
    const p = await pods.create('default', pod('held'));
    const status = { phase: 'Running' as const, conditions: [{ type: 'Ready', status: 'True' }] };
    const writing = pods.updateStatus('default', { ...p, status });
    status.conditions[0]!.status = 'False';
    await writing;
    assert.deepEqual((await pods.get('default', 'held')).status?.conditions?.map((c) => c.status), ['True']);
  });

  it('a readOnly write answers with the same object content; others get private copies', async () => {
    const maps = clients.resource(CONFIGMAPS);
    const shared = await maps.create('default', { metadata: { name: 'ro' }, data: { k: 'v' } }, { readOnly: true });
    const again = await maps.update('default', { ...shared, data: { k: 'v' } });
    assert.deepEqual(again['data'], { k: 'v' });
    // The unchanged update answers with the stored object; a copy may be changed freely.
    (again['data'] as Record<string, string>)['k'] = 'mine';
    assert.deepEqual((await maps.get('default', 'ro'))['data'], { k: 'v' });
    const readOnly = await maps.update('default', { ...shared, data: { k: 'v' } }, { readOnly: true });
    assert.equal(readOnly.metadata?.resourceVersion, shared.metadata?.resourceVersion);
    assert.deepEqual(readOnly['data'], { k: 'v' });
  });

  it('watches, and a compacted resourceVersion throws CompactedError', async () => {
    const pods = clients.resource<PodObject>(PODS);
    const start = await pods.list('default');
    const controller = new AbortController();
    const seen: string[] = [];
    const done = (async () => {
      for await (const event of pods.watch('default', { resourceVersion: start.metadata.resourceVersion, signal: controller.signal })) {
        seen.push(`${event.type} ${event.object.metadata?.name ?? ''}`);
        if (seen.length === 2) controller.abort();
      }
    })();
    await pods.create('default', pod('w'));
    await pods.delete('default', 'w', { gracePeriodSeconds: 0 });
    await done;
    assert.deepEqual(seen, ['ADDED w', 'DELETED w']);

    const secrets = clients.resource(SECRETS);
    const old = await secrets.create('default', { metadata: { name: 's' } });
    await secrets.patch('default', 's', 'merge', { data: { a: 'YQ==' } });
    await store.compact(await store.currentRevision());
    const stale = new AbortController();
    await assert.rejects(async () => {
      for await (const event of secrets.watch('default', { resourceVersion: String(Number(old.metadata?.resourceVersion) - 1), signal: stale.signal })) {
        assert.ok(event);
      }
    }, CompactedError);
  });

  it('binds a pod once: spec.nodeName and PodScheduled=True; a second binding conflicts', async () => {
    const pods = clients.resource<PodObject>(PODS);
    await pods.create('default', pod('b'));
    const answer = await pods.createSubresource('default', 'b', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'b' }, target: { kind: 'Node', name: 'n1' } });
    assert.equal(answer['status'], 'Success');
    const bound = await pods.get('default', 'b');
    assert.equal(bound.spec?.nodeName, 'n1');
    const scheduled = bound.status?.conditions?.find((c) => c.type === 'PodScheduled');
    assert.deepEqual(scheduled && { status: scheduled.status, at: scheduled.lastTransitionTime }, { status: 'True', at: '2025-03-01T00:00:00Z' });
    await assert.rejects(
      pods.createSubresource('default', 'b', 'binding', { target: { name: 'n2' } }),
      (e: unknown) => e instanceof ConflictError && e.message === 'Operation cannot be fulfilled on pods/binding "b": pod b is already assigned to node "n1"',
    );
    await assert.rejects(pods.createSubresource('default', 'b', 'binding', { target: {} }), (e: unknown) => isInvalidError(e));
    await assert.rejects(pods.createSubresource('default', 'missing', 'binding', { target: { name: 'n1' } }), NotFoundError);
  });

  it('answers serviceaccounts/token when given the token issuer (the embedded agent\'s token volumes), else 404', async () => {
    const tokens = new ServiceAccountTokens({ ...generateKeyPairSync('rsa', { modulusLength: 2048 }), clock });
    const withTokens = new InProcessClientSet({ registry, clock, tokens });
    await withTokens.resource(SERVICEACCOUNTS).create('default', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot' } });
    const body = { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: [], expirationSeconds: 600 } };
    const answer = await withTokens.resource(SERVICEACCOUNTS).createSubresource('default', 'robot', 'token', body);
    const status = answer['status'] as { token: string; expirationTimestamp: string };
    assert.equal(peekJwtPayload(status.token)?.['sub'], 'system:serviceaccount:default:robot');
    assert.equal(status.expirationTimestamp, new Date(clock.now().getTime() + 600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    await assert.rejects(withTokens.resource(SERVICEACCOUNTS).createSubresource('default', 'ghost', 'token', body), NotFoundError);
    await assert.rejects(clients.resource(SERVICEACCOUNTS).createSubresource('default', 'robot', 'token', body), NotFoundError);
  });
});
