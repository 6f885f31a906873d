// Test harness for the Deployment reconciler: a FakeClientSet, listers that are snapshots of it
// refreshed before every reconcile (a cache that is exactly up to date, without informers or
// sleeps), a FakeClock, a FakeEventRecorder, and a stand-in for the ReplicaSet controller and
// kubelets that moves ReplicaSet status one deterministic step at a time.
import type { DeploymentStatus } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../api/object.js';
import { parseLabelSelector, matchesLabels } from '../../api/selectors/label-selector.js';
import { FakeEventRecorder } from '../../client/events/fake-event-recorder.js';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import type { Lister } from '../../client/informer/informer.js';
import type { ClientSet, ResourceClient, ResourceType } from '../../client/resource-client.js';
import { DEPLOYMENTS, PODS, REPLICASETS } from '../../client/resource-types.js';
import { FakeClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import type { DeploymentObject, PodObject, ReplicaSetObject } from './deployment-types.js';
import { DeploymentReconciler } from './deployment-reconciler.js';
import { revisionOf } from './replica-set-annotations.js';

class SnapshotLister<T extends KubeObject> implements Lister<T> {
  private items: T[] = [];
  private readonly client: ResourceClient<T>;

  constructor(client: ResourceClient<T>) {
    this.client = client;
  }

  async refresh(): Promise<void> {
    this.items = (await this.client.list(undefined)).items;
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.items.find((o) => o.metadata?.namespace === namespace && o.metadata?.name === name);
  }

  list(options: { readonly namespace?: string; readonly labelSelector?: string } = {}): T[] {
    const selector = parseLabelSelector(options.labelSelector ?? '');
    return this.items.filter(
      (o) => (options.namespace === undefined || o.metadata?.namespace === options.namespace) && matchesLabels(selector, o.metadata?.labels),
    );
  }

  byIndex(): T[] {
    return [];
  }
}

/** A ClientSet that also remembers every deployment status written, in order. */
class RecordingClientSet implements ClientSet {
  readonly statusWrites: DeploymentStatus[] = [];
  private readonly inner: ClientSet;

  constructor(inner: ClientSet) {
    this.inner = inner;
  }

  resource<T extends KubeObject = KubeObject>(type: ResourceType): ResourceClient<T> {
    const client = this.inner.resource<T>(type);
    if (type.resource !== 'deployments') return client;
    const writes = this.statusWrites;
    return Object.assign(Object.create(client) as ResourceClient<T>, {
      updateStatus: async (namespace: string | undefined, object: T) => {
        const updated = await client.updateStatus(namespace, object);
        writes.push(structuredClone(updated.status as DeploymentStatus));
        return updated;
      },
    });
  }
}

export function template(image: string, extra: Record<string, string> = {}): NonNullable<DeploymentObject['spec']>['template'] {
  return { metadata: { labels: { app: 'web' }, ...(Object.keys(extra).length ? { annotations: extra } : {}) }, spec: { containers: [{ name: 'app', image }] } };
}

export class DeploymentHarness {
  readonly clock = new FakeClock({ start: new Date('2025-01-01T00:00:00Z') });
  readonly fake = new FakeClientSet({ clock: this.clock });
  readonly clients = new RecordingClientSet(this.fake);
  readonly recorder = new FakeEventRecorder();
  readonly deployments = this.fake.resource<DeploymentObject>(DEPLOYMENTS);
  readonly replicaSetClient = this.fake.resource<ReplicaSetObject>(REPLICASETS);
  readonly pods = this.fake.resource<PodObject>(PODS);
  private readonly listers = {
    deployments: new SnapshotLister(this.deployments),
    replicaSets: new SnapshotLister(this.replicaSetClient),
    pods: new SnapshotLister(this.pods),
  };
  readonly reconciler = new DeploymentReconciler({
    clients: this.clients,
    deployments: this.listers.deployments,
    replicaSets: this.listers.replicaSets,
    pods: this.listers.pods,
    recorder: this.recorder,
    clock: this.clock,
    logger: silentLogger(),
  });

  async createDeployment(spec: Partial<NonNullable<DeploymentObject['spec']>>, metadata: Partial<NonNullable<DeploymentObject['metadata']>> = {}): Promise<DeploymentObject> {
    return this.deployments.create('default', {
      metadata: { name: 'web', namespace: 'default', ...metadata },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: template('nginx:1'),
        progressDeadlineSeconds: 600,
        revisionHistoryLimit: 10,
        ...spec,
      },
    });
  }

  async deployment(): Promise<DeploymentObject> {
    return this.deployments.get('default', 'web');
  }

  /** Changes the deployment's spec like `kubectl apply/set image/scale` would. */
  async editSpec(change: (spec: NonNullable<DeploymentObject['spec']>) => void): Promise<DeploymentObject> {
    const d = structuredClone(await this.deployment());
    if (d.spec) change(d.spec);
    return this.deployments.update('default', d);
  }

  async reconcile(): Promise<{ requeueAfterMs?: number }> {
    await Promise.all([this.listers.deployments.refresh(), this.listers.replicaSets.refresh(), this.listers.pods.refresh()]);
    return this.reconciler.reconcile('default/web', new AbortController().signal);
  }

  async replicaSets(): Promise<ReplicaSetObject[]> {
    const list = (await this.replicaSetClient.list('default')).items;
    return list.sort((a, b) => revisionOf(a) - revisionOf(b));
  }

  /**
   * One step of the ReplicaSet controller and the kubelets. Pods are created/deleted to match
   * spec.replicas at once (deleted ones were available first, so availability drops with them);
   * then `ready` more pods per ReplicaSet become ready and available (Infinity: all).
   */
  async settle(ready = Infinity): Promise<void> {
    for (const rs of await this.replicaSets()) {
      const wanted = rs.spec?.replicas ?? 0;
      const available = Math.min(rs.status?.availableReplicas ?? 0, wanted);
      const nowAvailable = Math.min(wanted, available + ready);
      await this.replicaSetClient.updateStatus('default', {
        ...rs,
        status: {
          replicas: wanted,
          readyReplicas: nowAvailable,
          availableReplicas: nowAvailable,
          fullyLabeledReplicas: wanted,
          observedGeneration: rs.metadata?.generation ?? 0,
        },
      });
    }
  }

  sizes(sets: readonly ReplicaSetObject[]): number[] {
    return sets.map((rs) => rs.spec?.replicas ?? 0);
  }
}
