// policy/v1 PodDisruptionBudget: status subresource (the disruption controller and pods/eviction
// write it); generation tracks spec changes so status.observedGeneration means something.
import { defaultPodDisruptionBudget } from '../../../api/defaults/pod-disruption-budget.js';
import { validatePodDisruptionBudget } from '../../../api/validation/pod-disruption-budget.js';
import { podDisruptionBudgetTable } from '../../tables/pod-disruption-budget-table.js';
import type { ResourceStrategy } from '../strategy.js';

export const podDisruptionBudgetStrategy: ResourceStrategy = {
  info: {
    group: 'policy',
    version: 'v1',
    kind: 'PodDisruptionBudget',
    listKind: 'PodDisruptionBudgetList',
    resource: 'poddisruptionbudgets',
    singular: 'poddisruptionbudget',
    namespaced: true,
    shortNames: ['pdb'],
    categories: [],
    subresources: { status: true },
    tracksGeneration: true,
  },
  defaults: defaultPodDisruptionBudget,
  validate: validatePodDisruptionBudget,
  table: podDisruptionBudgetTable,
  fieldSelectors: {},
};
