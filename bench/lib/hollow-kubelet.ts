// Hollow nodes for scale benchmarks: Node objects (Ready, 32 CPU / 128 GiB / 110 pods) with a
// Lease each, and one "hollow kubelet" for all of them: a single pod watch that, for every pod
// bound to a hollow node, writes what a fake-runtime agent would write through the status
// subresource (phase Running, Ready, a running container, a pod IP). No agent process per node.
//
// The same watch records when this process first saw each pod bound (spec.nodeName) and Running
// (phase Running and Ready), which is what the benchmark's latencies end at. With `writeStatus:
// false` it only observes bindings, as upstream's scheduler_perf (no kubelet there at all).
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../src/api/object.js';
import type { ClientSet, ResourceClient } from '../../src/client/resource-client.js';
import { LEASES, NODES, PODS } from '../../src/client/resource-types.js';
import { runPool } from './pool.js';

type PodObject = Pod & KubeObject;
type NodeObject = Node & KubeObject;

export const HOLLOW_PREFIX = 'hollow-';

function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Creates `count` Ready hollow nodes (Node, then its status, then its Lease), `concurrency` at a time. */
export async function registerHollowNodes(clients: ClientSet, count: number, concurrency: number): Promise<void> {
  const nodes = clients.resource<NodeObject>(NODES);
  const leases = clients.resource(LEASES);
  await runPool(count, concurrency, async (i) => {
    const name = `${HOLLOW_PREFIX}${i}`;
    const now = new Date().toISOString();
    const created = await nodes.create(undefined, {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'k8ts.io/hollow': 'true' } },
      spec: {},
    });
    const allocatable = { cpu: '32', memory: '128Gi', pods: '110' };
    await nodes.updateStatus(undefined, {
      ...created,
      status: {
        capacity: allocatable,
        allocatable,
        addresses: [{ type: 'InternalIP', address: `10.${(i >> 8) & 255}.${i & 255}.1` }, { type: 'Hostname', address: name }],
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'hollow node', lastHeartbeatTime: now, lastTransitionTime: now }],
        nodeInfo: {
          architecture: 'amd64', bootID: '', containerRuntimeVersion: 'fake://0', kernelVersion: '', kubeProxyVersion: '',
          kubeletVersion: 'v1.32.0-hollow', machineID: '', operatingSystem: 'linux', osImage: 'hollow', systemUUID: name,
        },
      },
    });
    await leases.create('kube-node-lease', {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace: 'kube-node-lease', ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: created.metadata?.uid ?? '' }] },
      spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: microTime(new Date()) },
    });
  });
}

function runningStatus(pod: PodObject, index: number): Pod['status'] {
  const now = new Date().toISOString();
  const ip = `10.244.${(index >> 8) & 255}.${index & 255}`;
  const condition = (type: string) => ({ type, status: 'True', lastTransitionTime: now });
  return {
    phase: 'Running',
    hostIP: '10.0.0.1',
    podIP: ip,
    podIPs: [{ ip }],
    startTime: now,
    qosClass: 'Burstable',
    conditions: ['PodReadyToStartContainers', 'Initialized', 'ContainersReady', 'Ready', 'PodScheduled'].map(condition),
    containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
      name: c.name,
      image: c.image ?? '',
      imageID: `fake://${c.image ?? ''}`,
      containerID: `fake://${pod.metadata?.uid ?? ''}/${c.name}`,
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: now } },
    })),
  };
}

function isRunningReady(pod: PodObject): boolean {
  return pod.status?.phase === 'Running' && (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export interface HollowKubeletOptions {
  readonly clients: ClientSet;
  readonly namespace: string;
  /** Status writes in flight at most (the hollow kubelets of all nodes together). */
  readonly concurrency: number;
  /** False: record bindings only, never write a status (default true). */
  readonly writeStatus?: boolean;
}

export class HollowKubelet {
  /** performance.now() when this process first saw the pod bound / Running+Ready. */
  readonly bound = new Map<string, number>();
  readonly running = new Map<string, number>();
  errors = 0;
  private readonly pods: ResourceClient<PodObject>;
  private readonly options: HollowKubeletOptions;
  private readonly queue: PodObject[] = [];
  private readonly started = new Set<string>();
  private inFlight = 0;

  constructor(options: HollowKubeletOptions) {
    this.options = options;
    this.pods = options.clients.resource<PodObject>(PODS);
  }

  /**
   * Lists (for the resourceVersion), then starts the watch loop (it resumes a watch that ends);
   * `done` settles when the signal ends it.
   */
  async start(signal: AbortSignal): Promise<{ readonly done: Promise<void> }> {
    let resourceVersion = (await this.pods.list(this.options.namespace, { limit: 1 })).metadata.resourceVersion;
    const done = (async () => {
      while (!signal.aborted) {
        try {
          for await (const event of this.pods.watch(this.options.namespace, { signal, resourceVersion, allowWatchBookmarks: true })) {
            resourceVersion = event.object.metadata?.resourceVersion ?? resourceVersion;
            if (event.type === 'ADDED' || event.type === 'MODIFIED') this.observe(event.object);
          }
        } catch (error) {
          if (signal.aborted) return;
          this.errors++;
          console.error('hollow kubelet watch failed, resuming', error);
        }
      }
    })();
    return { done };
  }

  private observe(pod: PodObject): void {
    const now = performance.now();
    const name = pod.metadata?.name ?? '';
    const nodeName = pod.spec?.nodeName;
    if (!nodeName || pod.metadata?.deletionTimestamp) return;
    if (!this.bound.has(name)) this.bound.set(name, now);
    if (isRunningReady(pod)) {
      if (!this.running.has(name)) this.running.set(name, now);
      return;
    }
    if (this.options.writeStatus !== false && nodeName.startsWith(HOLLOW_PREFIX) && !this.started.has(name)) {
      this.started.add(name);
      this.queue.push(pod);
      this.pump();
    }
  }

  private pump(): void {
    while (this.inFlight < this.options.concurrency && this.queue.length > 0) {
      const pod = this.queue.shift()!;
      this.inFlight++;
      const name = pod.metadata?.name ?? '';
      void this.pods
        .patch(this.options.namespace, name, 'merge', { status: runningStatus(pod, this.started.size) }, { subresource: 'status' })
        .catch((error: unknown) => {
          this.errors++;
          if (this.errors <= 5) console.error(`hollow kubelet: status of ${name} failed`, error);
        })
        .finally(() => {
          this.inFlight--;
          this.pump();
        });
    }
  }
}
