// gateway.networking.k8s.io/v1 HTTPRoute (status subresource, as the CRD).
import { defaultHTTPRoute } from '../../../api/gateway/http-route-defaults.js';
import { validateHTTPRoute } from '../../../api/gateway/http-route-validation.js';
import { httpRouteTable } from '../../tables/http-route-table.js';
import type { ResourceStrategy } from '../strategy.js';

export const httpRouteStrategy: ResourceStrategy = {
  info: {
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    kind: 'HTTPRoute',
    listKind: 'HTTPRouteList',
    resource: 'httproutes',
    singular: 'httproute',
    namespaced: true,
    shortNames: [],
    categories: ['gateway-api'],
    subresources: { status: true },
    tracksGeneration: true,
  },
  defaults: defaultHTTPRoute,
  validate: validateHTTPRoute,
  table: httpRouteTable,
  fieldSelectors: {},
};
