// argoproj.io/v1alpha1 Rollout, as Argo's CRD declares it: namespaced, short name `ro`, status
// and scale subresources (the scale reads .status.HPAReplicas and the string .status.selector).
// No API defaults: Argo's CRD has none on the spec; its controller applies them
// (RolloutDefaults in src/api/rollouts/well-known.ts).
import { validateRollout } from '../../../api/rollouts/rollout-validation.js';
import { rolloutTable } from '../../tables/rollout-table.js';
import type { ResourceStrategy } from '../strategy.js';

export const rolloutStrategy: ResourceStrategy = {
  info: {
    group: 'argoproj.io',
    version: 'v1alpha1',
    kind: 'Rollout',
    listKind: 'RolloutList',
    resource: 'rollouts',
    singular: 'rollout',
    namespaced: true,
    shortNames: ['ro'],
    categories: [],
    subresources: {
      status: true,
      scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.HPAReplicas', labelSelectorPath: 'status.selector' },
    },
    tracksGeneration: true,
  },
  defaults: () => undefined,
  validate: validateRollout,
  table: rolloutTable,
  fieldSelectors: {},
};
