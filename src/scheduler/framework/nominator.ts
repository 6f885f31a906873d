// Nominated pods (upstream: the queue's nominator). A pod that preempted others is "nominated" to
// the node it made room on (status.nominatedNodeName) until it is bound or gone. While it waits
// for its victims to leave, other pods of no higher priority must not take that room: the filters
// see a node as if its nominated pods of equal or higher priority already ran there
// (runFiltersWithNominated), and the nominated pod itself tries its node first.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { podKey } from './pod-key.js';

export interface NominatedPods {
  /** Pods nominated to the node, in no particular order. */
  podsOn(nodeName: string): Iterable<Pod> | undefined;
  /** The node a pod is nominated to. */
  nodeOf(key: string): string | undefined;
}

export class Nominator implements NominatedPods {
  private readonly byNode = new Map<string, Map<string, Pod>>();
  private readonly nodeByPod = new Map<string, string>();

  get size(): number {
    return this.nodeByPod.size;
  }

  /** Records (or moves, or refreshes) a pod's nomination. */
  nominate(pod: Pod, nodeName: string): void {
    const key = podKey(pod);
    const previous = this.nodeByPod.get(key);
    if (previous !== undefined && previous !== nodeName) this.remove(key);
    let pods = this.byNode.get(nodeName);
    if (!pods) this.byNode.set(nodeName, (pods = new Map()));
    pods.set(key, pod);
    this.nodeByPod.set(key, nodeName);
  }

  /** A newer copy of a nominated pod (its requests may have changed); unknown pods are ignored. */
  refresh(pod: Pod): void {
    const nodeName = this.nodeByPod.get(podKey(pod));
    if (nodeName !== undefined) this.byNode.get(nodeName)?.set(podKey(pod), pod);
  }

  remove(key: string): void {
    const nodeName = this.nodeByPod.get(key);
    if (nodeName === undefined) return;
    this.nodeByPod.delete(key);
    const pods = this.byNode.get(nodeName);
    pods?.delete(key);
    if (pods?.size === 0) this.byNode.delete(nodeName);
  }

  podsOn(nodeName: string): Iterable<Pod> | undefined {
    return this.byNode.get(nodeName)?.values();
  }

  nodeOf(key: string): string | undefined {
    return this.nodeByPod.get(key);
  }
}
