// PodTopologySpread score: ScheduleAnyway constraints, or — for a pod with no constraints of its
// own — the default soft spread (its owner's pods across hostnames, maxSkew 3, and zones,
// maxSkew 5). Fewer matching pods in a node's domain is better.
// Raw score per node = sum over constraints of count * log(domains + 2) + (maxSkew - 1); then
// normalised as upstream: score = 100 * (max + min - raw) / max, so the emptiest domain gets 100.
// Example (hostname only, maxSkew 1, 3 nodes holding 0/1/2 replicas): weight log(5) = 1.609, raw
// 0, 2, 3 (rounded) -> normalised 100, 33, 0.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { NodeSnapshot } from '../framework/node-snapshot.js';
import { MAX_NODE_SCORE, type PreResult, type ScorePlugin } from '../framework/plugin.js';
import {
  countMatching,
  defaultSpreadConstraints,
  LABEL_HOSTNAME,
  nodeHasAllKeys,
  nodeIncluded,
  spreadConstraints,
  type SpreadConstraint,
} from './topology-spread-constraint.js';

interface State {
  readonly constraints: readonly SpreadConstraint[];
  readonly requireAllTopologies: boolean;
  readonly ignored: ReadonlySet<NodeInfo>;
  /** Per constraint (non-hostname keys): topology value -> matching pods over all nodes. */
  readonly counts: readonly Map<string, number>[];
  readonly weights: readonly number[];
  readonly namespace: string;
}

const STATE_KEY = 'PreScorePodTopologySpread';

export class PodTopologySpreadScore implements ScorePlugin {
  readonly name = 'PodTopologySpread';
  readonly weight: number;

  constructor(options: { weight?: number } = {}) {
    this.weight = options.weight ?? 2;
  }

  preScore(pod: Pod, feasible: readonly NodeInfo[], snapshot: NodeSnapshot, state: CycleState): PreResult {
    const explicit = (pod.spec?.topologySpreadConstraints?.length ?? 0) > 0;
    const requireAllTopologies = explicit;
    let constraints = explicit ? spreadConstraints(pod, 'ScheduleAnyway') : defaultSpreadConstraints(pod);
    if (!requireAllTopologies) {
      // Default constraints whose key no candidate node carries cannot tell nodes apart: drop them
      // (this skips the all-nodes zone count on clusters without zones).
      constraints = constraints.filter((c) => feasible.some((n) => n.labels[c.topologyKey] !== undefined));
    }
    if (constraints.length === 0) return 'skip';
    const ignored = new Set<NodeInfo>();
    const counts = constraints.map(() => new Map<string, number>());
    // Only non-hostname domains are counted, and only explicit constraints ignore nodes.
    const needsDomains = requireAllTopologies || constraints.some((c) => c.topologyKey !== LABEL_HOSTNAME);
    for (const info of needsDomains ? feasible : []) {
      if (requireAllTopologies && !nodeHasAllKeys(info, constraints)) {
        ignored.add(info);
        continue;
      }
      constraints.forEach((c, i) => {
        const value = info.labels[c.topologyKey];
        if (c.topologyKey !== LABEL_HOSTNAME && value !== undefined) counts[i]?.set(value, 0);
      });
    }
    const namespace = pod.metadata?.namespace ?? 'default';
    if (constraints.some((c) => c.topologyKey !== LABEL_HOSTNAME)) {
      for (const info of snapshot.nodeInfos()) {
        if (requireAllTopologies && !nodeHasAllKeys(info, constraints)) continue;
        constraints.forEach((c, i) => {
          if (c.topologyKey === LABEL_HOSTNAME) return;
          const value = info.labels[c.topologyKey];
          const domain = counts[i];
          if (value === undefined || !domain?.has(value) || !nodeIncluded(pod, info, c)) return;
          domain.set(value, (domain.get(value) ?? 0) + countMatching(info, c, namespace));
        });
      }
    }
    const weights = constraints.map((c, i) => {
      const size = c.topologyKey === LABEL_HOSTNAME ? feasible.length - ignored.size : (counts[i]?.size ?? 0);
      return Math.log(size + 2);
    });
    state.write(STATE_KEY, { constraints, requireAllTopologies, ignored, counts, weights, namespace } satisfies State);
    return undefined;
  }

  score(_pod: Pod, nodeInfo: NodeInfo, state: CycleState): number {
    const s = state.read<State>(STATE_KEY);
    if (!s || (s.ignored.size > 0 && s.ignored.has(nodeInfo))) return 0;
    const namespace = s.namespace;
    const labels = nodeInfo.labels;
    let score = 0;
    // A plain loop: this runs for every candidate node of every pod.
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i] as SpreadConstraint;
      const value = labels[c.topologyKey];
      if (value === undefined) continue;
      const count = c.topologyKey === LABEL_HOSTNAME ? countMatching(nodeInfo, c, namespace) : (s.counts[i]?.get(value) ?? 0);
      score += count * (s.weights[i] ?? 1) + (c.maxSkew - 1);
    }
    return Math.round(score);
  }

  normalize(_pod: Pod, scores: number[], feasible: readonly NodeInfo[], state: CycleState): void {
    const s = state.read<State>(STATE_KEY);
    if (!s) return;
    const skip = s.ignored.size > 0 ? s.ignored : undefined;
    let min = Infinity;
    let max = 0;
    for (let i = 0; i < feasible.length; i++) {
      if (skip?.has(feasible[i] as NodeInfo)) continue;
      const score = scores[i] ?? 0;
      if (score < min) min = score;
      if (score > max) max = score;
    }
    for (let i = 0; i < feasible.length; i++) {
      if (skip?.has(feasible[i] as NodeInfo)) scores[i] = 0;
      else if (max === 0) scores[i] = MAX_NODE_SCORE;
      else scores[i] = Math.trunc((MAX_NODE_SCORE * (max + min - (scores[i] ?? 0))) / max);
    }
  }
}
