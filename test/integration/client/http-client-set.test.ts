import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConfigMap, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../src/api/object.js';
import { ApiStatusError, isInvalidError } from '../../../src/client/api-status-error.js';
import { HttpClientSet } from '../../../src/client/http/http-client-set.js';
import { loadKubeconfig } from '../../../src/client/http/load-kubeconfig.js';
import { SharedInformerFactory } from '../../../src/client/informer/shared-informer-factory.js';
import type { ClientWatchEvent } from '../../../src/client/resource-client.js';
import { CONFIGMAPS, PODS, SECRETS } from '../../../src/client/resource-types.js';
import { AlreadyExistsError, CompactedError, ConflictError, NotFoundError, UnavailableError } from '../../../src/lib/errors.js';
import { startApiHarness, type ApiHarness } from './api-harness.js';

type PodObject = Pod & KubeObject;
type ConfigMapObject = ConfigMap & KubeObject;

function pod(name: string, labels: Record<string, string> = { app: 'web' }): PodObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
}

describe('HttpClientSet against a real API server', () => {
  let h: ApiHarness;
  let clients: HttpClientSet;
  before(async () => {
    h = await startApiHarness();
    clients = new HttpClientSet(loadKubeconfig(h.kubeconfig));
  });
  after(async () => {
    clients.close();
    await h.stop();
  });

  it('loads the kubeconfig and does CRUD with typed errors', async () => {
    const pods = clients.resource<PodObject>(PODS);
    const created = await pods.create('default', pod('a'));
    assert.equal(created.metadata?.namespace, 'default');
    assert.equal(created.metadata?.managedFields?.[0]?.manager, 'k8ts');
    await assert.rejects(pods.create('default', pod('a')), AlreadyExistsError);
    await assert.rejects(pods.get('default', 'nope'), (e: unknown) => e instanceof NotFoundError && e.message === 'pods "nope" not found');
    const got = await pods.get('default', 'a');
    assert.equal(got.metadata?.uid, created.metadata?.uid);

    const updated = await pods.update('default', { ...got, metadata: { ...got.metadata, labels: { app: 'web', v: '2' } } });
    await assert.rejects(pods.update('default', got), ConflictError);
    const status = await pods.updateStatus('default', { ...updated, status: { phase: 'Running' } });
    assert.equal(status.status?.phase, 'Running');

    const merged = await pods.patch('default', 'a', 'merge', { metadata: { annotations: { x: 'y' } } });
    assert.equal(merged.metadata?.annotations?.['x'], 'y');
    const strategic = await pods.patch('default', 'a', 'strategic', { metadata: { labels: { s: '1' } } }, { fieldManager: 'other' });
    assert.equal(strategic.metadata?.labels?.['s'], '1');
    const json = await pods.patch('default', 'a', 'json', [{ op: 'add', path: '/metadata/labels/j', value: '1' }]);
    assert.equal(json.metadata?.labels?.['j'], '1');
    const applied = await pods.patch('default', 'a', 'apply', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', labels: { applied: 'yes' } } }, { fieldManager: 'applier', force: true });
    assert.equal(applied.metadata?.labels?.['applied'], 'yes');
    const statusPatch = await pods.patch('default', 'a', 'merge', { status: { phase: 'Succeeded' } }, { subresource: 'status' });
    assert.equal(statusPatch.status?.phase, 'Succeeded');

    await assert.rejects(pods.create('default', { metadata: { name: 'bad' }, spec: { containers: [] } }), (e: unknown) => isInvalidError(e) && e.code === 422);
    const deleted = await pods.delete('default', 'a', { gracePeriodSeconds: 0 });
    assert.equal(deleted.metadata?.name, 'a');
    await assert.rejects(pods.get('default', 'a'), NotFoundError);
  });

  it('records writes under the client set\'s field manager (the agent\'s is kubelet)', async () => {
    const kubelet = new HttpClientSet({ ...loadKubeconfig(h.kubeconfig), fieldManager: 'kubelet' });
    const created = await kubelet.resource(CONFIGMAPS).create('default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fm' }, data: { a: '1' } });
    assert.deepEqual(created.metadata?.managedFields?.map((f) => f.manager), ['kubelet']);
    await kubelet.resource(CONFIGMAPS).delete('default', 'fm');
    kubelet.close();
  });

  it('lists with selectors, across namespaces, and in pages', async () => {
    const maps = clients.resource<ConfigMapObject>(CONFIGMAPS);
    for (const [ns, name, tier] of [['default', 'm1', 'a'], ['default', 'm2', 'b'], ['kube-system', 'm3', 'a']] as const) {
      await maps.create(ns, { metadata: { name, labels: { tier } }, data: { k: 'v' } });
    }
    const names = (list: { items: ConfigMapObject[] }): string[] => list.items.map((m) => m.metadata?.name ?? '');
    assert.deepEqual(names(await maps.list('default')), ['m1', 'm2']);
    assert.deepEqual(names(await maps.list(undefined, { labelSelector: 'tier=a' })), ['m1', 'm3']);
    assert.deepEqual(names(await maps.list(undefined, { fieldSelector: 'metadata.name=m2' })), ['m2']);
    const page = await maps.list(undefined, { limit: 2 });
    assert.equal(page.items.length, 2);
    assert.ok(page.metadata.continue);
    const rest = await maps.list(undefined, { limit: 2, continue: page.metadata.continue });
    assert.deepEqual(names(rest), ['m3']);
  });

  it('watches from a resourceVersion, filtered, until aborted', async () => {
    const pods = clients.resource<PodObject>(PODS);
    const start = await pods.list('default');
    const controller = new AbortController();
    const seen: string[] = [];
    const done = (async () => {
      for await (const event of pods.watch('default', { resourceVersion: start.metadata.resourceVersion, labelSelector: 'app=w', signal: controller.signal })) {
        seen.push(`${event.type} ${event.object.metadata?.name ?? ''}`);
        if (seen.length === 3) controller.abort();
      }
    })();
    await pods.create('default', pod('w1', { app: 'w' }));
    await pods.create('default', pod('other', { app: 'x' }));
    await pods.patch('default', 'w1', 'merge', { metadata: { annotations: { a: 'b' } } });
    await pods.delete('default', 'w1', { gracePeriodSeconds: 0 });
    await done;
    assert.deepEqual(seen, ['ADDED w1', 'MODIFIED w1', 'DELETED w1']);
  });

  it('throws CompactedError for a watch from a compacted resourceVersion', async () => {
    // Secrets were never listed or watched here, so the server's watch cache starts at the first
    // watch below, after `first`: that watch has to go to the store, whose history is compacted.
    const maps = clients.resource<ConfigMapObject>(SECRETS);
    const first = await maps.create('default', { metadata: { name: 'old' } });
    await maps.patch('default', 'old', 'merge', { data: { i: 'MQ==' } });
    await h.store.compact(await h.store.currentRevision());
    const controller = new AbortController();
    // Fails the test (no CompactedError) rather than hanging it.
    setTimeout(() => controller.abort(), 10_000).unref();
    const events: ClientWatchEvent<ConfigMapObject>[] = [];
    await assert.rejects(async () => {
      for await (const event of maps.watch('default', { resourceVersion: String(Number(first.metadata?.resourceVersion) - 1), signal: controller.signal })) events.push(event);
    }, CompactedError);
    controller.abort();
  });

  it('binds a pod through POST pods/binding (201 Status Success; Conflict when already bound)', async () => {
    const pods = clients.resource<PodObject>(PODS);
    await pods.create('default', pod('bind-me'));
    const answer = await pods.createSubresource('default', 'bind-me', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bind-me' }, target: { kind: 'Node', name: 'n1' } });
    assert.equal(answer['status'], 'Success');
    const bound = await pods.get('default', 'bind-me');
    assert.equal(bound.spec?.nodeName, 'n1');
    assert.equal(bound.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status, 'True');
    await assert.rejects(
      pods.createSubresource('default', 'bind-me', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bind-me' }, target: { name: 'n2' } }),
      (e: unknown) => e instanceof ConflictError && e.message.endsWith('pod bind-me is already assigned to node "n1"'),
    );
  });

  it('feeds a SharedInformer (list, then watch) over HTTP', async () => {
    const factory = new SharedInformerFactory({ clients });
    const informer = factory.informerFor<ConfigMapObject>(CONFIGMAPS, { namespace: 'kube-system' });
    const added: string[] = [];
    informer.addHandlers({ add: (m) => added.push(m.metadata?.name ?? '') });
    const controller = new AbortController();
    factory.start(controller.signal);
    await factory.waitForSync(controller.signal);
    await clients.resource<ConfigMapObject>(CONFIGMAPS).create('kube-system', { metadata: { name: 'via-watch' } });
    for (let i = 0; i < 500 && !added.includes('via-watch'); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    assert.ok(added.includes('m3') && added.includes('via-watch'), added.join(','));
    assert.equal(informer.lister.get('kube-system', 'via-watch')?.metadata?.name, 'via-watch');
  });

  it('maps other Status answers to ApiStatusError and refused connections to UnavailableError', async () => {
    const unauthorized = new HttpClientSet({ ...loadKubeconfig(h.kubeconfig), token: 'wrong' });
    await assert.rejects(unauthorized.resource(PODS).list('default'), (e: unknown) => e instanceof ApiStatusError && e.code === 401 && e.reason === 'Unauthorized');
    unauthorized.close();
    const nowhere = new HttpClientSet({ server: 'https://127.0.0.1:1', insecureSkipTlsVerify: true });
    await assert.rejects(nowhere.resource(PODS).list('default'), UnavailableError);
    nowhere.close();
  });
});
