// PodTopologySpread filter (whenUnsatisfiable: DoNotSchedule): placing the pod in a domain must
// not make that domain exceed the least-loaded domain by more than maxSkew.
// skew = (matching pods in the node's domain) + (1 if the pod matches its own selector) - min.
// Example, zones a/b/c holding 2/1/0 matching pods, maxSkew 1: min 0; zone a: 2+1-0 = 3 > 1 fails,
// zone b: 1+1-0 = 2 > 1 fails, zone c: 0+1-0 = 1 passes.
// Domains are those of nodes the pod could go to (nodeAffinityPolicy Honor by default) that carry
// every constraint's topology key; fewer domains than minDomains make the minimum 0.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { NodeSnapshot } from '../framework/node-snapshot.js';
import {
  SUCCESS,
  unresolvable,
  unschedulable,
  type FilterPlugin,
  type FilterResult,
  type PreResult,
} from '../framework/plugin.js';
import { countMatching, nodeHasAllKeys, nodeIncluded, selfMatches, spreadConstraints, type SpreadConstraint } from './topology-spread-constraint.js';

export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = "node(s) didn't match pod topology spread constraints (missing required label)";

interface State {
  readonly constraints: readonly SpreadConstraint[];
  /** Per constraint: topology value -> matching pods. */
  readonly counts: readonly Map<string, number>[];
  readonly minimums: readonly number[];
}

const STATE_KEY = 'PreFilterPodTopologySpread';

export class PodTopologySpreadFilter implements FilterPlugin {
  readonly name = 'PodTopologySpread';

  preFilter(pod: Pod, snapshot: NodeSnapshot, state: CycleState): PreResult {
    const constraints = spreadConstraints(pod, 'DoNotSchedule');
    if (constraints.length === 0) return 'skip';
    const namespace = pod.metadata?.namespace ?? 'default';
    const counts = constraints.map(() => new Map<string, number>());
    for (const info of snapshot.nodeInfos()) {
      if (!nodeHasAllKeys(info, constraints)) continue;
      constraints.forEach((c, i) => {
        if (!nodeIncluded(pod, info, c)) return;
        const value = info.labels[c.topologyKey] ?? '';
        const domain = counts[i];
        if (domain) domain.set(value, (domain.get(value) ?? 0) + countMatching(info, c, namespace));
      });
    }
    const minimums = constraints.map((c, i) => {
      const domain = counts[i] ?? new Map<string, number>();
      if (domain.size < c.minDomains) return 0;
      let min = Infinity;
      for (const n of domain.values()) if (n < min) min = n;
      return min === Infinity ? 0 : min;
    });
    state.write(STATE_KEY, { constraints, counts, minimums } satisfies State);
    return undefined;
  }

  filter(pod: Pod, nodeInfo: NodeInfo, state: CycleState): FilterResult {
    const s = state.read<State>(STATE_KEY);
    if (!s) return SUCCESS;
    const labels = nodeInfo.labels;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i];
      if (!c) continue;
      const value = labels[c.topologyKey];
      if (value === undefined) return unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
      const matching = s.counts[i]?.get(value) ?? 0;
      const skew = matching + (selfMatches(pod, c) ? 1 : 0) - (s.minimums[i] ?? 0);
      if (skew > c.maxSkew) return unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
    }
    return SUCCESS;
  }
}
