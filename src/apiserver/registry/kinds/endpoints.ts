// core/v1 Endpoints (written by the endpoints controller; deprecated upstream in favour of EndpointSlices).
import { defaultEndpoints } from '../../../api/defaults/endpoints.js';
import { validateEndpoints } from '../../../api/validation/endpoints.js';
import { endpointsTable } from '../../tables/endpoints-table.js';
import type { ResourceStrategy } from '../strategy.js';

export const endpointsStrategy: ResourceStrategy = {
  info: {
    group: '',
    version: 'v1',
    kind: 'Endpoints',
    listKind: 'EndpointsList',
    resource: 'endpoints',
    singular: 'endpoints',
    namespaced: true,
    shortNames: ['ep'],
    categories: [],
    subresources: { status: false },
    tracksGeneration: false,
  },
  defaults: defaultEndpoints,
  validate: validateEndpoints,
  table: endpointsTable,
  fieldSelectors: {},
};
