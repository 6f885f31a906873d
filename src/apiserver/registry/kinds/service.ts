// core/v1 Service. Cluster IP and node port allocation are not part of the strategy: they need the
// store, so they run as write hooks (service-allocation/service-write-hooks.ts) wired in cmd/.
import { admitService, defaultService } from '../../../api/defaults/service.js';
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
  admit: admitService,
  validate: validateService,
  table: serviceTable,
  fieldSelectors: {},
};
