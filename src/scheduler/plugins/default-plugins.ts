// The default profile: upstream's filter order (cheap, decisive checks first) and score weights
// (TaintToleration 3, NodeAffinity 2, PodTopologySpread 2, NodeResourcesFit 1,
// NodeResourcesBalancedAllocation 1).
import type { NamespaceLabels } from '../framework/pod-affinity-term.js';
import type { FilterPlugin, ScorePlugin } from '../framework/plugin.js';
import { InterPodAffinityFilter } from './inter-pod-affinity.js';
import { NodeAffinityFilter, NodeAffinityScore } from './node-affinity.js';
import { NodeNameFilter } from './node-name.js';
import { NodeResourcesBalancedAllocation } from './node-resources-balanced-allocation.js';
import { NodeResourcesFitFilter } from './node-resources-fit.js';
import { NodeResourcesLeastAllocated } from './node-resources-least-allocated.js';
import { NodeUnschedulableFilter } from './node-unschedulable.js';
import { PodTopologySpreadFilter } from './pod-topology-spread-filter.js';
import { PodTopologySpreadScore } from './pod-topology-spread-score.js';
import { TaintTolerationFilter, TaintTolerationScore } from './taint-toleration.js';

export interface SchedulerProfile {
  readonly filters: readonly FilterPlugin[];
  readonly scores: readonly ScorePlugin[];
}

export function defaultProfile(options: { namespaceLabels?: NamespaceLabels } = {}): SchedulerProfile {
  return {
    filters: [
      new NodeUnschedulableFilter(),
      new NodeNameFilter(),
      new TaintTolerationFilter(),
      new NodeAffinityFilter(),
      new NodeResourcesFitFilter(),
      new PodTopologySpreadFilter(),
      new InterPodAffinityFilter(options.namespaceLabels ? { namespaceLabels: options.namespaceLabels } : {}),
    ],
    scores: [
      new TaintTolerationScore(),
      new NodeAffinityScore(),
      new PodTopologySpreadScore(),
      new NodeResourcesLeastAllocated(),
      new NodeResourcesBalancedAllocation(),
    ],
  };
}
