import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ControllerRevision } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../api/object.js';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { CONTROLLER_REVISIONS } from '../../client/resource-types.js';
import { ConflictError } from '../../lib/errors.js';
import {
  ControllerHistory, REVISION_DATA_HASH_LABEL, controllerRevisionName, equalRevision, findEqualRevisions,
  hashControllerRevision, newControllerRevision, nextRevision, sortControllerRevisions, type ControllerRevisionObject,
} from './controller-history.js';
import { fnv32, goJson } from './controller-history-hash.js';

const STATEFUL_SET_TYPE = { apiVersion: 'apps/v1', kind: 'StatefulSet' };
const parent: KubeObject = { metadata: { name: 'web', namespace: 'ns', uid: 'uid-web' } };
const dataV1 = { spec: { template: { $patch: 'replace', metadata: { labels: { app: 'web' } } } } };
const dataV2 = { spec: { template: { $patch: 'replace', metadata: { labels: { app: 'web', v: '2' } } } } };

function revision(name: string, number: number, extra: Partial<ControllerRevision> = {}): ControllerRevision {
  return { metadata: { name, namespace: 'ns' }, revision: number, ...extra };
}

describe('hashing', () => {
  it('is FNV-1 (not 1a) over bytes', () => {
    assert.equal(fnv32('a'), 0x050c5d7e);
  });

  it('writes data as Go marshals a map: sorted keys, HTML characters escaped', () => {
    assert.equal(goJson({ b: 1, a: '<x>&', c: [true, null] }), '{"a":"\\u003cx\\u003e\\u0026","b":1,"c":[true,null]}');
  });

  it('matches the hash upstream computes for the same data, with and without a collision count', () => {
    // Expected values computed independently (FNV-1 over `{"spec":{"template":{"$patch":"replace",
    // "metadata":{"labels":{"app":"web"}}}}}`, then the decimal count, then SafeEncodeString).
    const rev = revision('x', 1, { data: dataV1 });
    assert.equal(hashControllerRevision(rev), '7956996c7');
    assert.equal(hashControllerRevision(rev, 0), '7c75489b6c');
    assert.equal(hashControllerRevision(rev, 2), '7c75489b69');
  });

  it('is stable: key order of the data does not matter, its content does', () => {
    const reordered = { spec: { template: { metadata: { labels: { app: 'web' } }, $patch: 'replace' } } };
    assert.equal(hashControllerRevision(revision('a', 1, { data: reordered })), hashControllerRevision(revision('b', 7, { data: dataV1 })));
    assert.notEqual(hashControllerRevision(revision('a', 1, { data: dataV2 })), hashControllerRevision(revision('b', 1, { data: dataV1 })));
  });
});

describe('newControllerRevision', () => {
  it('names, labels and owns the revision as upstream', () => {
    const rev = newControllerRevision(parent, STATEFUL_SET_TYPE, { app: 'web' }, dataV1, 3);
    const hash = hashControllerRevision(rev);
    assert.equal(rev.metadata?.name, `web-${hash}`);
    assert.equal(rev.metadata?.namespace, 'ns');
    assert.deepEqual(rev.metadata?.labels, { app: 'web', [REVISION_DATA_HASH_LABEL]: hash });
    assert.deepEqual(rev.metadata?.ownerReferences, [
      { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'uid-web', controller: true, blockOwnerDeletion: true },
    ]);
    assert.equal(rev.revision, 3);
    assert.deepEqual(rev.data, dataV1);
  });

  it('salts the name with the collision count', () => {
    const plain = newControllerRevision(parent, STATEFUL_SET_TYPE, {}, dataV1, 1);
    const salted = newControllerRevision(parent, STATEFUL_SET_TYPE, {}, dataV1, 1, 1);
    assert.notEqual(plain.metadata?.name, salted.metadata?.name);
  });

  it('cuts a long parent name so the revision name fits 253 characters', () => {
    const name = controllerRevisionName('p'.repeat(300), 'abcdefghij');
    assert.equal(name, `${'p'.repeat(223)}-abcdefghij`);
  });
});

describe('equality, sorting, numbering', () => {
  it('equal data is equal whatever the names and numbers', () => {
    const a = newControllerRevision(parent, STATEFUL_SET_TYPE, {}, dataV1, 1);
    const b = newControllerRevision(parent, STATEFUL_SET_TYPE, { other: 'label' }, structuredClone(dataV1), 5);
    const c = newControllerRevision(parent, STATEFUL_SET_TYPE, {}, dataV2, 2);
    assert.ok(equalRevision(a, b));
    assert.ok(!equalRevision(a, c));
    assert.deepEqual(findEqualRevisions([a, c, b], b), [a, b]);
  });

  it('different numeric hash labels decide inequality before the data is compared', () => {
    const a = revision('a', 1, { data: dataV1, metadata: { labels: { [REVISION_DATA_HASH_LABEL]: '123' } } });
    const b = revision('b', 1, { data: dataV1, metadata: { labels: { [REVISION_DATA_HASH_LABEL]: '124' } } });
    const lettered = revision('c', 1, { data: dataV1, metadata: { labels: { [REVISION_DATA_HASH_LABEL]: 'abc' } } });
    assert.ok(!equalRevision(a, b));
    assert.ok(equalRevision(a, lettered)); // not a decimal: not compared, as upstream
  });

  it('sorts by revision, then creation time, then name', () => {
    const sorted = sortControllerRevisions([
      revision('c', 2, { metadata: { name: 'c', creationTimestamp: '2025-01-01T00:00:02Z' } }),
      revision('b', 2, { metadata: { name: 'b', creationTimestamp: '2025-01-01T00:00:01Z' } }),
      revision('a', 2, { metadata: { name: 'a', creationTimestamp: '2025-01-01T00:00:02Z' } }),
      revision('z', 1),
    ]);
    assert.deepEqual(sorted.map((r) => r.metadata?.name), ['z', 'b', 'a', 'c']);
  });

  it('the next revision is one past the highest, or 1', () => {
    assert.equal(nextRevision([]), 1);
    assert.equal(nextRevision([revision('a', 4), revision('b', 2)]), 5);
  });
});

describe('ControllerHistory', () => {
  function setup(): { clients: FakeClientSet; history: ControllerHistory } {
    const clients = new FakeClientSet();
    return { clients, history: new ControllerHistory(clients.resource<ControllerRevisionObject>(CONTROLLER_REVISIONS)) };
  }

  it('creates a revision under the name its data and collision count hash to', async () => {
    const { history } = setup();
    const count = { value: 0 };
    const created = await history.createControllerRevision(parent, newControllerRevision(parent, STATEFUL_SET_TYPE, {}, dataV1, 1), count);
    assert.equal(created.metadata?.name, `web-${hashControllerRevision(created, 0)}`);
    assert.equal(count.value, 0);
  });

  it('returns an existing revision with the same data instead of failing', async () => {
    const { clients, history } = setup();
    const count = { value: 0 };
    const first = await history.createControllerRevision(parent, newControllerRevision(parent, STATEFUL_SET_TYPE, {}, dataV1, 1), count);
    const again = await history.createControllerRevision(parent, newControllerRevision(parent, STATEFUL_SET_TYPE, {}, dataV1, 2), count);
    assert.equal(again.metadata?.uid, first.metadata?.uid);
    assert.equal(count.value, 0);
    assert.equal(clients.writes('create').length, 2); // the second create was tried and answered AlreadyExists
  });

  it('on a hash collision bumps the collision count and takes the next name', async () => {
    const { clients, history } = setup();
    const wanted = newControllerRevision(parent, STATEFUL_SET_TYPE, {}, dataV1, 2);
    // Someone else's data already sits at the name collisionCount 0 gives.
    clients.seed(CONTROLLER_REVISIONS, { ...revision(`web-${hashControllerRevision(wanted, 0)}`, 1), data: dataV2 });
    const count = { value: 0 };
    const created = await history.createControllerRevision(parent, wanted, count);
    assert.equal(count.value, 1);
    assert.equal(created.metadata?.name, `web-${hashControllerRevision(wanted, 1)}`);
    assert.deepEqual(created.data, dataV1);
  });

  it('renumbers a revision, re-reading it after a conflict', async () => {
    const { clients, history } = setup();
    const [stored] = clients.seed(CONTROLLER_REVISIONS, { ...revision('web-1', 1), data: dataV1 });
    // Make the copy we hold stale.
    await clients.resource<ControllerRevisionObject>(CONTROLLER_REVISIONS).patch('ns', 'web-1', 'merge', { metadata: { labels: { x: 'y' } } });
    const updated = await history.updateControllerRevision(stored!, 4);
    assert.equal(updated.revision, 4);
    assert.equal(updated.metadata?.labels?.x, 'y');
  });

  it('adopts an orphan and releases it again', async () => {
    const { clients, history } = setup();
    const [orphan] = clients.seed(CONTROLLER_REVISIONS, { ...revision('web-1', 1), data: dataV1 });
    const adopted = await history.adoptControllerRevision(parent, STATEFUL_SET_TYPE, orphan!);
    assert.equal(adopted.metadata?.ownerReferences?.[0]?.uid, 'uid-web');
    assert.equal(adopted.metadata?.ownerReferences?.[0]?.controller, true);
    await assert.rejects(history.adoptControllerRevision(parent, STATEFUL_SET_TYPE, adopted), ConflictError);
    const released = await history.releaseControllerRevision(parent, adopted);
    assert.equal(released?.metadata?.ownerReferences, undefined);
  });

  it('adoption with a stale resourceVersion conflicts instead of overwriting', async () => {
    const { clients, history } = setup();
    const [orphan] = clients.seed(CONTROLLER_REVISIONS, { ...revision('web-1', 1), data: dataV1 });
    await clients.resource<ControllerRevisionObject>(CONTROLLER_REVISIONS).patch('ns', 'web-1', 'merge', { metadata: { labels: { x: 'y' } } });
    await assert.rejects(history.adoptControllerRevision(parent, STATEFUL_SET_TYPE, orphan!), ConflictError);
  });

  it('releasing a deleted revision is not an error; deleting removes it', async () => {
    const { clients, history } = setup();
    const [stored] = clients.seed(CONTROLLER_REVISIONS, { ...revision('web-1', 1), data: dataV1, metadata: { name: 'web-1', namespace: 'ns', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'uid-web', controller: true }] } });
    await history.deleteControllerRevision(stored!);
    assert.equal((await clients.resource(CONTROLLER_REVISIONS).list('ns')).items.length, 0);
    assert.equal(await history.releaseControllerRevision(parent, stored!), undefined);
  });
});
