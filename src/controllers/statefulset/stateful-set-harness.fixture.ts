// For StatefulSet reconciler tests: a FakeClientSet, snapshot listers the test syncs on purpose
// (so it decides how stale the cache is), a fake clock, and helpers that play the node agent
// (pods become Running and Ready) and the user (scale, change the template, delete a pod).
import type { StatefulSetSpec } from 'kubernetes-types/apps/v1.js';
import { FakeEventRecorder } from '../../client/events/fake-event-recorder.js';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { CONTROLLER_REVISIONS, PODS, STATEFUL_SETS } from '../../client/resource-types.js';
import { FakeClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import type { ControllerRevisionObject } from '../framework/controller-history.js';
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import type { ReconcileResult } from '../framework/reconciler.js';
import { SnapshotLister } from '../framework/snapshot-lister.fixture.js';
import { PodExpectations } from './pod-expectations.js';
import type { StatefulSetObject } from './stateful-set-spec.js';
import { StatefulSetReconciler } from './stateful-set-reconciler.js';

export const NS = 'default';
export const KEY = 'default/web';

/** A StatefulSet `web` (service `nginx`, selector app=web, image nginx:1) with `spec` merged in. */
export function statefulSet(spec: Partial<StatefulSetSpec> = {}): StatefulSetObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: NS },
    spec: {
      replicas: 3,
      serviceName: 'nginx',
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1' }] } },
      ...spec,
    },
  };
}

export class StatefulSetFixture {
  readonly clock = new FakeClock({ start: new Date('2025-01-01T00:00:00Z') });
  readonly clients = new FakeClientSet({ clock: this.clock });
  readonly recorder = new FakeEventRecorder();
  readonly pods = new SnapshotLister(this.clients.resource<Pod>(PODS));
  readonly sets = new SnapshotLister(this.clients.resource<StatefulSetObject>(STATEFUL_SETS));
  readonly revisions = new SnapshotLister(this.clients.resource<ControllerRevisionObject>(CONTROLLER_REVISIONS));
  readonly expectations = new PodExpectations({ clock: this.clock });
  readonly reconciler = new StatefulSetReconciler({
    clients: this.clients,
    pods: this.pods,
    statefulSets: this.sets,
    revisions: this.revisions,
    expectations: this.expectations,
    clock: this.clock,
    logger: silentLogger(),
    recorder: this.recorder,
  });

  seed(set: StatefulSetObject): StatefulSetObject {
    return this.clients.seed(STATEFUL_SETS, set)[0]!;
  }

  /** The API server starts every new pod Pending; then every cache catches up with the store. */
  async sync(): Promise<void> {
    for (const pod of await this.livePods()) {
      if (pod.status?.phase === undefined) await this.setPodStatus(pod.metadata!.name!, { phase: 'Pending' });
    }
    await this.pods.sync();
    await this.sets.sync();
    await this.revisions.sync();
  }

  /** One pass over an up-to-date cache: the informer has seen everything, expectations included. */
  async pass(): Promise<ReconcileResult | void> {
    await this.sync();
    this.expectations.forget(KEY);
    return this.reconciler.reconcile(KEY);
  }

  /** Writes the controller made (the fixture's own pod status writes left out). */
  controllerWrites(): number {
    return this.clients.actions.filter((a) => !(a.resource === 'pods' && a.subresource === 'status')).length;
  }

  /** Runs passes until one writes nothing (at most `limit`); returns how many passes wrote. */
  async settle(limit = 20): Promise<number> {
    for (let i = 0; i < limit; i++) {
      const before = this.controllerWrites();
      await this.pass();
      if (this.controllerWrites() === before) return i;
    }
    throw new Error('statefulset did not settle');
  }

  async livePods(): Promise<Pod[]> {
    return (await this.clients.resource<Pod>(PODS).list(NS)).items;
  }

  async podNames(): Promise<string[]> {
    return (await this.livePods()).map((pod) => pod.metadata!.name!).sort();
  }

  async pod(name: string): Promise<Pod> {
    return this.clients.resource<Pod>(PODS).get(NS, name);
  }

  async liveSet(): Promise<StatefulSetObject> {
    return this.clients.resource<StatefulSetObject>(STATEFUL_SETS).get(NS, 'web');
  }

  async liveRevisions(): Promise<ControllerRevisionObject[]> {
    const items = (await this.clients.resource<ControllerRevisionObject>(CONTROLLER_REVISIONS).list(NS)).items;
    return items.sort((a, b) => a.revision - b.revision);
  }

  async setPodStatus(name: string, status: NonNullable<Pod['status']>): Promise<void> {
    const client = this.clients.resource<Pod>(PODS);
    const pod = await client.get(NS, name);
    await client.updateStatus(NS, { ...pod, status });
  }

  /** The agent reports the pod Running and Ready, as of the fake clock's now. */
  async markReady(...names: string[]): Promise<void> {
    const since = this.clock.now().toISOString();
    for (const name of names) {
      await this.setPodStatus(name, { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: since }] });
    }
  }

  /** Marks every pod that is not Running and Ready yet. */
  async markAllReady(): Promise<void> {
    for (const pod of await this.livePods()) {
      const ready = pod.status?.phase === 'Running' && pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
      if (!ready) await this.markReady(pod.metadata!.name!);
    }
  }

  /** Settles, making every new pod Ready after each pass, until nothing changes. */
  async rollOut(limit = 40): Promise<void> {
    for (let i = 0; i < limit; i++) {
      const before = this.controllerWrites();
      await this.pass();
      await this.markAllReady();
      if (this.controllerWrites() === before) return;
    }
    throw new Error('statefulset did not roll out');
  }

  async deletePod(name: string): Promise<void> {
    await this.clients.resource<Pod>(PODS).delete(NS, name);
  }

  /** Changes the set as a user would (spec changes bump metadata.generation). */
  async editSet(change: (set: StatefulSetObject) => void): Promise<void> {
    const set = await this.liveSet();
    change(set);
    await this.clients.resource<StatefulSetObject>(STATEFUL_SETS).update(NS, set);
  }

  async setImage(image: string): Promise<void> {
    await this.editSet((set) => { set.spec!.template.spec!.containers[0]!.image = image; });
  }

  async scale(replicas: number): Promise<void> {
    await this.editSet((set) => { set.spec!.replicas = replicas; });
  }

  /** Writes of one verb to pods, by pod name, in order (`['web-0', 'web-1']`). */
  podWrites(verb: 'create' | 'delete' | 'patch'): string[] {
    return this.clients.writes(verb, 'pods').filter((a) => a.subresource === undefined).map((a) => a.name ?? '');
  }
}
