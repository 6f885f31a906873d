import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MemoryStore } from '../../storage/memory/memory-store.js';
import { call, json, startHarness, stopHarness, WIDGETS, type Harness } from './test-server.fixture.js';

const META = (as: string, v = 'v1') => ({ headers: { Accept: `application/json;as=${as};g=meta.k8s.io;v=${v}` } });
// What client-go's metadata client sends for a list and for a watch.
const METADATA_LIST_CLIENT = 'application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
const METADATA_WATCH_CLIENT = 'application/vnd.kubernetes.protobuf;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';

function widget(name: string) {
  return JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name, labels: { app: name }, annotations: { note: name } }, spec: { replicas: 2 } });
}

async function firstLine(response: Response): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  while (!buffer.includes('\n')) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  return buffer.slice(0, buffer.indexOf('\n'));
}

describe('PartialObjectMetadata responses', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ store: new MemoryStore() });
    for (const name of ['a', 'b', 'c']) {
      const created = await call(h, `${WIDGETS}?fieldManager=test`, { method: 'POST', body: widget(name), headers: { 'Content-Type': 'application/json' } });
      assert.equal(created.status, 201);
    }
  });
  after(() => stopHarness(h));

  it('answers a get with only the metadata (managedFields included, as upstream)', async () => {
    const full = await json(await call(h, `${WIDGETS}/a`));
    const response = await call(h, `${WIDGETS}/a`, META('PartialObjectMetadata'));
    assert.equal(response.status, 200);
    const partial = await json(response);
    assert.deepEqual(Object.keys(partial).sort(), ['apiVersion', 'kind', 'metadata']);
    assert.equal(partial.kind, 'PartialObjectMetadata');
    assert.equal(partial.apiVersion, 'meta.k8s.io/v1');
    assert.deepEqual(partial.metadata, full.metadata);
    assert.ok(Array.isArray(partial.metadata.managedFields));
    const beta = await json(await call(h, `${WIDGETS}/a`, META('PartialObjectMetadata', 'v1beta1')));
    assert.equal(beta.apiVersion, 'meta.k8s.io/v1beta1');
  });

  it('answers a list with a PartialObjectMetadataList keeping resourceVersion, continue and remainingItemCount', async () => {
    const response = await call(h, `${WIDGETS}?limit=2`, { headers: { Accept: METADATA_LIST_CLIENT } });
    assert.equal(response.status, 200);
    const list = await json(response);
    assert.equal(list.kind, 'PartialObjectMetadataList');
    assert.equal(list.apiVersion, 'meta.k8s.io/v1');
    assert.ok(list.metadata.resourceVersion);
    assert.ok(list.metadata.continue);
    assert.equal(list.metadata.remainingItemCount, 1);
    assert.deepEqual(list.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['a', 'b']);
    for (const item of list.items) {
      assert.equal(item.kind, 'PartialObjectMetadata');
      assert.equal(item.apiVersion, 'meta.k8s.io/v1');
      assert.equal(item.spec, undefined);
      assert.equal(item.metadata.annotations.note, item.metadata.name);
    }
  });

  it('answers 406 for the wrong form (object vs list) and for unsupported as= values', async () => {
    const onList = await call(h, WIDGETS, META('PartialObjectMetadata'));
    assert.equal(onList.status, 406);
    const status = await json(onList);
    assert.equal(status.reason, 'NotAcceptable');
    assert.equal(status.message, 'you requested PartialObjectMetadata, but the requested object is a list (*v1.WidgetList)');
    const onItem = await call(h, `${WIDGETS}/a`, META('PartialObjectMetadataList'));
    assert.equal(onItem.status, 406);
    assert.equal((await json(onItem)).message, 'you requested PartialObjectMetadataList, but the requested object is not a list (*v1.Widget)');
    for (const accept of ['application/json;as=Frobnitz;g=meta.k8s.io;v=v1', 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v9']) {
      const response = await call(h, `${WIDGETS}/a`, { headers: { Accept: accept } });
      assert.equal(response.status, 406, accept);
      assert.equal((await json(response)).code, 406);
    }
  });

  it('watches with PartialObjectMetadata events', async () => {
    const response = await call(h, `${WIDGETS}?watch=true&fieldSelector=metadata.name%3Db`, { headers: { Accept: METADATA_WATCH_CLIENT } });
    assert.equal(response.status, 200);
    const event = JSON.parse(await firstLine(response)) as { type: string; object: Record<string, unknown> };
    assert.equal(event.type, 'ADDED');
    assert.equal(event.object.kind, 'PartialObjectMetadata');
    assert.equal(event.object.apiVersion, 'meta.k8s.io/v1');
    assert.equal((event.object.metadata as { name: string }).name, 'b');
    assert.equal(event.object.spec, undefined);
  });
});
