// @kubernetes/client-node 1.4 as a second, independent client: plain JSON REST, its own patch
// content types, its own watch framing (line-split) and informer (list, then watch from the list RV).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import * as k8s from '@kubernetes/client-node';
import { startServer, type RunningServer } from '../helpers/k8ts-server.js';

const namespace = 'default';

function deployment(name: string, replicas: number): k8s.V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] } },
    },
  };
}

async function until<T>(what: string, check: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(25);
  }
}

describe('@kubernetes/client-node against k8ts server', () => {
  let server: RunningServer;
  let config: k8s.KubeConfig;
  let core: k8s.CoreV1Api;
  let apps: k8s.AppsV1Api;

  before(async () => {
    server = await startServer({ store: 'memory' });
    config = new k8s.KubeConfig();
    config.loadFromFile(server.kubeconfig);
    core = config.makeApiClient(k8s.CoreV1Api);
    apps = config.makeApiClient(k8s.AppsV1Api);
  });

  after(async () => {
    await server.stop();
    await server.cleanup();
  });

  it('CRUD on ConfigMaps with optimistic concurrency', async () => {
    const created = await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'settings' }, data: { a: '1' } } });
    assert.equal(created.metadata?.name, 'settings');
    assert.ok(created.metadata?.uid);
    assert.ok(created.metadata?.creationTimestamp instanceof Date, 'creationTimestamp is RFC 3339');

    const read = await core.readNamespacedConfigMap({ name: 'settings', namespace });
    assert.deepEqual(read.data, { a: '1' });

    const replaced = await core.replaceNamespacedConfigMap({ name: 'settings', namespace, body: { ...read, data: { a: '2' } } });
    assert.equal(replaced.data?.a, '2');
    assert.notEqual(replaced.metadata?.resourceVersion, read.metadata?.resourceVersion);

    await assert.rejects(
      core.replaceNamespacedConfigMap({ name: 'settings', namespace, body: { ...read, data: { a: '3' } } }),
      (error: k8s.ApiException<unknown>) => error.code === 409,
      'a stale resourceVersion is a 409 Conflict',
    );

    const list = await core.listNamespacedConfigMap({ namespace });
    assert.ok(list.items.some((item) => item.metadata?.name === 'settings'));
    assert.ok(Number(list.metadata?.resourceVersion) >= Number(replaced.metadata?.resourceVersion));

    await core.deleteNamespacedConfigMap({ name: 'settings', namespace });
    await assert.rejects(core.readNamespacedConfigMap({ name: 'settings', namespace }), (error: k8s.ApiException<unknown>) => error.code === 404);
  });

  it('the four patch types', async () => {
    await apps.createNamespacedDeployment({ namespace, body: deployment('patched', 1) });

    const jsonPatched = await apps.patchNamespacedDeployment({
      name: 'patched',
      namespace,
      body: [{ op: 'replace', path: '/spec/replicas', value: 2 }],
    });
    assert.equal(jsonPatched.spec?.replicas, 2);

    const merged = await apps.patchNamespacedDeployment(
      { name: 'patched', namespace, body: { metadata: { labels: { merged: 'yes' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    assert.equal(merged.metadata?.labels?.merged, 'yes');
    assert.equal(merged.metadata?.labels?.app, 'patched');

    // Strategic merge: containers merge by name, so the sidecar is added beside "main".
    const strategic = await apps.patchNamespacedDeployment(
      { name: 'patched', namespace, body: { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox:1.36' }] } } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    assert.deepEqual(strategic.spec?.template.spec?.containers.map((c) => c.name).sort(), ['main', 'sidecar']);

    const applied = await apps.patchNamespacedDeployment(
      {
        name: 'patched',
        namespace,
        fieldManager: 'client-node-test',
        force: true,
        body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'patched' }, spec: { replicas: 4 } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.ServerSideApply),
    );
    assert.equal(applied.spec?.replicas, 4);
    assert.ok(applied.metadata?.managedFields?.some((entry) => entry.manager === 'client-node-test' && entry.operation === 'Apply'));

    const scaled = await apps.patchNamespacedDeploymentScale(
      { name: 'patched', namespace, body: { spec: { replicas: 6 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    assert.equal(scaled.spec?.replicas, 6);
    assert.equal(scaled.status?.selector, 'app=patched');
  });

  it('watch delivers ADDED, MODIFIED and DELETED in order', async () => {
    const seen: string[] = [];
    const watch = new k8s.Watch(config);
    const controller = await watch.watch(
      `/api/v1/namespaces/${namespace}/configmaps`,
      { allowWatchBookmarks: true, labelSelector: 'watched=yes' },
      (type, object: k8s.V1ConfigMap) => seen.push(`${type} ${object.metadata?.name} ${object.data?.v ?? ''}`.trim()),
      () => undefined,
    );
    try {
      await delay(200);
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'w1', labels: { watched: 'yes' } }, data: { v: '1' } } });
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'unwatched' }, data: { v: 'x' } } });
      await core.patchNamespacedConfigMap(
        { name: 'w1', namespace, body: { data: { v: '2' } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      await core.deleteNamespacedConfigMap({ name: 'w1', namespace });
      await until('the DELETED event', () => (seen.some((line) => line.startsWith('DELETED')) ? true : undefined));
      assert.deepEqual(seen.filter((line) => !line.startsWith('BOOKMARK')), ['ADDED w1 1', 'MODIFIED w1 2', 'DELETED w1 2']);
    } finally {
      controller.abort();
    }
  });

  it('an informer lists, then follows changes from the list resourceVersion', async () => {
    await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'before-informer', labels: { informed: 'yes' } } } });
    const informer = k8s.makeInformer(
      config,
      `/api/v1/namespaces/${namespace}/configmaps`,
      () => core.listNamespacedConfigMap({ namespace, labelSelector: 'informed=yes' }),
      'informed=yes',
    );
    const events: string[] = [];
    informer.on('add', (object) => events.push(`add ${object.metadata?.name}`));
    informer.on('update', (object) => events.push(`update ${object.metadata?.name}`));
    informer.on('delete', (object) => events.push(`delete ${object.metadata?.name}`));
    await informer.start();
    try {
      await until('the initial list', () => (informer.get('before-informer', namespace) ? true : undefined));
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'after-informer', labels: { informed: 'yes' } } } });
      await until('the new object in the cache', () => (informer.get('after-informer', namespace) ? true : undefined));
      await core.deleteNamespacedConfigMap({ name: 'before-informer', namespace });
      await until('the deletion', () => (informer.get('before-informer', namespace) ? undefined : true));
      assert.deepEqual(events, ['add before-informer', 'add after-informer', 'delete before-informer']);
    } finally {
      await informer.stop();
    }
  });

  it('KubernetesObjectApi uses legacy discovery to map kinds to resources', async () => {
    const objects = k8s.KubernetesObjectApi.makeApiClient(config);
    const created = await objects.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot', namespace } });
    assert.equal(created.metadata?.name, 'robot');
    const read = await objects.read({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot', namespace } });
    assert.equal(read.kind, 'ServiceAccount');
  });
});
