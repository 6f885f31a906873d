// discovery.k8s.io/v1 EndpointSlice.
import { defaultEndpointSlice } from '../../../api/defaults/endpoint-slice.js';
import { validateEndpointSlice } from '../../../api/validation/endpoint-slice.js';
import { endpointSliceTable } from '../../tables/endpoint-slice-table.js';
import type { ResourceStrategy } from '../strategy.js';

export const endpointSliceStrategy: ResourceStrategy = {
  info: {
    group: 'discovery.k8s.io',
    version: 'v1',
    kind: 'EndpointSlice',
    listKind: 'EndpointSliceList',
    resource: 'endpointslices',
    singular: 'endpointslice',
    namespaced: true,
    shortNames: [],
    categories: [],
    subresources: { status: false },
    tracksGeneration: true,
  },
  defaults: defaultEndpointSlice,
  validate: validateEndpointSlice,
  table: endpointSliceTable,
  fieldSelectors: {},
};
