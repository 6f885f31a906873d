// The fewest pods to evict from one node so that a pod fits there (upstream selectVictimsOnNode):
// 1. take every pod of lower priority off the node; if the pod still does not fit, this node
//    cannot help (the reason is the filter's, e.g. "Insufficient cpu");
// 2. put them back one at a time, most important first (higher priority, then earlier start),
//    budget-protected ones before the rest; a pod that makes the preemptor stop fitting is a
//    victim and stays off.
// Example: node 2 cpu; low-1 (1 cpu, prio 10), low-2 (1 cpu, prio 5); preemptor wants 1 cpu.
// Both off -> fits. Back low-1 (more important) -> 1 cpu used, still fits, spared. Back low-2 ->
// 2 cpu used, no longer fits -> victim. Victims: [low-2].
//
// The what-ifs change the live NodeInfo and restore it before returning (the cycle is
// synchronous). PreFilter state is the one computed for the whole cluster, so pod (anti-)affinity
// and topology spread do not notice the removed pods: preemption makes room for resources, pod
// count, and what other per-node filters check, not for affinity to victims (upstream does not
// support the latter either).
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState } from '../framework/cycle-state.js';
import { NO_PREEMPTION_VICTIMS } from '../framework/fit-error.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { NominatedPods } from '../framework/nominator.js';
import type { FilterPlugin } from '../framework/plugin.js';
import { podKey, podPriority } from '../framework/pod-key.js';
import { runFiltersWithNominated } from '../framework/run-filters.js';
import { splitByBudgetViolation, type BudgetView } from './pdb-violation.js';

export type NodeVictims =
  | { readonly kind: 'victims'; readonly nodeName: string; readonly victims: readonly Pod[]; readonly budgetViolations: number }
  | { readonly kind: 'none'; readonly reasons: readonly string[] };

export interface VictimSearch {
  readonly filters: readonly FilterPlugin[];
  readonly state: CycleState;
  readonly nominated: NominatedPods | undefined;
  readonly budgets: readonly BudgetView[];
}

function startMillis(pod: Pod): number {
  const at = Date.parse(pod.status?.startTime ?? pod.metadata?.creationTimestamp ?? '');
  return Number.isNaN(at) ? Number.MAX_SAFE_INTEGER : at;
}

/** Upstream MoreImportantPod: higher priority first, then the one that started earlier. */
export function moreImportantFirst(a: Pod, b: Pod): number {
  const byPriority = podPriority(b) - podPriority(a);
  return byPriority !== 0 ? byPriority : startMillis(a) - startMillis(b);
}

export function selectVictimsOnNode(pod: Pod, info: NodeInfo, search: VictimSearch): NodeVictims {
  const priority = podPriority(pod);
  if (!info.hasPodBelow(priority)) return { kind: 'none', reasons: [NO_PREEMPTION_VICTIMS] };
  const potential: Pod[] = [];
  for (const other of info.pods.values()) if (podPriority(other) < priority) potential.push(other);
  const fits = (): boolean => runFiltersWithNominated(search.filters, pod, info, search.state, search.nominated) === undefined;
  try {
    for (const victim of potential) info.removePod(podKey(victim));
    const failure = runFiltersWithNominated(search.filters, pod, info, search.state, search.nominated);
    if (failure) return { kind: 'none', reasons: failure.reasons };
    potential.sort(moreImportantFirst);
    const { violating, nonViolating } = splitByBudgetViolation(potential, search.budgets);
    const victims: Pod[] = [];
    let budgetViolations = 0;
    const reprieve = (candidate: Pod): boolean => {
      info.addPod(candidate);
      if (fits()) return true;
      info.removePod(podKey(candidate));
      victims.push(candidate);
      return false;
    };
    for (const candidate of violating) if (!reprieve(candidate)) budgetViolations++;
    for (const candidate of nonViolating) reprieve(candidate);
    return { kind: 'victims', nodeName: info.name, victims, budgetViolations };
  } finally {
    for (const victim of potential) if (!info.pods.has(podKey(victim))) info.addPod(victim);
  }
}
