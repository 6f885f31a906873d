// apps/v1 ReplicaSet: status and scale subresources; generation tracks spec changes.
import { defaultReplicaSet } from '../../../api/defaults/replica-set.js';
import { validateReplicaSet } from '../../../api/validation/replica-set.js';
import { replicaSetTable } from '../../tables/replica-set-table.js';
import type { ResourceStrategy } from '../strategy.js';
import { pathField } from './field-value.js';

export const replicaSetStrategy: ResourceStrategy = {
  info: {
    group: 'apps',
    version: 'v1',
    kind: 'ReplicaSet',
    listKind: 'ReplicaSetList',
    resource: 'replicasets',
    singular: 'replicaset',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
    subresources: {
      status: true,
      scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' },
    },
    tracksGeneration: true,
  },
  defaults: defaultReplicaSet,
  validate: validateReplicaSet,
  table: replicaSetTable,
  fieldSelectors: { 'status.replicas': pathField('status.replicas', '0') },
};
