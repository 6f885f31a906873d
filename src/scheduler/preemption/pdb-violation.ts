// Which potential victims a PodDisruptionBudget protects (upstream filterPodsWithPDBViolation).
// Walking the victims in order, each one a budget selects uses up one of its disruptionsAllowed;
// a victim that drives some budget below zero is "violating". Preemption prefers nodes with fewer
// violating victims and tries to spare violating ones first, but still evicts them when nothing
// else makes room: budgets are honoured where possible, not guaranteed (as upstream).
// Example: budget allows 1, victims [a, b] both selected -> a non-violating (1 -> 0), b violating.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { labelSelectorFromObject, matchesLabels, selectsEverything, type LabelSelectorRequirementSet } from '../../api/selectors/label-selector.js';

export interface BudgetView {
  readonly namespace: string;
  readonly selector: LabelSelectorRequirementSet;
  readonly allowed: number;
  /** Pods the API server already counted as disrupted (pods/eviction in flight). */
  readonly disrupted: ReadonlySet<string>;
}

/** Budgets with a usable selector; an empty or invalid one selects nothing here (as upstream). */
export function budgetViews(pdbs: readonly PodDisruptionBudget[]): BudgetView[] {
  const views: BudgetView[] = [];
  for (const pdb of pdbs) {
    let selector: LabelSelectorRequirementSet;
    try {
      selector = labelSelectorFromObject(pdb.spec?.selector);
    } catch {
      continue;
    }
    if (selector.matchesNothing || selectsEverything(selector)) continue;
    views.push({
      namespace: pdb.metadata?.namespace ?? 'default',
      selector,
      allowed: pdb.status?.disruptionsAllowed ?? 0,
      disrupted: new Set(Object.keys(pdb.status?.disruptedPods ?? {})),
    });
  }
  return views;
}

export function splitByBudgetViolation(victims: readonly Pod[], budgets: readonly BudgetView[]): { violating: Pod[]; nonViolating: Pod[] } {
  const left = budgets.map((b) => b.allowed);
  const violating: Pod[] = [];
  const nonViolating: Pod[] = [];
  for (const pod of victims) {
    const labels = pod.metadata?.labels;
    let violates = false;
    if (labels && Object.keys(labels).length > 0) {
      budgets.forEach((budget, i) => {
        if (budget.namespace !== (pod.metadata?.namespace ?? 'default') || !matchesLabels(budget.selector, labels)) return;
        if (budget.disrupted.has(pod.metadata?.name ?? '')) return;
        const remaining = (left[i] ?? 0) - 1;
        left[i] = remaining;
        if (remaining < 0) violates = true;
      });
    }
    (violates ? violating : nonViolating).push(pod);
  }
  return { violating, nonViolating };
}
