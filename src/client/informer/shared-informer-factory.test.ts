import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { FakeClientSet } from '../fake/fake-client-set.js';
import { NODES, PODS } from '../resource-types.js';
import { FakeTimers } from '../timers.js';
import { SharedInformerFactory } from './shared-informer-factory.js';

type PodObject = Pod & KubeObject;

function pod(name: string, namespace = 'default', nodeName?: string): PodObject {
  return { metadata: { name, namespace, labels: { app: name.startsWith('web') ? 'web' : 'other' } }, spec: { containers: [], ...(nodeName ? { nodeName } : {}) } };
}

/** Lets queued promise callbacks and I/O callbacks run; no wall-clock waiting. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(condition(), 'condition not reached');
}

function recorder(): { log: string[]; handlers: { add(o: KubeObject): void; update(a: KubeObject, b: KubeObject): void; delete(o: KubeObject): void } } {
  const log: string[] = [];
  const name = (o: KubeObject): string => o.metadata?.name ?? '';
  return {
    log,
    handlers: {
      add: (o) => log.push(`add ${name(o)}`),
      update: (a, b) => log.push(`update ${name(a)} ${a.metadata?.resourceVersion ?? ''}->${b.metadata?.resourceVersion ?? ''}`),
      delete: (o) => log.push(`delete ${name(o)}`),
    },
  };
}

test('lists, then follows the watch; lister and indexes see the cache', async () => {
  const clients = new FakeClientSet();
  clients.seed(PODS, pod('web-1', 'default', 'n1'), pod('db-1', 'other', 'n2'));
  const factory = new SharedInformerFactory({ clients, timers: new FakeTimers() });
  const informer = factory.informerFor<PodObject>(PODS);
  assert.equal(factory.informerFor(PODS), informer, 'one informer per resource and options');
  informer.addIndexers({ node: (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []) });
  const { log, handlers } = recorder();
  informer.addHandlers(handlers);
  const controller = new AbortController();
  assert.equal(informer.hasSynced(), false);
  factory.start(controller.signal);
  await factory.waitForSync(controller.signal);
  assert.equal(informer.hasSynced(), true);
  assert.deepEqual(log.sort(), ['add db-1', 'add web-1']);

  const pods = clients.resource<PodObject>(PODS);
  await pods.create('default', pod('web-2', 'default', 'n1'));
  await pods.patch('other', 'db-1', 'merge', { spec: { nodeName: 'n3' } });
  await pods.delete('default', 'web-1');
  await until(() => log.length === 5);
  assert.deepEqual(log.slice(2), ['add web-2', 'update db-1 2->4', 'delete web-1']);

  assert.equal(informer.lister.get('default', 'web-2')?.metadata?.name, 'web-2');
  assert.equal(informer.lister.get('default', 'web-1'), undefined);
  assert.deepEqual(informer.lister.list({ namespace: 'other' }).map((p) => p.metadata?.name), ['db-1']);
  assert.deepEqual(informer.lister.list({ labelSelector: 'app=web' }).map((p) => p.metadata?.name), ['web-2']);
  assert.deepEqual(informer.lister.byIndex('node', 'n1').map((p) => p.metadata?.name), ['web-2']);
  assert.deepEqual(informer.lister.byIndex('node', 'n3').map((p) => p.metadata?.name), ['db-1']);
  assert.deepEqual(informer.lister.byIndex('namespace', 'default').map((p) => p.metadata?.name), ['web-2']);
  const cached = informer.lister.get('default', 'web-2');
  assert.throws(() => {
    if (cached?.metadata) (cached.metadata as { name?: string }).name = 'mutated';
  }, TypeError);

  const late = recorder();
  informer.addHandlers(late.handlers);
  assert.deepEqual(late.log.sort(), ['add db-1', 'add web-2']);
  controller.abort();
});

test('resumes after the watch ends and relists after a 410, delivering the difference', async () => {
  const clients = new FakeClientSet();
  clients.seed(NODES, { metadata: { name: 'keep' } }, { metadata: { name: 'change' } }, { metadata: { name: 'gone' } });
  let lists = 0;
  clients.addReactor((action) => {
    if (action.verb === 'list') lists += 1;
    return undefined;
  });
  const factory = new SharedInformerFactory({ clients, timers: new FakeTimers() });
  const informer = factory.sharedInformerFor(NODES);
  const { log, handlers } = recorder();
  informer.addHandlers(handlers);
  const controller = new AbortController();
  factory.start(controller.signal);
  await factory.waitForSync(controller.signal);
  log.length = 0;

  // A watch that ends normally resumes from the last resourceVersion: nothing is lost.
  clients.endWatches();
  const nodes = clients.resource(NODES);
  await nodes.create(undefined, { metadata: { name: 'during-resume' } });
  await until(() => log.length === 1);
  assert.deepEqual(log, ['add during-resume']);
  assert.equal(lists, 1, 'resumed without relisting');

  // Hold the next watch, change things, compact history, then let the watch fail with 410.
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let held = 0;
  const remove = clients.addReactor(async (action) => {
    if (action.verb === 'watch' && held++ === 0) await gate;
    return undefined;
  });
  clients.endWatches();
  await until(() => held === 1);
  await nodes.delete(undefined, 'gone');
  await nodes.patch(undefined, 'change', 'merge', { metadata: { labels: { x: 'y' } } });
  await nodes.create(undefined, { metadata: { name: 'new' } });
  log.length = 0;
  clients.compact();
  release();
  await until(() => log.length === 3);
  remove();
  assert.equal(lists, 2, 'relisted after the 410');
  assert.deepEqual(log.map((line) => line.split(' ').slice(0, 2).join(' ')).sort(), ['add new', 'delete gone', 'update change']);
  assert.deepEqual(informer.lister.list().map((n) => n.metadata?.name).sort(), ['change', 'during-resume', 'keep', 'new']);
  assert.equal(informer.lastSyncResourceVersion, clients.resourceVersion);
  controller.abort();
});

test('resyncs on the period with old === new; list errors are retried with backoff', async () => {
  const timers = new FakeTimers();
  const clients = new FakeClientSet();
  clients.seed(NODES, { metadata: { name: 'n1' } });
  const failing = clients.fail('list', 'nodes', new Error('boom'), { times: 1 });
  const factory = new SharedInformerFactory({ clients, timers });
  const informer = factory.informerFor(NODES, { resyncMs: 30_000 });
  const { log, handlers } = recorder();
  informer.addHandlers(handlers);
  const controller = new AbortController();
  factory.start(controller.signal);
  await until(() => timers.size === 2); // the resync timer and the retry backoff
  assert.equal(informer.hasSynced(), false);
  timers.advance(200);
  await factory.waitForSync(controller.signal);
  assert.deepEqual(log, ['add n1']);
  failing();
  timers.advance(30_000);
  assert.deepEqual(log, ['add n1', 'update n1 1->1']);
  controller.abort();
  await assert.rejects(factory.waitForSync(controller.signal));
});
