import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CONTROLLER_REVISIONS, DAEMON_SETS, NODES, PODS } from '../../client/resource-types.js';
import { ControllerHarness } from '../framework/controller-harness.fixture.js';
import { targetNodeName } from './daemon-pod-template.js';
import { daemonSetController } from './daemon-set-controller.js';
import { daemonSet, node, NS } from './daemon-set-harness.fixture.js';
import type { DaemonSetObject, PodObject } from './daemon-set-types.js';

describe('daemonSetController wiring', () => {
  let harness: ControllerHarness | undefined;
  afterEach(() => harness?.stop());

  async function podNodes(h: ControllerHarness): Promise<string[]> {
    return (await h.clients.resource<PodObject>(PODS).list(NS)).items.map((pod) => targetNodeName(pod) ?? '?').sort();
  }

  it('creates a pod per node, follows a new node and a labelled node, replaces a deleted pod', async () => {
    harness = new ControllerHarness(daemonSetController);
    const h = harness;
    const nodes = h.clients.resource(NODES);
    await nodes.create(undefined, node('a', { labels: { run: 'yes' } }));
    await nodes.create(undefined, node('b'));
    await h.start();
    const ds = daemonSet();
    ds.spec!.template.spec!.nodeSelector = { run: 'yes' };
    await h.clients.resource<DaemonSetObject>(DAEMON_SETS).create(NS, ds);
    await h.drain();
    assert.deepEqual(await podNodes(h), ['a']);
    assert.equal((await h.clients.resource(CONTROLLER_REVISIONS).list(NS)).items.length, 1);
    assert.equal((await h.clients.resource<DaemonSetObject>(DAEMON_SETS).get(NS, 'agent')).status?.desiredNumberScheduled, 1);

    await nodes.create(undefined, node('c', { labels: { run: 'yes' } }));
    await h.drain();
    assert.deepEqual(await podNodes(h), ['a', 'c']);

    const b = await nodes.get(undefined, 'b');
    await nodes.update(undefined, { ...b, metadata: { ...b.metadata, labels: { run: 'yes' } } });
    await h.drain();
    assert.deepEqual(await podNodes(h), ['a', 'b', 'c']);

    // Deleting a pod: the delete event fulfils nothing we expected, the key syncs, a new pod comes.
    const pods = h.clients.resource<PodObject>(PODS);
    const [first] = (await pods.list(NS)).items;
    await pods.delete(NS, first!.metadata!.name!);
    await h.drain();
    assert.deepEqual(await podNodes(h), ['a', 'b', 'c']);
    assert.equal(h.clients.writes('create', 'pods').length, 4);
  });
});
