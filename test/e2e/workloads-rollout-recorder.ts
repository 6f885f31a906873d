// Watches the ReplicaSets and Pods of one Deployment during a rollout and keeps the extremes that
// matter for its availability bounds: the most pods the ReplicaSets asked for at once (maxSurge)
// and the fewest live Ready pods at once (maxUnavailable). A watch sees every change in order, so
// no intermediate state is missed the way polling could miss it.
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../src/api/object.js';
import { HttpClientSet } from '../../src/client/http/http-client-set.js';
import { loadKubeconfig } from '../../src/client/http/load-kubeconfig.js';
import { PODS, REPLICASETS } from '../../src/client/resource-types.js';

type Tracked = KubeObject & (Pod | ReplicaSet);

export class RolloutRecorder {
  /** Highest sum of ReplicaSet spec.replicas seen. */
  maxDesiredReplicas = 0;
  /** Lowest number of Ready, not terminating pods seen (after the first full listing). */
  minReadyPods = Number.POSITIVE_INFINITY;
  events = 0;
  private readonly pods = new Map<string, Pod>();
  private readonly sets = new Map<string, ReplicaSet>();
  private readonly controller = new AbortController();
  private readonly clients: HttpClientSet;
  private loops: Promise<void>[] = [];

  private constructor(clients: HttpClientSet) {
    this.clients = clients;
  }

  static async start(options: { kubeconfig: string; namespace: string; labelSelector: string }): Promise<RolloutRecorder> {
    const recorder = new RolloutRecorder(new HttpClientSet(loadKubeconfig(options.kubeconfig)));
    await recorder.begin(options.namespace, options.labelSelector);
    return recorder;
  }

  private async begin(namespace: string, labelSelector: string): Promise<void> {
    const signal = this.controller.signal;
    const follow = async <T extends Tracked>(type: typeof PODS, into: Map<string, T>) => {
      const client = this.clients.resource<T>(type);
      const list = await client.list(namespace, { labelSelector });
      for (const item of list.items) into.set(item.metadata?.uid ?? '', item);
      return async () => {
        try {
          for await (const event of client.watch(namespace, { labelSelector, resourceVersion: list.metadata.resourceVersion, signal })) {
            if (event.type === 'BOOKMARK') continue;
            const uid = event.object.metadata?.uid ?? '';
            if (event.type === 'DELETED') into.delete(uid);
            else into.set(uid, event.object);
            this.events += 1;
            this.measure();
          }
        } catch (error) {
          if (!signal.aborted) throw error;
        }
      };
    };
    const watchPods = await follow(PODS, this.pods as Map<string, Tracked>);
    const watchSets = await follow(REPLICASETS, this.sets as Map<string, Tracked>);
    this.measure();
    this.loops = [watchPods(), watchSets()];
  }

  private measure(): void {
    let desired = 0;
    for (const rs of this.sets.values()) desired += rs.spec?.replicas ?? 0;
    let ready = 0;
    for (const pod of this.pods.values()) {
      if (pod.metadata?.deletionTimestamp) continue;
      if (pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) ready += 1;
    }
    this.maxDesiredReplicas = Math.max(this.maxDesiredReplicas, desired);
    this.minReadyPods = Math.min(this.minReadyPods, ready);
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await Promise.allSettled(this.loops);
    this.clients.close();
  }
}
