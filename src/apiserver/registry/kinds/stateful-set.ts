// apps/v1 StatefulSet: status and scale subresources (`kubectl scale sts` gets an autoscaling/v1
// Scale, as for Deployments); generation tracks spec changes; fields of features 1.32 leaves off
// are dropped after defaulting. Short name `sts`.
import { defaultStatefulSet, initialStatefulSetStatus } from '../../../api/defaults/stateful-set.js';
import { dropDisabledStatefulSetFields } from '../../../api/defaults/stateful-set-disabled-fields.js';
import { validateStatefulSet } from '../../../api/validation/stateful-set.js';
import { statefulSetTable } from '../../tables/stateful-set-table.js';
import type { ResourceStrategy } from '../strategy.js';

export const statefulSetStrategy: ResourceStrategy = {
  info: {
    group: 'apps',
    version: 'v1',
    kind: 'StatefulSet',
    listKind: 'StatefulSetList',
    resource: 'statefulsets',
    singular: 'statefulset',
    namespaced: true,
    shortNames: ['sts'],
    categories: ['all'],
    subresources: {
      status: true,
      scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' },
    },
    tracksGeneration: true,
  },
  prepareForCreate: initialStatefulSetStatus,
  defaults: defaultStatefulSet,
  admit: dropDisabledStatefulSetFields,
  validate: validateStatefulSet,
  table: statefulSetTable,
  fieldSelectors: {},
};
