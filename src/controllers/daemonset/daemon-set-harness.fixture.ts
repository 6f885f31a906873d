// Test harness for the DaemonSet reconciler: a FakeClientSet, snapshot listers refreshed before
// every reconcile (a cache exactly up to date, without informers or sleeps), a FakeClock, a
// FakeEventRecorder, and stand-ins for the scheduler and kubelets (`bindPending`, `makeReady`)
// that move pods one deterministic step at a time.
import type { DaemonSetSpec } from 'kubernetes-types/apps/v1.js';
import type { Taint } from 'kubernetes-types/core/v1.js';
import { FakeEventRecorder } from '../../client/events/fake-event-recorder.js';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { CONTROLLER_REVISIONS, DAEMON_SETS, NODES, PODS } from '../../client/resource-types.js';
import { FakeClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import { sortControllerRevisions } from '../framework/controller-history.js';
import type { ReconcileResult } from '../framework/reconciler.js';
import { SnapshotLister } from '../framework/snapshot-lister.fixture.js';
import { CreateDeleteExpectations } from './create-delete-expectations.js';
import { targetNodeName } from './daemon-pod-template.js';
import { DaemonSetReconciler } from './daemon-set-reconciler.js';
import type { ControllerRevisionObject, DaemonSetObject, NodeObject, PodObject } from './daemon-set-types.js';
import { FailedPodsBackoff } from './failed-pods-backoff.js';

export const NS = 'default';
export const KEY = `${NS}/agent`;

export function daemonSet(spec: Partial<DaemonSetSpec> = {}, image = 'agent:1'): DaemonSetObject {
  return {
    metadata: { name: 'agent', namespace: NS },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image }] } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      ...spec,
    },
  };
}

export function node(name: string, options: { labels?: Record<string, string>; taints?: Taint[] } = {}): NodeObject {
  return { metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(options.labels ?? {}) } }, spec: { ...(options.taints ? { taints: options.taints } : {}) } };
}

export class DaemonSetHarness {
  readonly clock = new FakeClock({ start: new Date('2025-01-01T00:00:00Z') });
  readonly clients = new FakeClientSet({ clock: this.clock });
  readonly recorder = new FakeEventRecorder();
  readonly dsClient = this.clients.resource<DaemonSetObject>(DAEMON_SETS);
  readonly podClient = this.clients.resource<PodObject>(PODS);
  readonly nodeClient = this.clients.resource<NodeObject>(NODES);
  readonly revisionClient = this.clients.resource<ControllerRevisionObject>(CONTROLLER_REVISIONS);
  readonly daemonSets = new SnapshotLister(this.dsClient);
  readonly pods = new SnapshotLister(this.podClient);
  readonly nodes = new SnapshotLister(this.nodeClient);
  readonly revisions = new SnapshotLister(this.revisionClient);
  readonly expectations = new CreateDeleteExpectations({ clock: this.clock });
  readonly backoff = new FailedPodsBackoff({ clock: this.clock });
  readonly reconciler = new DaemonSetReconciler({
    clients: this.clients, daemonSets: this.daemonSets, pods: this.pods, nodes: this.nodes, revisions: this.revisions,
    expectations: this.expectations, backoff: this.backoff, clock: this.clock, logger: silentLogger(), recorder: this.recorder,
  });

  /** uids of the live pods the cache showed last, to play the pod informer's part in expectations. */
  private seenPods = new Set<string>();

  /** Refreshes every cache, observing pod creations and deletions as the informer handlers do. */
  async sync(): Promise<void> {
    await Promise.all([this.daemonSets.sync(), this.pods.sync(), this.nodes.sync(), this.revisions.sync()]);
    const live = new Set(this.pods.list().filter((pod) => pod.metadata?.deletionTimestamp === undefined).map((pod) => pod.metadata?.uid ?? ''));
    for (const uid of live) if (!this.seenPods.has(uid)) this.expectations.creationObserved(KEY);
    for (const uid of this.seenPods) if (!live.has(uid)) this.expectations.deletionObserved(KEY, uid);
    this.seenPods = live;
  }

  /** Refreshes the cache, then reconciles once. */
  async reconcile(): Promise<ReconcileResult | void> {
    await this.sync();
    return this.reconciler.reconcile(KEY);
  }

  async addNodes(...nodes: NodeObject[]): Promise<void> {
    for (const n of nodes) await this.nodeClient.create(undefined, n);
  }

  async create(ds: DaemonSetObject): Promise<DaemonSetObject> {
    return this.dsClient.create(NS, ds);
  }

  async ds(): Promise<DaemonSetObject> {
    return this.dsClient.get(NS, 'agent');
  }

  /** Changes the template image (a spec change: generation moves on). */
  async setImage(image: string): Promise<void> {
    const ds = await this.ds();
    const template = structuredClone(ds.spec!.template);
    template.spec!.containers[0]!.image = image;
    await this.dsClient.update(NS, { ...ds, spec: { ...ds.spec!, template } });
  }

  async livePods(): Promise<PodObject[]> {
    return (await this.podClient.list(NS)).items.filter((pod) => pod.metadata?.deletionTimestamp === undefined);
  }

  /** Pod image per node, sorted: `['a=agent:1', 'b=agent:2']`. */
  async imagesByNode(): Promise<string[]> {
    return (await this.livePods()).map((pod) => `${targetNodeName(pod) ?? '?'}=${pod.spec?.containers[0]?.image ?? ''}`).sort();
  }

  async sortedRevisions(): Promise<ControllerRevisionObject[]> {
    return sortControllerRevisions((await this.revisionClient.list(NS)).items) as ControllerRevisionObject[];
  }

  /** The scheduler: binds every pending pod to the node its affinity names. */
  async bindPending(): Promise<void> {
    for (const pod of await this.livePods()) if (!pod.spec?.nodeName) await this.bind(pod);
  }

  async bind(pod: PodObject): Promise<void> {
    const name = pod.metadata!.name!;
    await this.podClient.createSubresource(NS, name, 'binding', {
      apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace: NS }, target: { kind: 'Node', name: targetNodeName(pod) },
    });
  }

  /** The kubelets: every bound pod that is not yet Ready becomes Running and Ready now. */
  async makeReady(): Promise<void> {
    const now = this.clock.now().toISOString();
    for (const pod of await this.livePods()) {
      if (!pod.spec?.nodeName || pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
      await this.setPhase(pod, 'Running', now);
    }
  }

  /** Binds and readies everything pending: one full scheduler + kubelet step. */
  async runPods(): Promise<void> {
    await this.bindPending();
    await this.makeReady();
  }

  async setPhase(pod: PodObject, phase: 'Running' | 'Failed' | 'Succeeded', readySince?: string): Promise<void> {
    const fresh = await this.podClient.get(NS, pod.metadata!.name!);
    const ready = phase === 'Running' && readySince !== undefined;
    await this.podClient.updateStatus(NS, {
      ...fresh,
      status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: readySince ?? this.clock.now().toISOString() }] },
    });
  }

  /** Reconciles and runs pods until nothing changes (at most `rounds` rounds); checks `invariant` after each step. */
  async settle(invariant: () => Promise<void> = async () => {}, rounds = 30): Promise<void> {
    for (let round = 0; round < rounds; round++) {
      const before = this.clients.actions.length;
      await this.reconcile();
      await invariant();
      await this.runPods();
      await invariant();
      if (this.clients.actions.length === before) return;
    }
    throw new Error('daemon set did not settle');
  }
}
