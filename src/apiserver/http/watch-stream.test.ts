import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MemoryStore } from '../../storage/memory/memory-store.js';
import type { WatchEvent } from '../registry/registry-types.js';
import { widgetStrategy } from './test-kinds.fixture.js';
import { call, json, startHarness, stopHarness, TABLE_ACCEPT, WIDGETS, type Harness } from './test-server.fixture.js';
import { WatchEventEncoder } from './watch-event-encoder.js';

/** Reads a watch response line by line. */
function lines(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    /** The next complete line, or undefined when the stream ended. */
    async next(): Promise<string | undefined> {
      for (;;) {
        const newline = buffer.indexOf('\n');
        if (newline >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          return line;
        }
        const { done, value } = await reader.read();
        if (done) return buffer === '' ? undefined : buffer;
        buffer += decoder.decode(value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

function create(h: Harness, name: string) {
  return call(h, WIDGETS, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name }, spec: { replicas: 1 } }),
  });
}

async function listRv(h: Harness): Promise<string> {
  return (await json(await call(h, WIDGETS))).metadata.resourceVersion as string;
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(condition(), 'condition never held');
}

describe('watch streaming', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ store: new MemoryStore() });
  });
  after(() => stopHarness(h));

  it('sends headers before any event, then one JSON event per line', async () => {
    const rv = await listRv(h);
    // fetch resolves once the status line and headers arrive: nothing has been written yet.
    const response = await call(h, `${WIDGETS}?watch=1&resourceVersion=${rv}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json');
    const stream = lines(response);
    await create(h, 'w1');
    const line = await stream.next();
    assert.ok(line);
    const event = JSON.parse(line) as WatchEvent;
    assert.equal(event.type, 'ADDED');
    assert.equal(event.object.metadata?.name, 'w1');
    await stream.cancel();
  });

  it('sends synthetic ADDED events without a resourceVersion', async () => {
    await create(h, 'existing');
    const stream = lines(await call(h, `${WIDGETS}?watch=true&fieldSelector=metadata.name%3Dexisting`));
    const event = JSON.parse((await stream.next())!) as WatchEvent;
    assert.deepEqual([event.type, event.object.metadata?.name], ['ADDED', 'existing']);
    await stream.cancel();
  });

  it('streams one-row Tables to Table watchers', async () => {
    const rv = await listRv(h);
    const stream = lines(await call(h, `${WIDGETS}?watch=true&resourceVersion=${rv}`, { headers: { Accept: TABLE_ACCEPT } }));
    await create(h, 'tw');
    const event = JSON.parse((await stream.next())!) as { type: string; object: Record<string, any> };
    assert.equal(event.type, 'ADDED');
    assert.equal(event.object.kind, 'Table');
    assert.equal(event.object.rows.length, 1);
    assert.equal(event.object.rows[0].cells[0], 'tw');
    assert.equal(event.object.rows[0].object.kind, 'PartialObjectMetadata');
    await stream.cancel();
  });

  it('ends the stream after timeoutSeconds', async () => {
    const rv = await listRv(h);
    const stream = lines(await call(h, `${WIDGETS}?watch=true&resourceVersion=${rv}&timeoutSeconds=1`));
    assert.equal(await stream.next(), undefined);
  });

  it('answers a bad selector with a plain 400, not a stream', async () => {
    const response = await call(h, `${WIDGETS}?watch=true&labelSelector=${encodeURIComponent('a in (')}`);
    assert.equal(response.status, 400);
    assert.equal((await json(response)).kind, 'Status');
  });

  it('releases the watch when the client disconnects', async () => {
    const rv = await listRv(h);
    const response = await call(h, `${WIDGETS}?watch=true&resourceVersion=${rv}`);
    await until(() => h.api.openWatches === 1);
    await response.body!.cancel();
    await until(() => h.api.openWatches === 0);
    assert.match(await (await call(h, '/metrics')).text(), /^apiserver_longrunning_requests\{verb="WATCH",resource="widgets",subresource=""\} 0$/m);
  });

  it('delivers one write to 100 watchers, serialized once', async () => {
    const rv = await listRv(h);
    const streams = await Promise.all(Array.from({ length: 100 }, async () => lines(await call(h, `${WIDGETS}?watch=true&resourceVersion=${rv}`))));
    await create(h, 'fanout');
    const received = await Promise.all(streams.map((stream) => stream.next()));
    assert.equal(new Set(received).size, 1);
    assert.equal((JSON.parse(received[0]!) as WatchEvent).object.metadata?.name, 'fanout');
    await Promise.all(streams.map((stream) => stream.cancel()));
  });
});

describe('closing the server', () => {
  it('ends open watches and resolves close()', async () => {
    const h = await startHarness({ store: new MemoryStore() });
    const rv = await listRv(h);
    const stream = lines(await call(h, `${WIDGETS}?watch=true&resourceVersion=${rv}`));
    await until(() => h.api.openWatches === 1);
    await stopHarness(h);
    assert.equal(await stream.next(), undefined);
    assert.equal(h.api.openWatches, 0);
  });
});

describe('WatchEventEncoder', () => {
  it('serializes an event once per representation and reuses the line', () => {
    const encoder = new WatchEventEncoder();
    const now = () => new Date('2025-01-01T00:00:10Z');
    const event: WatchEvent = {
      type: 'MODIFIED',
      object: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x', creationTimestamp: '2025-01-01T00:00:00Z' }, spec: { replicas: 3 } },
    };
    const lines = Array.from({ length: 100 }, () => encoder.encode(event, { as: 'object' }, widgetStrategy, now));
    assert.equal(encoder.encodedCount, 1);
    assert.ok(lines.every((line) => line === lines[0]));
    assert.equal(lines[0], `${JSON.stringify(event)}\n`);

    const table = encoder.encode(event, { as: 'table', version: 'v1', includeObject: 'Metadata' }, widgetStrategy, now);
    encoder.encode(event, { as: 'table', version: 'v1', includeObject: 'Metadata' }, widgetStrategy, now);
    assert.equal(encoder.encodedCount, 2);
    const parsed = JSON.parse(table) as { type: string; object: Record<string, any> };
    assert.equal(parsed.type, 'MODIFIED');
    assert.deepEqual(parsed.object.rows[0].cells, ['x', 3, '10s', '']);
  });

  it('turns bookmarks into row-less Tables that keep the resourceVersion', () => {
    const encoder = new WatchEventEncoder();
    const bookmark: WatchEvent = { type: 'BOOKMARK', object: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { resourceVersion: '42' } } };
    const parsed = JSON.parse(encoder.encode(bookmark, { as: 'table', version: 'v1', includeObject: 'Metadata' }, widgetStrategy, () => new Date()));
    assert.equal(parsed.object.kind, 'Table');
    assert.equal(parsed.object.metadata.resourceVersion, '42');
    assert.deepEqual(parsed.object.rows, []);
  });
});
