// core/v1 Service (cluster IP and node port allocation happen in the registry's service REST layer).
import { defaultService } from '../../../api/defaults/service.js';
import { validateService } from '../../../api/validation/service.js';
import { serviceTable } from '../../tables/service-table.js';
import type { ResourceStrategy } from '../strategy.js';

export const serviceStrategy: ResourceStrategy = {
  info: {
    group: '',
    version: 'v1',
    kind: 'Service',
    listKind: 'ServiceList',
    resource: 'services',
    singular: 'service',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    subresources: { status: true },
    tracksGeneration: false,
  },
  defaults: defaultService,
  validate: validateService,
  table: serviceTable,
  fieldSelectors: {},
};
