// core/v1 ConfigMap.
import { defaultConfigMap } from '../../../api/defaults/config-map.js';
import { validateConfigMap } from '../../../api/validation/config-map.js';
import { configMapTable } from '../../tables/config-map-table.js';
import type { ResourceStrategy } from '../strategy.js';

export const configMapStrategy: ResourceStrategy = {
  info: {
    group: '',
    version: 'v1',
    kind: 'ConfigMap',
    listKind: 'ConfigMapList',
    resource: 'configmaps',
    singular: 'configmap',
    namespaced: true,
    shortNames: ['cm'],
    categories: [],
    subresources: { status: false },
    tracksGeneration: false,
  },
  defaults: defaultConfigMap,
  validate: validateConfigMap,
  table: configMapTable,
  fieldSelectors: {},
};
