// NodeSnapshot: the scheduler's view of every node and the pods on it, kept up to date from the
// informers (nodes, bound pods) plus "assumed" pods — pods this scheduler has decided to bind but
// whose binding the pod informer has not shown yet. Counting assumed pods is what lets back-to-back
// decisions see each other: without it a burst of pods would all pick the same emptiest node.
//
// The scheduling cycle is synchronous JavaScript, so the live cache is a consistent snapshot for
// the duration of one cycle; no copy is made (upstream copies because it schedules in parallel).
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { NodeInfo } from './node-info.js';
import { hasRequiredAntiAffinity, podKey } from './pod-key.js';
import { shareRequests } from './pod-resources.js';

export class NodeSnapshot {
  private readonly byName = new Map<string, NodeInfo>();
  /** Node order for sampling; removal swaps in the last node to stay O(1). */
  private readonly order: NodeInfo[] = [];
  private readonly indexOf = new Map<string, number>();
  /** Pod key -> node name, for every pod placed on a node (bound or assumed). */
  private readonly placement = new Map<string, string>();
  private readonly assumed = new Set<string>();
  /** Pods bound to nodes we have not seen (yet): attached when the node arrives. */
  private readonly orphans = new Map<string, Map<string, Pod>>();
  /** Nodes that hold a pod with required anti-affinity (InterPodAffinity checks only these). */
  private readonly antiAffinityNodes = new Set<NodeInfo>();
  /** Nodes with a PreferNoSchedule taint (TaintToleration's score has nothing to do without). */
  private readonly softTaintNodes = new Set<NodeInfo>();

  get size(): number {
    return this.order.length;
  }

  /** Every node, in sampling order. Do not mutate. */
  nodeInfos(): readonly NodeInfo[] {
    return this.order;
  }

  get(name: string): NodeInfo | undefined {
    return this.byName.get(name);
  }

  nodesWithRequiredAntiAffinityPods(): ReadonlySet<NodeInfo> {
    return this.antiAffinityNodes;
  }

  nodesWithPreferNoScheduleTaints(): ReadonlySet<NodeInfo> {
    return this.softTaintNodes;
  }

  setNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const existing = this.byName.get(name);
    if (existing) {
      existing.setNode(node);
      this.trackSoftTaints(existing);
      return;
    }
    const info = new NodeInfo(node);
    this.trackSoftTaints(info);
    this.byName.set(name, info);
    this.indexOf.set(name, this.order.length);
    this.order.push(info);
    const waiting = this.orphans.get(name);
    if (waiting) {
      this.orphans.delete(name);
      for (const pod of waiting.values()) this.place(info, pod);
    }
  }

  removeNode(name: string): void {
    const info = this.byName.get(name);
    if (!info) return;
    this.byName.delete(name);
    const index = this.indexOf.get(name) ?? -1;
    const last = this.order.pop();
    if (last && last !== info && index >= 0) {
      this.order[index] = last;
      this.indexOf.set(last.name, index);
    }
    this.indexOf.delete(name);
    this.antiAffinityNodes.delete(info);
    this.softTaintNodes.delete(info);
    if (info.pods.size) this.orphans.set(name, new Map(info.pods));
  }

  /** A pod bound to a node, as the informer shows it (confirms an assumed pod). */
  addPod(pod: Pod): void {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) return;
    const key = podKey(pod);
    this.assumed.delete(key);
    const previous = this.placement.get(key);
    if (previous !== undefined && previous !== nodeName) this.removePod(key);
    const info = this.byName.get(nodeName);
    if (info) this.place(info, pod);
    else {
      let waiting = this.orphans.get(nodeName);
      if (!waiting) this.orphans.set(nodeName, (waiting = new Map()));
      waiting.set(key, pod);
      this.placement.set(key, nodeName);
    }
  }

  /** Removes a pod wherever it is (deleted, terminated, or a forgotten assumption). */
  removePod(key: string): void {
    const nodeName = this.placement.get(key);
    if (nodeName === undefined) return;
    this.placement.delete(key);
    this.assumed.delete(key);
    const info = this.byName.get(nodeName);
    if (info) {
      info.removePod(key);
      if (info.podsWithRequiredAntiAffinity.size === 0) this.antiAffinityNodes.delete(info);
    } else this.orphans.get(nodeName)?.delete(key);
  }

  /** Records our decision before the API confirms it. The pod object gets spec.nodeName set. */
  assumePod(pod: Pod, nodeName: string): Pod {
    const assumed: Pod = { ...pod, spec: { ...pod.spec, containers: pod.spec?.containers ?? [], nodeName } };
    shareRequests(pod, assumed);
    this.addPod(assumed);
    this.assumed.add(podKey(pod));
    return assumed;
  }

  /** Undoes an assumption whose binding failed. A pod the informer already confirmed is kept. */
  forgetPod(key: string): void {
    if (this.assumed.has(key)) this.removePod(key);
  }

  isAssumed(key: string): boolean {
    return this.assumed.has(key);
  }

  /** Whether the pod already sits on a node (bound or assumed). */
  isPlaced(key: string): boolean {
    return this.placement.has(key);
  }

  private trackSoftTaints(info: NodeInfo): void {
    if (info.softTaints.length > 0) this.softTaintNodes.add(info);
    else this.softTaintNodes.delete(info);
  }

  private place(info: NodeInfo, pod: Pod): void {
    const key = podKey(pod);
    info.addPod(pod);
    this.placement.set(key, info.name);
    if (hasRequiredAntiAffinity(pod)) this.antiAffinityNodes.add(info);
  }
}
