import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { afterEach, describe, it } from 'node:test';
import { setImmediate as turn } from 'node:timers/promises';
import { MessageChannel } from 'node:worker_threads';
import type { KubeObject } from '../../api/object.js';
import { AlreadyExistsError, CompactedError, ConflictError, NotFoundError } from '../../lib/errors.js';
import { silentLogger } from '../../lib/logger.js';
import { ApiStatusError } from '../api-status-error.js';
import { FakeClientSet } from '../fake/fake-client-set.js';
import type { ClientWatchEvent } from '../resource-client.js';
import { PODS } from '../resource-types.js';
import { PortClientServer } from './port-client-server.js';
import { PortClientSet } from './port-client-set.js';

interface Setup {
  readonly fake: FakeClientSet;
  readonly client: PortClientSet;
  readonly server: PortClientServer;
}

const open: Setup[] = [];

function setup(options: { omitManagedFields?: boolean; jsonOf?: (object: KubeObject) => string | undefined } = {}): Setup {
  const fake = new FakeClientSet();
  const { port1, port2 } = new MessageChannel();
  const server = new PortClientServer({ port: port1, clients: fake, logger: silentLogger(), ...options });
  const client = new PortClientSet({ port: port2 });
  const made = { fake, client, server };
  open.push(made);
  return made;
}

/** The fake store's live watch subscriptions (private; read to prove none is left behind). */
function fakeWatchers(fake: FakeClientSet): number {
  return (fake as unknown as { store: { listeners: Set<unknown> } }).store.listeners.size;
}

function pod(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'app:1' }] } };
}

/** Waits (in event-loop turns, no timers) until `check` holds. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await turn();
  assert.ok(check(), 'condition not reached');
}

afterEach(() => {
  for (const { client, server } of open.splice(0)) {
    client.close();
    server.close();
  }
});

describe('PortClientSet over a MessageChannel', () => {
  it('creates, reads, lists, updates, patches and deletes through the served client set', async () => {
    const { fake, client } = setup();
    const pods = client.resource(PODS);
    const created = await pods.create('default', pod('a'));
    assert.equal(created.metadata?.name, 'a');
    assert.ok(created.metadata?.uid);
    assert.equal((await pods.get('default', 'a')).metadata?.uid, created.metadata?.uid);
    const list = await pods.list('default');
    assert.deepEqual(list.items.map((item) => item.metadata?.name), ['a']);
    assert.equal(list.metadata.resourceVersion, created.metadata?.resourceVersion);
    const updated = await pods.update('default', { ...created, metadata: { ...created.metadata, labels: { tier: 'web' } } });
    assert.deepEqual(updated.metadata?.labels, { tier: 'web' });
    const patched = await pods.patch('default', 'a', 'merge', { metadata: { labels: { tier: 'db' } } });
    assert.deepEqual(patched.metadata?.labels, { tier: 'db' });
    const withStatus = await pods.updateStatus('default', { ...patched, status: { phase: 'Running' } });
    assert.deepEqual(withStatus.status, { phase: 'Running' });
    await pods.createSubresource('default', 'a', 'binding', {
      apiVersion: 'v1', kind: 'Binding', metadata: { name: 'a', namespace: 'default' }, target: { kind: 'Node', name: 'node-1' },
    });
    assert.equal(((await pods.get('default', 'a')).spec as { nodeName?: string }).nodeName, 'node-1');
    await pods.delete('default', 'a');
    assert.deepEqual((await fake.resource(PODS).list('default')).items, []);
    assert.deepEqual(fake.actions.map((action) => action.verb), ['create', 'update', 'patch', 'update', 'create', 'delete']);
    assert.deepEqual(client.inFlight, { calls: 0, watches: 0 });
  });

  it('takes its copy of a written object when called, as the other clients do', async () => {
    const { client } = setup();
    const object = pod('copy');
    const created = client.resource(PODS).create('default', object);
    object.metadata = { name: 'changed-after-the-call', namespace: 'default' };
    assert.equal((await created).metadata?.name, 'copy');
  });

  it('rebuilds typed errors: NotFound, AlreadyExists, Conflict and other Statuses', async () => {
    const { fake, client } = setup();
    const pods = client.resource(PODS);
    await assert.rejects(pods.get('default', 'missing'), NotFoundError);
    const created = await pods.create('default', pod('a'));
    await assert.rejects(pods.create('default', pod('a')), AlreadyExistsError);
    await pods.patch('default', 'a', 'merge', { metadata: { labels: { bumped: 'yes' } } });
    await assert.rejects(pods.update('default', created), (error: unknown) => {
      assert.ok(error instanceof ConflictError);
      assert.equal(typeof error.currentRevision, 'number');
      return true;
    });
    const invalid = new ApiStatusError({ code: 422, reason: 'Invalid', message: 'spec.containers: Required value' });
    fake.fail('create', 'pods', invalid, { times: 1 });
    await assert.rejects(pods.create('default', pod('b')), (error: unknown) => {
      assert.ok(error instanceof ApiStatusError);
      assert.equal(error.code, 422);
      assert.equal(error.reason, 'Invalid');
      assert.equal(error.message, 'spec.containers: Required value');
      return true;
    });
    fake.fail('get', 'pods', new Error('disk on fire'), { times: 1 });
    await assert.rejects(pods.get('default', 'a'), (error: unknown) => error instanceof ApiStatusError && error.code === 500 && error.message === 'disk on fire');
  });

  it('delivers watch events in order, interleaved with call answers as the server produced them', async () => {
    const { client } = setup();
    const pods = client.resource(PODS);
    const start = await pods.create('default', pod('first'));
    const controller = new AbortController();
    const seen: string[] = [];
    const watching = (async () => {
      for await (const event of pods.watch('default', { resourceVersion: start.metadata?.resourceVersion ?? '', signal: controller.signal })) {
        seen.push(`${event.type} ${event.object.metadata?.name ?? ''} ${(event.object.metadata?.labels ?? {})['n'] ?? ''}`.trim());
        if (seen.length === 5) controller.abort();
      }
    })();
    for (const name of ['a', 'b', 'c']) await pods.create('default', pod(name));
    await pods.patch('default', 'b', 'merge', { metadata: { labels: { n: '1' } } });
    await pods.delete('default', 'a');
    await watching;
    assert.deepEqual(seen, ['ADDED a', 'ADDED b', 'ADDED c', 'MODIFIED b 1', 'DELETED a']);
  });

  it('ends a watch on both sides when its signal aborts, leaving no listener or watch behind', async () => {
    const { fake, client, server } = setup();
    const pods = client.resource(PODS);
    const controller = new AbortController();
    const received: ClientWatchEvent<KubeObject>[] = [];
    const watching = (async () => {
      for await (const event of pods.watch('default', { signal: controller.signal })) received.push(event);
    })();
    await pods.create('default', pod('a'));
    await until(() => received.length === 1);
    assert.equal(server.watchCount, 1);
    assert.equal(fakeWatchers(fake), 1);
    assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
    controller.abort();
    await watching;
    await until(() => server.watchCount === 0 && fakeWatchers(fake) === 0);
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
    assert.deepEqual(client.inFlight, { calls: 0, watches: 0 });
  });

  it('cancels the served watch when the consumer stops iterating without aborting', async () => {
    const { fake, client, server } = setup();
    const pods = client.resource(PODS);
    await pods.create('default', pod('a'));
    await pods.create('default', pod('b'));
    const signal = new AbortController().signal;
    for await (const event of pods.watch('default', { signal })) {
      assert.equal(event.type, 'ADDED');
      break;
    }
    await until(() => server.watchCount === 0 && fakeWatchers(fake) === 0);
    assert.equal(getEventListeners(signal, 'abort').length, 0);
    assert.deepEqual(client.inFlight, { calls: 0, watches: 0 });
  });

  it('ends the watch when the served stream ends, and rebuilds a 410 as CompactedError', async () => {
    const { fake, client, server } = setup();
    const pods = client.resource(PODS);
    const first = await pods.create('default', pod('a'));
    await pods.create('default', pod('b'));
    fake.compact();
    const signal = new AbortController().signal;
    const direct = await collectError(fake.resource(PODS).watch('default', { resourceVersion: first.metadata?.resourceVersion ?? '', signal }));
    const viaPort = await collectError(pods.watch('default', { resourceVersion: first.metadata?.resourceVersion ?? '', signal }));
    assert.ok(direct instanceof CompactedError);
    assert.ok(viaPort instanceof CompactedError);
    assert.equal(viaPort.requestedRevision, direct.requestedRevision);
    assert.equal(viaPort.compactedRevision, direct.compactedRevision);

    const events: string[] = [];
    const watching = (async () => {
      for await (const event of pods.watch('default', { signal })) events.push(event.object.metadata?.name ?? '');
    })();
    await until(() => events.length === 2);
    fake.endWatches();
    await watching;
    assert.deepEqual(events, ['a', 'b']);
    await until(() => server.watchCount === 0);
    assert.deepEqual(client.inFlight, { calls: 0, watches: 0 });
  });

  it('leaves managedFields out of everything it sends when asked to, and only then', async () => {
    const managed = { ...pod('a'), metadata: { name: 'a', namespace: 'default', managedFields: [{ manager: 'kubectl', operation: 'Update' }] } };
    for (const omit of [true, false]) {
      const { fake, client } = setup({ omitManagedFields: omit });
      const pods = client.resource(PODS);
      const controller = new AbortController();
      const watched: KubeObject[] = [];
      const watching = (async () => {
        for await (const event of pods.watch('default', { signal: controller.signal })) {
          watched.push(event.object);
          controller.abort();
        }
      })();
      const created = await pods.create('default', structuredClone(managed));
      await watching;
      const listed = (await pods.list('default')).items;
      const got = await pods.get('default', 'a');
      const fields = [created, watched[0], listed[0], got].map((object) => object?.metadata?.managedFields);
      assert.deepEqual(fields, omit ? [undefined, undefined, undefined, undefined] : Array(4).fill(managed.metadata.managedFields));
      // The served objects themselves keep them.
      assert.deepEqual((await fake.resource(PODS).get('default', 'a')).metadata?.managedFields, managed.metadata.managedFields);
    }
  });

  it('posts watched objects as JSON text when jsonOf has it, parsed on the receiving side', async () => {
    const managed = { ...pod('a'), metadata: { name: 'a', namespace: 'default', managedFields: [{ manager: 'kubectl', operation: 'Update' }] } };
    for (const omit of [true, false]) {
      const texts: string[] = [];
      // A marker the served object does not have proves the text, not a clone, was delivered.
      const jsonOf = (object: KubeObject): string | undefined => {
        if (object.metadata?.name !== 'a') return undefined;
        const text = JSON.stringify({ ...object, marker: 'from-text' });
        texts.push(text);
        return text;
      };
      const { client } = setup({ omitManagedFields: omit, jsonOf });
      const pods = client.resource(PODS);
      const controller = new AbortController();
      const watched: KubeObject[] = [];
      const watching = (async () => {
        for await (const event of pods.watch('default', { signal: controller.signal })) {
          watched.push(event.object);
          if (watched.length === 2) controller.abort();
        }
      })();
      await pods.create('default', structuredClone(managed));
      await pods.create('default', pod('b'));
      await watching;
      assert.equal(texts.length, 1);
      assert.equal(watched[0]?.['marker'], 'from-text');
      assert.deepEqual(watched[0]?.metadata?.managedFields, omit ? undefined : managed.metadata.managedFields);
      assert.equal(watched[1]?.['marker'], undefined);
      assert.equal(watched[1]?.metadata?.name, 'b');
    }
  });

  it('fails calls and watches in flight with UnavailableError when closed', async () => {
    const { client } = setup();
    const pods = client.resource(PODS);
    const watchError = collectError(pods.watch('default', { signal: new AbortController().signal }));
    const pending = pods.get('default', 'never-answered');
    client.close();
    await assert.rejects(pending, { code: 'Unavailable' });
    assert.equal(((await watchError) as { code?: string }).code, 'Unavailable');
    await assert.rejects(pods.list('default'), { code: 'Unavailable' });
  });
});

async function collectError(events: AsyncIterable<unknown>): Promise<unknown> {
  try {
    for await (const event of events) void event;
  } catch (error) {
    return error;
  }
  return undefined;
}
