// Running the profile's filters for one pod on one node: the first failure, or undefined when the
// node fits. With nominated pods, the node is checked as if the nominated pods of equal or higher
// priority (other than the pod itself) were already there (upstream
// RunFilterPluginsWithNominatedPods, simplified: one pass with them; upstream also runs a second
// pass without them, which only matters for pod affinity to a nominated pod).
//
// The nominated pods are added to the live NodeInfo and taken out again before returning: the
// scheduling cycle is synchronous, so nobody else sees the node in between.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState } from './cycle-state.js';
import type { NodeInfo } from './node-info.js';
import type { NominatedPods } from './nominator.js';
import type { FilterPlugin, FilterResult } from './plugin.js';
import { podKey, podPriority } from './pod-key.js';

export function runFilters(filters: readonly FilterPlugin[], pod: Pod, info: NodeInfo, state: CycleState): FilterResult | undefined {
  for (const plugin of filters) {
    const result = plugin.filter(pod, info, state);
    if (result.code !== 'Success') return result;
  }
  return undefined;
}

export function runFiltersWithNominated(
  filters: readonly FilterPlugin[], pod: Pod, info: NodeInfo, state: CycleState, nominated: NominatedPods | undefined,
): FilterResult | undefined {
  const others = nominated?.podsOn(info.name);
  if (!others) return runFilters(filters, pod, info, state);
  const self = podKey(pod);
  const priority = podPriority(pod);
  const added: string[] = [];
  for (const other of others) {
    const key = podKey(other);
    if (key === self || info.pods.has(key) || podPriority(other) < priority) continue;
    info.addPod(other);
    added.push(key);
  }
  try {
    return runFilters(filters, pod, info, state);
  } finally {
    for (const key of added) info.removePod(key);
  }
}
