// scheduling.k8s.io/v1 PriorityClass: cluster-scoped, no status, no spec (value, globalDefault,
// preemptionPolicy and description sit at the top level). The two system classes are created at
// start-up (cmd/server-command.ts); pods get their priority from a class in the pod admission
// hook (../priority/priority-admission.ts), which also keeps a second globalDefault out.
import { defaultPriorityClass } from '../../../api/defaults/priority-class.js';
import { validatePriorityClass } from '../../../api/validation/priority-class.js';
import { priorityClassTable } from '../../tables/priority-class-table.js';
import type { ResourceStrategy } from '../strategy.js';

export const priorityClassStrategy: ResourceStrategy = {
  info: {
    group: 'scheduling.k8s.io',
    version: 'v1',
    kind: 'PriorityClass',
    listKind: 'PriorityClassList',
    resource: 'priorityclasses',
    singular: 'priorityclass',
    namespaced: false,
    shortNames: ['pc'],
    categories: [],
    subresources: { status: false },
    tracksGeneration: false,
  },
  defaults: defaultPriorityClass,
  validate: validatePriorityClass,
  table: priorityClassTable,
  fieldSelectors: {},
};
