// InterPodAffinity filter: required pod affinity and anti-affinity by any topology key (usually
// kubernetes.io/hostname, also zone or any node label), in both directions — the incoming pod's
// terms against pods already placed, and placed pods' anti-affinity terms against the incoming pod.
//
// PreFilter counts, per topology pair (key, value), the placed pods that satisfy the terms; Filter
// then only looks the node's labels up in those counts (upstream's design, O(1) per node).
// Example: web pods with anti-affinity "app=web by hostname"; web-1 runs on node-a. For web-2,
// antiAffinityCounts = {(hostname, node-a): 1}, so node-a fails and node-b passes.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { NodeSnapshot } from '../framework/node-snapshot.js';
import {
  requiredAffinityTerms,
  requiredAntiAffinityTerms,
  termMatchesPod,
  type AffinityTerm,
  type NamespaceLabels,
} from '../framework/pod-affinity-term.js';
import {
  SUCCESS,
  unresolvable,
  unschedulable,
  type FilterPlugin,
  type FilterResult,
  type PreResult,
} from '../framework/plugin.js';

export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";

type Counts = Map<string, number>;

interface State {
  readonly affinityTerms: readonly AffinityTerm[];
  readonly antiAffinityTerms: readonly AffinityTerm[];
  readonly affinityCounts: Counts;
  readonly antiAffinityCounts: Counts;
  readonly existingAntiAffinityCounts: Counts;
}

const STATE_KEY = 'PreFilterInterPodAffinity';

function pairKey(key: string, value: string): string {
  return `${key}\u0000${value}`;
}

function bump(counts: Counts, node: Node, topologyKey: string): void {
  const value = node.metadata?.labels?.[topologyKey];
  if (value === undefined) return;
  const key = pairKey(topologyKey, value);
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

export class InterPodAffinityFilter implements FilterPlugin {
  readonly name = 'InterPodAffinity';
  private readonly namespaceLabels: NamespaceLabels | undefined;

  constructor(options: { namespaceLabels?: NamespaceLabels } = {}) {
    this.namespaceLabels = options.namespaceLabels;
  }

  preFilter(pod: Pod, snapshot: NodeSnapshot, state: CycleState): PreResult {
    const affinityTerms = requiredAffinityTerms(pod);
    const antiAffinityTerms = requiredAntiAffinityTerms(pod);
    const antiNodes = snapshot.nodesWithRequiredAntiAffinityPods();
    if (affinityTerms.length === 0 && antiAffinityTerms.length === 0 && antiNodes.size === 0) return 'skip';

    const existingAntiAffinityCounts: Counts = new Map();
    for (const info of antiNodes) {
      for (const existing of info.podsWithRequiredAntiAffinity.values()) {
        for (const term of requiredAntiAffinityTerms(existing)) {
          if (termMatchesPod(term, pod, this.namespaceLabels)) bump(existingAntiAffinityCounts, info.node, term.topologyKey);
        }
      }
    }
    const affinityCounts: Counts = new Map();
    const antiAffinityCounts: Counts = new Map();
    if (affinityTerms.length > 0 || antiAffinityTerms.length > 0) {
      for (const info of snapshot.nodeInfos()) {
        for (const existing of info.pods.values()) {
          if (affinityTerms.length > 0 && affinityTerms.every((t) => termMatchesPod(t, existing, this.namespaceLabels))) {
            for (const term of affinityTerms) bump(affinityCounts, info.node, term.topologyKey);
          }
          for (const term of antiAffinityTerms) {
            if (termMatchesPod(term, existing, this.namespaceLabels)) bump(antiAffinityCounts, info.node, term.topologyKey);
          }
        }
      }
    }
    const result: State = { affinityTerms, antiAffinityTerms, affinityCounts, antiAffinityCounts, existingAntiAffinityCounts };
    state.write(STATE_KEY, result);
    return undefined;
  }

  filter(pod: Pod, nodeInfo: NodeInfo, state: CycleState): FilterResult {
    const s = state.read<State>(STATE_KEY);
    if (!s) return SUCCESS;
    const labels = nodeInfo.labels;
    if (!this.satisfiesAffinity(pod, s, labels)) return unresolvable(ERR_REASON_AFFINITY);
    for (const term of s.antiAffinityTerms) {
      const value = labels[term.topologyKey];
      if (value !== undefined && (s.antiAffinityCounts.get(pairKey(term.topologyKey, value)) ?? 0) > 0) {
        return unschedulable(ERR_REASON_ANTI_AFFINITY);
      }
    }
    if (s.existingAntiAffinityCounts.size > 0) {
      for (const [key, value] of Object.entries(labels)) {
        if ((s.existingAntiAffinityCounts.get(pairKey(key, value)) ?? 0) > 0) return unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);
      }
    }
    return SUCCESS;
  }

  private satisfiesAffinity(pod: Pod, s: State, labels: Readonly<Record<string, string>>): boolean {
    let podsExist = true;
    for (const term of s.affinityTerms) {
      const value = labels[term.topologyKey];
      // Every topology key of the terms must be a label of the node.
      if (value === undefined) return false;
      if ((s.affinityCounts.get(pairKey(term.topologyKey, value)) ?? 0) <= 0) podsExist = false;
    }
    if (podsExist) return true;
    // The first pod of a group whose members want to be together: allowed anywhere when no pod
    // matches the terms yet and the pod itself matches all of them.
    return s.affinityCounts.size === 0 && s.affinityTerms.every((t) => termMatchesPod(t, pod, this.namespaceLabels));
  }
}
