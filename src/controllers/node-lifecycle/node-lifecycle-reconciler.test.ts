import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { Toleration } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { EventRecorder, EventType } from '../../client/events/event-recorder.js';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import type { Lister } from '../../client/informer/informer.js';
import type { ClientDeleteOptions, ResourceClient, ResourceType } from '../../client/resource-client.js';
import { LEASES, NODES, PODS } from '../../client/resource-types.js';
import { FakeClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import { NodeLifecycleReconciler } from './node-lifecycle-reconciler.js';
import type { LeaseObject as Lease, NodeObject as Node, PodObject as Pod } from './node-lifecycle-types.js';

/** A lister over a snapshot of the fake store, refreshed before each pass (a cache that is in sync). */
class SnapshotLister<T extends KubeObject> implements Lister<T> {
  items: T[] = [];
  private readonly client: ResourceClient<T>;
  constructor(client: ResourceClient<T>) {
    this.client = client;
  }
  async refresh(): Promise<void> {
    this.items = (await this.client.list(undefined)).items;
  }
  get(namespace: string | undefined, name: string): T | undefined {
    return this.items.find((o) => o.metadata?.name === name && (namespace === undefined || o.metadata?.namespace === namespace));
  }
  list(): T[] {
    return this.items;
  }
  byIndex(): T[] {
    return this.items;
  }
}

class RecordingRecorder implements EventRecorder {
  readonly events: { object: KubeObject; type: EventType; reason: string; message: string }[] = [];
  event(object: KubeObject, type: EventType, reason: string, message: string): void {
    this.events.push({ object, type, reason, message });
  }
}

const DEFAULT_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

describe('NodeLifecycleReconciler', () => {
  let clock: FakeClock;
  let clients: FakeClientSet;
  let recorder: RecordingRecorder;
  let deletes: { name: string; options: ClientDeleteOptions | undefined }[];
  let reconciler: NodeLifecycleReconciler;
  let listers: { nodes: SnapshotLister<Node>; leases: SnapshotLister<Lease>; pods: SnapshotLister<Pod> };

  const iso = () => clock.now().toISOString().replace('.000Z', 'Z');
  const nodes = () => clients.resource<Node>(NODES);
  const pods = () => clients.resource<Pod>(PODS);
  const seed = <T extends KubeObject>(type: ResourceType, object: T) => clients.seed(type, object);

  function seedNode(readyStatus = 'True'): void {
    seed<Node>(NODES, {
      apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: {},
      status: { conditions: [{ type: 'Ready', status: readyStatus, reason: 'KubeletReady', lastHeartbeatTime: iso(), lastTransitionTime: iso() }] },
    });
    seed<Lease>(LEASES, {
      metadata: { name: 'n1', namespace: 'kube-node-lease' }, spec: { holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime: iso() },
    });
  }

  function seedPod(name: string, tolerations: Toleration[], ready = 'True'): void {
    seed<Pod>(PODS, {
      metadata: { name, namespace: 'default' },
      spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }], tolerations },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready }] },
    });
  }

  async function pass() {
    await Promise.all([listers.nodes.refresh(), listers.leases.refresh(), listers.pods.refresh()]);
    return reconciler.reconcile('n1');
  }

  async function renewLease(): Promise<void> {
    const lease = await clients.resource<Lease>(LEASES).get('kube-node-lease', 'n1');
    await clients.resource<Lease>(LEASES).update('kube-node-lease', { ...lease, spec: { ...lease.spec, renewTime: iso() } });
  }

  const node = () => nodes().get(undefined, 'n1');
  const ready = async () => (await node()).status?.conditions?.find((c) => c.type === 'Ready');
  const taintNames = async () => ((await node()).spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`);
  const podNames = async () => (await pods().list('default')).items.map((p) => p.metadata?.name);

  beforeEach(() => {
    clock = new FakeClock({ start: new Date('2025-01-01T12:00:00Z') });
    clients = new FakeClientSet({ clock });
    recorder = new RecordingRecorder();
    deletes = [];
    listers = { nodes: new SnapshotLister(nodes()), leases: new SnapshotLister(clients.resource<Lease>(LEASES)), pods: new SnapshotLister(pods()) };
    const podClient = pods();
    // Wraps delete to see the options (FakeClientSet's action log does not keep them).
    const spyPods: ResourceClient<Pod> = Object.assign(Object.create(podClient) as ResourceClient<Pod>, {
      delete: (ns: string | undefined, name: string, options?: ClientDeleteOptions) => {
        deletes.push({ name, options });
        return podClient.delete(ns, name, options);
      },
    });
    reconciler = new NodeLifecycleReconciler({
      nodes: nodes(), pods: spyPods, nodeLister: listers.nodes, leaseLister: listers.leases,
      podsOnNode: () => listers.pods.items.filter((p) => p.spec?.nodeName === 'n1'),
      clock, logger: silentLogger(), recorder,
      timings: { nodeMonitorGracePeriodMs: 50_000, nodeStartupGracePeriodMs: 60_000 },
    });
  });

  it('leaves a healthy node alone and asks to be woken when its grace period would run out', async () => {
    seedNode();
    seedPod('web-1', DEFAULT_TOLERATIONS);
    clients.clearActions();
    const result = await pass();
    assert.deepEqual(clients.actions, []);
    assert.deepEqual(result, { requeueAfterMs: 50_001 });
  });

  it('a renewed lease keeps the node Ready past the grace period', async () => {
    seedNode();
    await pass();
    clock.advance(40_000);
    await renewLease();
    await pass();
    clock.advance(40_000);
    const result = await pass();
    assert.equal((await ready())?.status, 'True');
    assert.deepEqual(await taintNames(), []);
    assert.deepEqual(result, { requeueAfterMs: 10_001 });
  });

  it('a silent node becomes Unknown and unreachable-tainted; its pods go NotReady, then are force-evicted after tolerationSeconds', async () => {
    seedNode();
    seedPod('tolerant', DEFAULT_TOLERATIONS);
    seedPod('intolerant', []);
    seedPod('forever', [{ operator: 'Exists' }]);
    await pass();
    clock.advance(50_000);
    assert.equal((await pass()) !== undefined, true);
    assert.equal((await ready())?.status, 'True', 'exactly the grace period is not yet too old');

    clock.advance(1_000);
    const result = await pass();
    const condition = await ready();
    assert.equal(condition?.status, 'Unknown');
    assert.equal(condition?.reason, 'NodeStatusUnknown');
    assert.equal(condition?.message, 'Kubelet stopped posting node status.');
    assert.equal(condition?.lastTransitionTime, '2025-01-01T12:00:51Z');
    const memory = (await node()).status?.conditions?.find((c) => c.type === 'MemoryPressure');
    assert.equal(memory?.reason, 'NodeStatusNeverUpdated');
    assert.deepEqual(await taintNames(), ['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    assert.equal((await node()).spec?.taints?.[1]?.timeAdded, '2025-01-01T12:00:51Z');

    // The intolerant pod is gone at once, forcibly (its agent will never confirm).
    assert.deepEqual(await podNames(), ['forever', 'tolerant']);
    assert.deepEqual(deletes, [{ name: 'intolerant', options: { gracePeriodSeconds: 0, preconditions: { uid: deletes[0]?.options?.preconditions?.uid } } }]);
    assert.ok(recorder.events.some((e) => e.reason === 'TaintManagerEviction' && e.message === 'Marking for deletion Pod default/intolerant'));
    assert.ok(recorder.events.some((e) => e.reason === 'NodeNotReady' && e.type === 'Normal' && e.message === 'Node n1 status is now: NodeNotReady'));
    // The others are marked not Ready.
    for (const name of ['tolerant', 'forever']) {
      const pod = await pods().get('default', name);
      assert.equal(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'False', name);
    }
    assert.equal(recorder.events.filter((e) => e.reason === 'NodeNotReady' && e.type === 'Warning').length, 2);
    assert.deepEqual(result, { requeueAfterMs: 300_000 });

    clock.advance(299_999);
    await pass();
    assert.deepEqual(await podNames(), ['forever', 'tolerant']);
    clock.advance(1);
    await pass();
    assert.deepEqual(await podNames(), ['forever']);
    assert.deepEqual(deletes[1]?.options?.gracePeriodSeconds, 0);
  });

  it('a node reporting Ready=False gets not-ready taints and graceful evictions; recovery removes the taints', async () => {
    seedNode('False');
    seedPod('intolerant', [], 'False');
    await pass();
    assert.deepEqual(await taintNames(), ['node.kubernetes.io/not-ready:NoSchedule', 'node.kubernetes.io/not-ready:NoExecute']);
    assert.deepEqual(deletes.map((d) => [d.name, d.options?.gracePeriodSeconds]), [['intolerant', undefined]]);

    const current = await node();
    await nodes().update(undefined, { ...current, spec: { ...current.spec, taints: [...(current.spec?.taints ?? []), { key: 'mine', effect: 'NoSchedule' }] } });
    const withTaint = await node();
    await nodes().updateStatus(undefined, {
      ...withTaint,
      status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: iso() }] },
    });
    await pass();
    assert.deepEqual(await taintNames(), ['mine:NoSchedule']);
  });

  it('does not evict twice while the cache still shows a deleted pod', async () => {
    seedNode('False');
    seedPod('intolerant', []);
    await pass();
    const stale = listers.pods.items;
    await Promise.all([listers.nodes.refresh(), listers.leases.refresh()]);
    listers.pods.items = stale;
    await reconciler.reconcile('n1');
    assert.equal(deletes.length, 1);
    assert.equal(recorder.events.filter((e) => e.reason === 'TaintManagerEviction').length, 1);
  });

  it('force-deletes a pod left terminating on a lost node once its grace period is over', async () => {
    seedNode();
    seedPod('stuck', [{ operator: 'Exists' }]);
    await pass();
    clock.advance(51_000);
    await pass();
    // A graceful delete issued by someone else, as the registry would record it for a bound pod.
    const pod = await pods().get('default', 'stuck');
    const deadline = new Date(clock.now().getTime() + 30_000).toISOString().replace('.000Z', 'Z');
    listers.pods.items = [{ ...pod, metadata: { ...pod.metadata, deletionTimestamp: deadline } }];
    await Promise.all([listers.nodes.refresh(), listers.leases.refresh()]);
    assert.deepEqual(await reconciler.reconcile('n1'), { requeueAfterMs: 30_000 });
    assert.equal(deletes.length, 0);
    clock.advance(30_000);
    await reconciler.reconcile('n1');
    assert.deepEqual(deletes.map((d) => [d.name, d.options?.gracePeriodSeconds]), [['stuck', 0]]);
  });

  it('gives a node that never reported status the startup grace period', async () => {
    seed<Node>(NODES, { metadata: { name: 'n1' }, spec: {} });
    assert.deepEqual(await pass(), { requeueAfterMs: 60_001 });
    clock.advance(60_000);
    await pass();
    assert.equal(await ready(), undefined);
    clock.advance(1);
    await pass();
    const condition = await ready();
    assert.equal(condition?.status, 'Unknown');
    assert.equal(condition?.reason, 'NodeStatusNeverUpdated');
    assert.equal(condition?.message, 'Kubelet never posted node status.');
    assert.equal(recorder.events.filter((e) => e.reason === 'NodeNotReady').length, 0);
  });

  it('forgets a deleted node', async () => {
    assert.equal(await pass(), undefined);
    assert.deepEqual(clients.actions, []);
  });

  it('a write conflict is thrown for a retry', async () => {
    seedNode();
    await pass();
    clock.advance(51_000);
    await Promise.all([listers.nodes.refresh(), listers.leases.refresh(), listers.pods.refresh()]);
    const current = await node();
    await nodes().update(undefined, { ...current, metadata: { ...current.metadata, labels: { touched: 'yes' } } });
    await assert.rejects(reconciler.reconcile('n1'), { code: 'Conflict' });
  });
});
