// NodeInfo: one node as the scheduler sees it — the Node, the pods placed on it (bound or assumed),
// the sum of their requests, and the node's allocatable. Requests are kept incrementally (added
// and subtracted per pod) so a filter never walks the pods to learn what is used.
import type { Node, Pod, Taint } from 'kubernetes-types/core/v1.js';
import { amountsOf, podRequests, type ResourceAmounts } from './pod-resources.js';
import { firstOwnerUid, hasAnyPodAffinity, hasRequiredAntiAffinity, podKey, podPriority, releaseOwnerUid, retainOwnerUid } from './pod-key.js';

/** Upstream's default when a node does not report allocatable pods. */
const DEFAULT_ALLOWED_PODS = 110;

export class NodeInfo {
  node: Node;
  readonly name: string;
  allocatable: Readonly<ResourceAmounts>;
  allowedPodNumber: number;
  /** Sum of the effective requests of the pods here. */
  readonly requested: ResourceAmounts = { milliCpu: 0, memory: 0, ephemeralStorage: 0, scalar: undefined };
  /** The same with unset cpu/memory counted as 100m/200Mi (scoring only). */
  readonly nonZeroRequested = { milliCpu: 0, memory: 0 };
  readonly pods = new Map<string, Pod>();
  /**
   * allocatable - requested for cpu, memory and ephemeral storage, kept beside `pods.size` as
   * plain fields of this object: NodeResourcesFit reads them for every node it looks at, and one
   * object is fewer cold cache lines than three.
   */
  podCount = 0;
  freeMilliCpu = 0;
  freeMemory = 0;
  freeEphemeralStorage = 0;
  /** Pods with any pod (anti-)affinity: the ones InterPodAffinity must look at. */
  readonly podsWithAffinity = new Map<string, Pod>();
  readonly podsWithRequiredAntiAffinity = new Map<string, Pod>();
  /** Pods per first-owner uid, for the default soft spread. */
  readonly podsPerOwner = new Map<string, number>();
  /**
   * Pods per spec.priority. Preemption asks "is anything here below priority P?" for every node a
   * pod did not fit; with one or two distinct priorities per node that is a look at a tiny map
   * instead of a walk over the node's pods.
   */
  readonly podsPerPriority = new Map<number, number>();
  /** Taints with effect NoSchedule/NoExecute, cached per node object. */
  hardTaints: readonly Taint[] = [];
  /** Taints with effect PreferNoSchedule (TaintToleration's score), cached per node object. */
  softTaints: readonly Taint[] = [];
  /** spec.unschedulable, cached per node object. */
  unschedulable = false;

  constructor(node: Node) {
    this.node = node;
    this.name = node.metadata?.name ?? '';
    this.allocatable = amountsOf(undefined);
    this.allowedPodNumber = DEFAULT_ALLOWED_PODS;
    this.setNode(node);
  }

  get labels(): Readonly<Record<string, string>> {
    return this.node.metadata?.labels ?? {};
  }

  setNode(node: Node): void {
    this.node = node;
    const allocatable = (node.status?.allocatable ?? node.status?.capacity) as Readonly<Record<string, unknown>> | undefined;
    this.allocatable = amountsOf(allocatable);
    const pods = allocatable?.pods;
    this.allowedPodNumber = pods === undefined ? DEFAULT_ALLOWED_PODS : Number(pods);
    const taints = node.spec?.taints ?? [];
    this.updateFree();
    this.hardTaints = taints.filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
    this.softTaints = taints.filter((t) => t.effect === 'PreferNoSchedule');
    this.unschedulable = Boolean(node.spec?.unschedulable);
  }

  addPod(pod: Pod): void {
    const key = podKey(pod);
    if (this.pods.has(key)) this.removePod(key);
    this.pods.set(key, pod);
    this.podCount = this.pods.size;
    this.account(pod, 1);
    const priority = podPriority(pod);
    this.podsPerPriority.set(priority, (this.podsPerPriority.get(priority) ?? 0) + 1);
    if (hasAnyPodAffinity(pod)) this.podsWithAffinity.set(key, pod);
    if (hasRequiredAntiAffinity(pod)) this.podsWithRequiredAntiAffinity.set(key, pod);
    const owner = firstOwnerUid(pod);
    if (owner) {
      const count = this.podsPerOwner.get(owner);
      if (count === undefined) this.podsPerOwner.set(retainOwnerUid(owner), 1);
      else this.podsPerOwner.set(owner, count + 1);
    }
  }

  /** Returns the removed pod, if it was here. */
  removePod(key: string): Pod | undefined {
    const pod = this.pods.get(key);
    if (!pod) return undefined;
    this.pods.delete(key);
    this.podCount = this.pods.size;
    this.account(pod, -1);
    const priority = podPriority(pod);
    const samePriority = (this.podsPerPriority.get(priority) ?? 1) - 1;
    if (samePriority > 0) this.podsPerPriority.set(priority, samePriority);
    else this.podsPerPriority.delete(priority);
    this.podsWithAffinity.delete(key);
    this.podsWithRequiredAntiAffinity.delete(key);
    const owner = firstOwnerUid(pod);
    if (owner) {
      const left = (this.podsPerOwner.get(owner) ?? 1) - 1;
      if (left > 0) this.podsPerOwner.set(owner, left);
      else if (this.podsPerOwner.delete(owner)) releaseOwnerUid(owner);
    }
    return pod;
  }

  /** Whether some pod here has a priority below `priority` (a possible preemption victim). */
  hasPodBelow(priority: number): boolean {
    for (const p of this.podsPerPriority.keys()) if (p < priority) return true;
    return false;
  }

  private account(pod: Pod, sign: 1 | -1): void {
    const r = podRequests(pod);
    this.requested.milliCpu += sign * r.milliCpu;
    this.requested.memory += sign * r.memory;
    this.requested.ephemeralStorage += sign * r.ephemeralStorage;
    this.nonZeroRequested.milliCpu += sign * r.nonZeroMilliCpu;
    this.nonZeroRequested.memory += sign * r.nonZeroMemory;
    this.updateFree();
    if (r.scalar) {
      this.requested.scalar ??= new Map();
      for (const [name, value] of r.scalar) this.requested.scalar.set(name, (this.requested.scalar.get(name) ?? 0) + sign * value);
    }
  }

  private updateFree(): void {
    this.freeMilliCpu = this.allocatable.milliCpu - this.requested.milliCpu;
    this.freeMemory = this.allocatable.memory - this.requested.memory;
    this.freeEphemeralStorage = this.allocatable.ephemeralStorage - this.requested.ephemeralStorage;
  }
}
