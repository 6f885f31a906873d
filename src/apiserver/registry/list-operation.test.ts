import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequestError } from '../../lib/errors.js';
import { statusFromError } from '../status.js';
import { ExpiredError } from './api-errors.js';
import { deployment, deploymentStrategy, harness, namespaceStrategy, pod, podStrategy, WRITE } from './registry-fixtures.test.js';

describe('list', () => {
  it('lists a namespace or all namespaces with the read revision as resourceVersion', async () => {
    const { registry, store } = harness(podStrategy);
    await registry.create('default', pod('a'), WRITE);
    await registry.create('other', pod('b', { namespace: 'other' }), WRITE);
    const inDefault = await registry.list('default', {});
    assert.equal(inDefault.kind, 'PodList');
    assert.equal(inDefault.apiVersion, 'v1');
    assert.deepEqual(inDefault.items.map((p) => p.metadata?.name), ['a']);
    assert.equal(inDefault.items[0]?.kind, 'Pod');
    assert.equal(inDefault.metadata.resourceVersion, String(await store.currentRevision()));
    assert.deepEqual((await registry.list(undefined, {})).items.map((p) => p.metadata?.name), ['a', 'b']);
  });

  it('honours label and field selectors and rejects unsupported field paths', async () => {
    const { registry } = harness(podStrategy);
    await registry.create('default', pod('a', { labels: { app: 'web' }, nodeName: 'n1' }), WRITE);
    await registry.create('default', pod('b', { labels: { app: 'db' } }), WRITE);
    const names = async (query: { labelSelector?: string; fieldSelector?: string }): Promise<(string | undefined)[]> =>
      (await registry.list('default', query)).items.map((p) => p.metadata?.name);
    assert.deepEqual(await names({ labelSelector: 'app=web' }), ['a']);
    assert.deepEqual(await names({ labelSelector: 'app!=web' }), ['b']);
    assert.deepEqual(await names({ fieldSelector: 'metadata.name=b' }), ['b']);
    assert.deepEqual(await names({ fieldSelector: 'spec.nodeName=n1' }), ['a']);
    assert.deepEqual(await names({ fieldSelector: 'spec.nodeName=' }), ['b']);
    await assert.rejects(registry.list('default', { fieldSelector: 'spec.foo=x' }),
      (e: unknown) => e instanceof BadRequestError && e.message === 'field label not supported: spec.foo');
  });

  it('pages with limit/continue over one snapshot even when writes happen between pages', async () => {
    const { registry } = harness(podStrategy);
    for (const name of ['a', 'b', 'c', 'd', 'e']) await registry.create('default', pod(name), WRITE);
    const first = await registry.list('default', { limit: 2 });
    assert.deepEqual(first.items.map((p) => p.metadata?.name), ['a', 'b']);
    assert.ok(first.metadata.continue);
    await registry.delete('default', 'c', { dryRun: false });
    await registry.create('default', pod('bb'), WRITE);
    const second = await registry.list('default', { limit: 2, continue: first.metadata.continue });
    assert.deepEqual(second.items.map((p) => p.metadata?.name), ['c', 'd']);
    assert.equal(second.metadata.resourceVersion, first.metadata.resourceVersion);
    const third = await registry.list('default', { limit: 2, continue: second.metadata.continue ?? '' });
    assert.deepEqual(third.items.map((p) => p.metadata?.name), ['e']);
    assert.equal(third.metadata.continue, undefined);
    // remainingItemCount counts the first page's snapshot: 3 after a,b; 1 after c,d; absent at the end.
    assert.equal(first.metadata.remainingItemCount, 3);
    assert.equal(second.metadata.remainingItemCount, 1);
    assert.equal(third.metadata.remainingItemCount, undefined);
  });

  it('sets remainingItemCount only for unfiltered pages, as upstream', async () => {
    const { registry } = harness(podStrategy);
    for (const [name, app] of [['a', 'x'], ['b', 'y'], ['c', 'x'], ['d', 'y']] as const) {
      await registry.create('default', pod(name, { labels: { app } }), WRITE);
    }
    await registry.create('other', pod('z', { namespace: 'other' }), WRITE);
    const plain = await registry.list('default', { limit: 1 });
    assert.equal(plain.metadata.remainingItemCount, 3, 'only the namespace listed is counted');
    assert.equal((await registry.list(undefined, { limit: 4 })).metadata.remainingItemCount, 1);
    const selected = await registry.list('default', { limit: 1, labelSelector: 'app=x' });
    assert.ok(selected.metadata.continue);
    assert.equal(selected.metadata.remainingItemCount, undefined);
    assert.equal((await registry.list('default', {})).metadata.remainingItemCount, undefined);
  });

  it('limit counts matching items only', async () => {
    const { registry } = harness(podStrategy);
    for (const [name, app] of [['a', 'x'], ['b', 'y'], ['c', 'x'], ['d', 'y'], ['e', 'x']] as const) {
      await registry.create('default', pod(name, { labels: { app } }), WRITE);
    }
    const first = await registry.list('default', { limit: 2, labelSelector: 'app=x' });
    assert.deepEqual(first.items.map((p) => p.metadata?.name), ['a', 'c']);
    const rest = await registry.list('default', { limit: 2, labelSelector: 'app=x', continue: first.metadata.continue ?? '' });
    assert.deepEqual(rest.items.map((p) => p.metadata?.name), ['e']);
  });

  it('a continue token past compaction is 410 Expired with a token to continue inconsistently', async () => {
    const { registry, store } = harness(podStrategy);
    for (const name of ['a', 'b', 'c']) await registry.create('default', pod(name), WRITE);
    const first = await registry.list('default', { limit: 1 });
    await registry.create('default', pod('d'), WRITE);
    await store.compact(await store.currentRevision());
    const error = await registry.list('default', { limit: 1, continue: first.metadata.continue ?? '' }).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof ExpiredError);
    const { code, status } = statusFromError(error);
    assert.equal(code, 410);
    assert.equal(status['reason'], 'Expired');
    assert.match(String(status['message']), /^The provided continue parameter is too old/);
    const retry = (status.metadata as { continue?: string }).continue ?? '';
    const rest = await registry.list('default', { continue: retry });
    assert.deepEqual(rest.items.map((p) => p.metadata?.name), ['b', 'c', 'd']);
  });

  it('resourceVersion with Exact reads the old snapshot; NotOlderThan reads the latest', async () => {
    const { registry } = harness(deploymentStrategy);
    await registry.create('default', deployment('web', { replicas: 1 }), WRITE);
    const created = await registry.list('default', {});
    await registry.patch('default', 'web', 'merge', { spec: { replicas: 5 } }, WRITE);
    const rv = created.metadata.resourceVersion;
    const exact = await registry.list('default', { resourceVersion: rv, resourceVersionMatch: 'Exact' });
    assert.equal((exact.items[0]?.['spec'] as { replicas: number }).replicas, 1);
    assert.equal(exact.metadata.resourceVersion, rv);
    const latest = await registry.list('default', { resourceVersion: rv, resourceVersionMatch: 'NotOlderThan' });
    assert.equal((latest.items[0]?.['spec'] as { replicas: number }).replicas, 5);
    await assert.rejects(registry.list('default', { resourceVersion: 'abc' }), BadRequestError);
    await assert.rejects(registry.list('default', { resourceVersionMatch: 'Exact' }), BadRequestError);
  });

  it('lists cluster-scoped kinds', async () => {
    const { registry } = harness(namespaceStrategy);
    await registry.create(undefined, { metadata: { name: 'b' } }, WRITE);
    await registry.create(undefined, { metadata: { name: 'a', namespace: 'ignored' } }, WRITE);
    const list = await registry.list(undefined, {});
    assert.deepEqual(list.items.map((n) => n.metadata?.name), ['a', 'b']);
    assert.equal(list.items[0]?.metadata?.namespace, undefined);
  });
});
