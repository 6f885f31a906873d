// NodeInfo: one node as the scheduler sees it — the Node, the pods placed on it (bound or assumed),
// the sum of their requests, and the node's allocatable. Requests are kept incrementally (added
// and subtracted per pod) so a filter never walks the pods to learn what is used.
import type { Node, Pod, Taint } from 'kubernetes-types/core/v1.js';
import { amountsOf, podRequests, type ResourceAmounts } from './pod-resources.js';
import { firstOwnerUid, hasAnyPodAffinity, hasRequiredAntiAffinity, podKey } from './pod-key.js';

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
  /** Pods with any pod (anti-)affinity: the ones InterPodAffinity must look at. */
  readonly podsWithAffinity = new Map<string, Pod>();
  readonly podsWithRequiredAntiAffinity = new Map<string, Pod>();
  /** Pods per first-owner uid, for the default soft spread. */
  readonly podsPerOwner = new Map<string, number>();
  /** Taints with effect NoSchedule/NoExecute, cached per node object. */
  hardTaints: readonly Taint[] = [];

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
    this.hardTaints = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
  }

  addPod(pod: Pod): void {
    const key = podKey(pod);
    if (this.pods.has(key)) this.removePod(key);
    this.pods.set(key, pod);
    this.account(pod, 1);
    if (hasAnyPodAffinity(pod)) this.podsWithAffinity.set(key, pod);
    if (hasRequiredAntiAffinity(pod)) this.podsWithRequiredAntiAffinity.set(key, pod);
    const owner = firstOwnerUid(pod);
    if (owner) this.podsPerOwner.set(owner, (this.podsPerOwner.get(owner) ?? 0) + 1);
  }

  /** Returns the removed pod, if it was here. */
  removePod(key: string): Pod | undefined {
    const pod = this.pods.get(key);
    if (!pod) return undefined;
    this.pods.delete(key);
    this.account(pod, -1);
    this.podsWithAffinity.delete(key);
    this.podsWithRequiredAntiAffinity.delete(key);
    const owner = firstOwnerUid(pod);
    if (owner) {
      const left = (this.podsPerOwner.get(owner) ?? 1) - 1;
      if (left > 0) this.podsPerOwner.set(owner, left);
      else this.podsPerOwner.delete(owner);
    }
    return pod;
  }

  private account(pod: Pod, sign: 1 | -1): void {
    const r = podRequests(pod);
    this.requested.milliCpu += sign * r.milliCpu;
    this.requested.memory += sign * r.memory;
    this.requested.ephemeralStorage += sign * r.ephemeralStorage;
    this.nonZeroRequested.milliCpu += sign * r.nonZeroMilliCpu;
    this.nonZeroRequested.memory += sign * r.nonZeroMemory;
    if (r.scalar) {
      this.requested.scalar ??= new Map();
      for (const [name, value] of r.scalar) this.requested.scalar.set(name, (this.requested.scalar.get(name) ?? 0) + sign * value);
    }
  }
}
