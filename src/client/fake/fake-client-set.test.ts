import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { FakeClock } from '../../lib/clock.js';
import { AlreadyExistsError, CompactedError, ConflictError, NotFoundError, UnavailableError } from '../../lib/errors.js';
import type { ClientWatchEvent } from '../resource-client.js';
import { DEPLOYMENTS, NODES, PODS } from '../resource-types.js';
import { FakeClientSet } from './fake-client-set.js';

type PodObject = Pod & KubeObject;
type DeploymentObject = Deployment & KubeObject;

function pod(name: string, extra: Partial<Pod> = {}): PodObject {
  return { metadata: { name, namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] }, ...extra };
}

async function collect<T>(iterable: AsyncIterable<T>, count: number, controller: AbortController): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) {
    out.push(item);
    if (out.length === count) controller.abort();
  }
  return out;
}

test('create stamps identity, rejects duplicates, generateName picks a free name', async () => {
  const clock = new FakeClock();
  const clients = new FakeClientSet({ clock });
  const pods = clients.resource<PodObject>(PODS);
  const created = await pods.create('default', pod('a'));
  assert.equal(created.kind, 'Pod');
  assert.equal(created.apiVersion, 'v1');
  assert.equal(created.metadata?.creationTimestamp, '2025-01-01T00:00:00Z');
  assert.ok(created.metadata?.uid);
  assert.equal(created.metadata?.resourceVersion, '1');
  await assert.rejects(pods.create('default', pod('a')), AlreadyExistsError);
  const generated = await pods.create('default', { metadata: { generateName: 'web-' } });
  assert.match(generated.metadata?.name ?? '', /^web-[a-z0-9]{5}$/);
  assert.deepEqual(clients.actions.map((a) => `${a.verb} ${a.name ?? ''}`), ['create a', 'create a', `create ${generated.metadata?.name ?? ''}`]);
  await assert.rejects(pods.get('default', 'missing'), (error: unknown) => error instanceof NotFoundError && error.message === 'pods "missing" not found');
});

test('update enforces resourceVersion, keeps status; updateStatus changes only status; generation follows spec', async () => {
  const clients = new FakeClientSet();
  const deployments = clients.resource<DeploymentObject>(DEPLOYMENTS);
  const [seeded] = clients.seed<DeploymentObject>(DEPLOYMENTS, { metadata: { name: 'd', namespace: 'ns' }, spec: { replicas: 1, selector: {}, template: {} } });
  assert.equal(seeded?.metadata?.generation, 1);
  assert.equal(clients.actions.length, 0);
  const withStatus = await deployments.updateStatus('ns', { ...seeded, status: { replicas: 1 }, spec: { replicas: 9, selector: {}, template: {} } });
  assert.equal(withStatus.spec?.replicas, 1);
  assert.equal(withStatus.status?.replicas, 1);
  assert.equal(withStatus.metadata?.generation, 1);
  await assert.rejects(deployments.update('ns', { ...withStatus, metadata: { ...withStatus.metadata, resourceVersion: seeded?.metadata?.resourceVersion ?? '' } }), ConflictError);
  const scaled = await deployments.update('ns', { ...withStatus, spec: { replicas: 3, selector: {}, template: {} }, status: {} });
  assert.equal(scaled.metadata?.generation, 2);
  assert.deepEqual(scaled.status, { replicas: 1 });
  const labelled = await deployments.patch('ns', 'd', 'merge', { metadata: { labels: { a: 'b' } } });
  assert.equal(labelled.metadata?.generation, 2);
  assert.deepEqual(labelled.metadata?.labels, { a: 'b' });
  await assert.rejects(deployments.patch('ns', 'd', 'merge', { metadata: { resourceVersion: '1' }, spec: { replicas: 0 } }), ConflictError);
  const jsonPatched = await deployments.patch('ns', 'd', 'json', [{ op: 'replace', path: '/spec/replicas', value: 5 }]);
  assert.equal(jsonPatched.spec?.replicas, 5);
  const statusPatched = await deployments.patch('ns', 'd', 'merge', { status: { readyReplicas: 2 } }, { subresource: 'status' });
  assert.deepEqual(statusPatched.status, { replicas: 1, readyReplicas: 2 });
});

test('list filters by namespace, labels and fields', async () => {
  const clients = new FakeClientSet();
  clients.seed(PODS, pod('a', { spec: { containers: [], nodeName: 'n1' } }), pod('b', { status: { phase: 'Running' } }), {
    ...pod('c'),
    metadata: { name: 'c', namespace: 'other', labels: { app: 'db' } },
  });
  const pods = clients.resource<PodObject>(PODS);
  const names = async (ns: string | undefined, options = {}): Promise<string[]> =>
    (await pods.list(ns, options)).items.map((p) => p.metadata?.name ?? '');
  assert.deepEqual(await names(undefined), ['a', 'b', 'c']);
  assert.deepEqual(await names('default'), ['a', 'b']);
  assert.deepEqual(await names(undefined, { labelSelector: 'app in (db)' }), ['c']);
  assert.deepEqual(await names(undefined, { fieldSelector: 'spec.nodeName=n1' }), ['a']);
  assert.deepEqual(await names(undefined, { fieldSelector: 'status.phase!=Running,metadata.namespace=default' }), ['a']);
  assert.equal((await pods.list(undefined)).metadata.resourceVersion, '3');
});

test('delete with finalizers marks, removing the last finalizer deletes; preconditions conflict', async () => {
  const clock = new FakeClock();
  const clients = new FakeClientSet({ clock });
  const pods = clients.resource<PodObject>(PODS);
  const [seeded] = clients.seed(PODS, { ...pod('a'), metadata: { name: 'a', namespace: 'default', finalizers: ['x/y'] } });
  await assert.rejects(pods.delete('default', 'a', { preconditions: { uid: 'nope' } }), ConflictError);
  const marked = await pods.delete('default', 'a');
  assert.equal(marked.metadata?.deletionTimestamp, '2025-01-01T00:00:00Z');
  assert.ok(await pods.get('default', 'a'));
  await pods.update('default', { ...marked, metadata: { ...marked.metadata, finalizers: [] } });
  await assert.rejects(pods.get('default', 'a'), NotFoundError);
  assert.ok(seeded);
  await pods.create('default', pod('b'));
  await pods.delete('default', 'b');
  await assert.rejects(pods.get('default', 'b'), NotFoundError);
});

test('watch replays after a resourceVersion and follows live changes, filtered', async () => {
  const clients = new FakeClientSet();
  const pods = clients.resource<PodObject>(PODS);
  const first = await pods.create('default', pod('a'));
  const controller = new AbortController();
  const events = collect(pods.watch('default', { resourceVersion: first.metadata?.resourceVersion ?? '', labelSelector: 'app=web', signal: controller.signal }), 4, controller);
  await pods.create('default', pod('b'));
  await pods.create('default', { ...pod('x'), metadata: { name: 'x', namespace: 'default', labels: { app: 'db' } } });
  await pods.patch('default', 'a', 'merge', { metadata: { labels: { app: 'db' } } });
  await pods.patch('default', 'x', 'merge', { metadata: { labels: { app: 'web' } } });
  await pods.delete('default', 'b');
  const seen = (await events).map((e: ClientWatchEvent<PodObject>) => `${e.type} ${e.object.metadata?.name ?? ''}`);
  assert.deepEqual(seen, ['ADDED b', 'DELETED a', 'ADDED x', 'DELETED b']);
});

test('watch without resourceVersion starts with ADDED for current state; compacted history throws', async () => {
  const clients = new FakeClientSet();
  const nodes = clients.resource(NODES);
  await nodes.create(undefined, { metadata: { name: 'n1' } });
  const controller = new AbortController();
  const events = await collect(nodes.watch(undefined, { signal: controller.signal }), 1, controller);
  assert.deepEqual(events.map((e) => `${e.type} ${e.object.metadata?.name ?? ''}`), ['ADDED n1']);
  await nodes.create(undefined, { metadata: { name: 'n2' } });
  clients.compact();
  const stale = new AbortController();
  await assert.rejects(collect(nodes.watch(undefined, { resourceVersion: '1', signal: stale.signal }), 1, stale), CompactedError);
});

test('binding sets nodeName once; reactors inject errors', async () => {
  const clock = new FakeClock();
  const clients = new FakeClientSet({ clock });
  const pods = clients.resource<PodObject>(PODS);
  await pods.create('default', pod('a'));
  await pods.createSubresource('default', 'a', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'a' }, target: { kind: 'Node', name: 'n1' } });
  const bound = await pods.get('default', 'a');
  assert.equal(bound.spec?.nodeName, 'n1');
  assert.equal(bound.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status, 'True');
  await assert.rejects(
    pods.createSubresource('default', 'a', 'binding', { target: { name: 'n2' } }),
    (error: unknown) => error instanceof ConflictError && error.message.includes('already assigned to node "n1"'),
  );
  assert.deepEqual(clients.actions.at(-1), { verb: 'create', resource: 'pods', namespace: 'default', name: 'a', subresource: 'binding' });
  clients.fail('update', 'pods/status', new UnavailableError('boom'), { times: 1 });
  await assert.rejects(pods.updateStatus('default', bound), UnavailableError);
  await pods.updateStatus('default', bound);
  clients.fail('get', '*', new UnavailableError('down'));
  await assert.rejects(pods.get('default', 'a'), UnavailableError);
});
