import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CONTROLLER_REVISIONS } from '../../client/resource-types.js';
import { targetNodeName } from './daemon-pod-template.js';
import { revisionHash } from './daemon-set-history.js';
import { DaemonSetHarness, daemonSet, KEY, node, NS } from './daemon-set-harness.fixture.js';
import { CONTROLLER_REVISION_HASH_LABEL, TEMPLATE_GENERATION_ANNOTATION, TEMPLATE_GENERATION_LABEL, type DaemonSetObject, type PodObject } from './daemon-set-types.js';

describe('DaemonSetReconciler', () => {
  let h: DaemonSetHarness;
  beforeEach(() => {
    h = new DaemonSetHarness();
  });

  /** How many desired nodes have no available daemon pod right now. */
  async function nodesWithoutAvailablePod(nodeNames: readonly string[]): Promise<number> {
    const pods = await h.livePods();
    return nodeNames.filter((name) => !pods.some((pod) =>
      targetNodeName(pod) === name && pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))).length;
  }

  describe('placement', () => {
    it('creates one pinned pod per eligible node and none on tainted or unselected nodes', async () => {
      await h.addNodes(
        node('a', { labels: { role: 'edge' } }),
        node('b', { labels: { role: 'edge' } }),
        node('tainted', { labels: { role: 'edge' }, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }),
        node('other', { labels: { role: 'core' } }),
        // Only default-tolerated taints: still eligible.
        node('pressured', { labels: { role: 'edge' }, taints: [{ key: 'node.kubernetes.io/disk-pressure', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }),
      );
      const ds = daemonSet();
      ds.metadata!.annotations = { [TEMPLATE_GENERATION_ANNOTATION]: '1' };
      ds.spec!.template.spec!.nodeSelector = { role: 'edge' };
      await h.create(ds);
      await h.reconcile();

      const pods = await h.livePods();
      assert.deepEqual(pods.map((pod) => targetNodeName(pod)).sort(), ['a', 'b', 'pressured']);
      const pod = pods.find((p) => targetNodeName(p) === 'a')!;
      assert.equal(pod.spec?.nodeName, undefined, 'the scheduler binds it');
      assert.deepEqual(pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution, {
        nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a'] }] }],
      });
      assert.equal(pod.metadata?.generateName, 'agent-');
      assert.equal(pod.metadata?.ownerReferences?.[0]?.kind, 'DaemonSet');
      assert.equal(pod.metadata?.ownerReferences?.[0]?.controller, true);
      const [revision] = await h.sortedRevisions();
      assert.deepEqual(pod.metadata?.labels, { app: 'agent', [CONTROLLER_REVISION_HASH_LABEL]: revisionHash(revision!), [TEMPLATE_GENERATION_LABEL]: '1' });
      const tolerationKeys = (pod.spec?.tolerations ?? []).map((t) => `${t.key ?? ''}:${t.effect ?? ''}`);
      assert.deepEqual(tolerationKeys, [
        'node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/unreachable:NoExecute',
        'node.kubernetes.io/disk-pressure:NoSchedule', 'node.kubernetes.io/memory-pressure:NoSchedule',
        'node.kubernetes.io/pid-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule',
      ]);
      assert.deepEqual(h.recorder.reasons(), ['SuccessfulCreate', 'SuccessfulCreate', 'SuccessfulCreate']);
      assert.equal((await h.ds()).status?.desiredNumberScheduled, 3);
    });

    it('follows nodes: a new node gets a pod, a node whose label goes loses it', async () => {
      await h.addNodes(node('a', { labels: { role: 'edge' } }));
      const ds = daemonSet();
      ds.spec!.template.spec!.nodeSelector = { role: 'edge' };
      await h.create(ds);
      await h.settle();
      await h.addNodes(node('b', { labels: { role: 'edge' } }));
      await h.settle();
      assert.deepEqual(await h.imagesByNode(), ['a=agent:1', 'b=agent:1']);

      const a = await h.nodeClient.get(undefined, 'a');
      await h.nodeClient.update(undefined, { ...a, metadata: { ...a.metadata, labels: { 'kubernetes.io/hostname': 'a' } } });
      await h.settle();
      assert.deepEqual(await h.imagesByNode(), ['b=agent:1']);
      const status = (await h.ds()).status;
      assert.equal(status?.desiredNumberScheduled, 1);
      assert.equal(status?.numberMisscheduled, 0);
    });

    it('a NoSchedule taint keeps a running pod, a NoExecute taint removes it', async () => {
      await h.addNodes(node('a'));
      await h.create(daemonSet());
      await h.settle();
      const taint = async (effect: 'NoSchedule' | 'NoExecute'): Promise<void> => {
        const a = await h.nodeClient.get(undefined, 'a');
        await h.nodeClient.update(undefined, { ...a, spec: { taints: [{ key: 'maintenance', effect }] } });
      };
      await taint('NoSchedule');
      await h.settle();
      assert.deepEqual(await h.imagesByNode(), ['a=agent:1']);
      assert.equal((await h.ds()).status?.numberMisscheduled, 1, 'kept, but no longer desired');
      await taint('NoExecute');
      await h.settle();
      assert.deepEqual(await h.imagesByNode(), []);
    });

    it('deletes an unbound pod whose node is gone', async () => {
      await h.addNodes(node('a'), node('b'));
      await h.create(daemonSet());
      await h.reconcile();
      await h.nodeClient.delete(undefined, 'b');
      await h.reconcile();
      assert.deepEqual(await h.imagesByNode(), ['a=agent:1']);
    });

    it('does not create twice while its creates are not yet in the cache', async () => {
      await h.addNodes(node('a'), node('b'));
      await h.create(daemonSet());
      await h.reconcile();
      // The cache still shows no pods; expectations hold the second pass back.
      await h.reconciler.reconcile(KEY);
      assert.equal(h.clients.writes('create', 'pods').length, 2);
    });
  });

  describe('revisions', () => {
    it('records the template as upstream does and renumbers an old template that comes back', async () => {
      await h.create(daemonSet());
      await h.reconcile();
      let [first] = await h.sortedRevisions();
      const ds = await h.ds();
      assert.equal(first!.revision, 1);
      assert.equal(first!.metadata?.name, `agent-${revisionHash(first!)}`);
      assert.deepEqual(first!.metadata?.labels, { app: 'agent', [CONTROLLER_REVISION_HASH_LABEL]: revisionHash(first!) });
      assert.equal(first!.metadata?.ownerReferences?.[0]?.uid, ds.metadata?.uid);
      assert.deepEqual(first!.data, { spec: { template: { ...ds.spec!.template, $patch: 'replace' } } });

      await h.setImage('agent:2');
      await h.reconcile();
      assert.deepEqual((await h.sortedRevisions()).map((r) => r.revision), [1, 2]);
      // `kubectl rollout undo`: the first template comes back.
      await h.setImage('agent:1');
      await h.reconcile();
      const revisions = await h.sortedRevisions();
      assert.deepEqual(revisions.map((r) => r.revision), [2, 3]);
      [, first] = revisions;
      assert.equal(first!.metadata?.name, `agent-${revisionHash(first!)}`, 'the same object, renumbered');
    });

    it('keeps revisionHistoryLimit old revisions, and any a pod still runs', async () => {
      await h.addNodes(node('a'));
      await h.create(daemonSet({ revisionHistoryLimit: 1, updateStrategy: { type: 'OnDelete' } }));
      await h.settle(); // the pod on a runs revision 1 and, OnDelete, keeps running it
      for (const image of ['agent:2', 'agent:3', 'agent:4']) {
        await h.setImage(image);
        await h.settle();
      }
      // Old revisions 1 (its pod still runs it), 2 and 3; the limit of 1 removes two, oldest
      // first, skipping the live 1: 2 and 3 go.
      assert.deepEqual((await h.sortedRevisions()).map((r) => r.revision), [1, 4]);
    });

    it('a hash collision bumps status.collisionCount and the next pass takes another name', async () => {
      await h.create(daemonSet());
      await h.reconcile();
      const [mine] = await h.sortedRevisions();
      // Make the name taken by different data, as a collision would.
      await h.revisionClient.delete(NS, mine!.metadata!.name!);
      h.clients.seed(CONTROLLER_REVISIONS, { metadata: { name: mine!.metadata!.name!, namespace: NS, labels: { other: 'x' } }, data: { something: 'else' }, revision: 1 });
      await assert.rejects(h.reconcile());
      assert.equal((await h.ds()).status?.collisionCount, 1);
      await h.reconcile();
      const names = (await h.sortedRevisions()).map((r) => r.metadata?.name);
      assert.equal(names.length, 2);
      assert.ok(names.includes(mine!.metadata!.name));
    });
  });

  describe('updates', () => {
    it('rolls out a template change one node at a time with maxUnavailable 1', async () => {
      const nodes = ['a', 'b', 'c'];
      await h.addNodes(...nodes.map((n) => node(n)));
      await h.create(daemonSet());
      await h.settle();
      await h.setImage('agent:2');
      const invariant = async (): Promise<void> => assert.ok(await nodesWithoutAvailablePod(nodes) <= 1, 'at most 1 node without an available daemon');
      await h.reconcile();
      assert.equal(h.clients.writes('delete', 'pods').length, 1, 'one old pod goes first');
      await h.settle(invariant);
      assert.deepEqual(await h.imagesByNode(), ['a=agent:2', 'b=agent:2', 'c=agent:2']);
      const status = (await h.ds()).status!;
      assert.equal(status.updatedNumberScheduled, 3);
      assert.equal(status.numberAvailable, 3);
      assert.equal(status.observedGeneration, (await h.ds()).metadata?.generation);
    });

    it('a percentage maxUnavailable is rounded up: 30% of 5 nodes lets 2 go at once', async () => {
      await h.addNodes(...['a', 'b', 'c', 'd', 'e'].map((n) => node(n)));
      await h.create(daemonSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '30%' } } }));
      await h.settle();
      await h.setImage('agent:2');
      h.clients.clearActions();
      await h.reconcile();
      assert.equal(h.clients.writes('delete', 'pods').length, 2);
    });

    it('with maxSurge starts the new pod before removing the old one', async () => {
      const nodes = ['a', 'b'];
      await h.addNodes(...nodes.map((n) => node(n)));
      await h.create(daemonSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } }));
      await h.settle();
      await h.setImage('agent:2');
      h.clients.clearActions();
      await h.reconcile();
      assert.equal(h.clients.writes('delete', 'pods').length, 0);
      assert.equal(h.clients.writes('create', 'pods').length, 1, 'one surge pod (maxSurge 1)');
      assert.deepEqual(await h.imagesByNode(), ['a=agent:1', 'a=agent:2', 'b=agent:1']);
      // Not available yet: the old pod stays.
      await h.bindPending();
      await h.reconcile();
      assert.equal(h.clients.writes('delete', 'pods').length, 0);
      await h.settle(async () => assert.equal(await nodesWithoutAvailablePod(nodes), 0, 'every node always has an available daemon'));
      assert.deepEqual(await h.imagesByNode(), ['a=agent:2', 'b=agent:2']);
    });

    it('OnDelete replaces a pod only when it is deleted', async () => {
      await h.addNodes(node('a'), node('b'));
      await h.create(daemonSet({ updateStrategy: { type: 'OnDelete' } }));
      await h.settle();
      await h.setImage('agent:2');
      await h.settle();
      assert.deepEqual(await h.imagesByNode(), ['a=agent:1', 'b=agent:1']);
      assert.equal((await h.ds()).status?.updatedNumberScheduled, 0);
      const onA = (await h.livePods()).find((pod) => targetNodeName(pod) === 'a')!;
      await h.podClient.delete(NS, onA.metadata!.name!);
      await h.settle();
      assert.deepEqual(await h.imagesByNode(), ['a=agent:2', 'b=agent:1']);
      assert.equal((await h.ds()).status?.updatedNumberScheduled, 1);
    });
  });

  describe('status and failures', () => {
    it('counts desired, current, ready, available, updated and misscheduled pods', async () => {
      await h.addNodes(node('a', { labels: { run: 'yes' } }), node('b', { labels: { run: 'yes' } }), node('c', { labels: { run: 'yes' } }), node('d'));
      const ds = daemonSet({ minReadySeconds: 10, updateStrategy: { type: 'OnDelete' } });
      ds.spec!.template.spec!.nodeSelector = { run: 'yes' };
      await h.create(ds);
      await h.reconcile();
      const pods = await h.livePods();
      const on = (name: string): PodObject => pods.find((pod) => targetNodeName(pod) === name)!;
      await h.bind(on('a'));
      await h.bind(on('b'));
      await h.setPhase(on('a'), 'Running', '2024-12-31T23:00:00Z'); // ready long ago: available
      await h.setPhase(on('b'), 'Running', h.clock.now().toISOString()); // ready, not yet available
      // c's pod stays pending. d, which does not fit, runs a pod of ours: misscheduled.
      const { metadata } = on('c');
      await h.podClient.create(NS, { metadata: { name: 'stray', labels: metadata!.labels!, ownerReferences: metadata!.ownerReferences! }, spec: { nodeName: 'd', containers: [] } });
      h.expectations.delete(KEY);
      const result = await h.reconcile();
      const status = (await h.ds()).status!;
      assert.deepEqual(
        { desired: status.desiredNumberScheduled, current: status.currentNumberScheduled, ready: status.numberReady, available: status.numberAvailable, unavailable: status.numberUnavailable, updated: status.updatedNumberScheduled, misscheduled: status.numberMisscheduled },
        { desired: 3, current: 3, ready: 2, available: 1, unavailable: 2, updated: 3, misscheduled: 1 },
      );
      assert.deepEqual(result, { requeueAfterMs: 10_000 }, 'looks again when b may have become available');
    });

    it('replaces a failed pod with a FailedDaemonPod event, backing off 1 s, then 2 s', async () => {
      await h.addNodes(node('a'));
      await h.create(daemonSet());
      await h.settle();
      const fail = async (): Promise<void> => h.setPhase((await h.livePods())[0]!, 'Failed');
      await fail();
      await h.reconcile();
      assert.equal(h.recorder.events.filter((e) => e.reason === 'FailedDaemonPod').length, 1);
      assert.match(h.recorder.events.find((e) => e.reason === 'FailedDaemonPod')!.message, /^Found failed daemon pod default\/agent-\w+ on node a, will try to kill it$/);
      await h.settle(); // recreated
      await fail();
      h.clients.clearActions();
      const held = await h.reconcile();
      assert.equal(h.clients.writes('delete', 'pods').length, 0, 'in backoff');
      assert.deepEqual(held, { requeueAfterMs: 1000 });
      h.clock.advance(1001);
      await h.reconcile();
      assert.equal(h.clients.writes('delete', 'pods').length, 1);
      await h.settle();
      await fail();
      h.clients.clearActions();
      assert.deepEqual(await h.reconcile(), { requeueAfterMs: 2000 }, 'doubled');
      assert.equal(h.clients.writes('delete', 'pods').length, 0);
    });

    it('a DaemonSet selecting everything gets a SelectingAll warning and no pods', async () => {
      await h.addNodes(node('a'));
      const ds: DaemonSetObject = daemonSet({ selector: {} });
      await h.create(ds);
      await h.reconcile();
      assert.deepEqual(h.recorder.reasons(), ['SelectingAll']);
      assert.equal((await h.livePods()).length, 0);
    });
  });
});
