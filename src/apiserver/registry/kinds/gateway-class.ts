// gateway.networking.k8s.io/v1 GatewayClass (cluster-scoped; status subresource, as the CRD).
import { defaultGatewayClass } from '../../../api/gateway/gateway-class-defaults.js';
import { validateGatewayClass } from '../../../api/gateway/gateway-class-validation.js';
import { gatewayClassTable } from '../../tables/gateway-class-table.js';
import type { ResourceStrategy } from '../strategy.js';

export const gatewayClassStrategy: ResourceStrategy = {
  info: {
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    kind: 'GatewayClass',
    listKind: 'GatewayClassList',
    resource: 'gatewayclasses',
    singular: 'gatewayclass',
    namespaced: false,
    shortNames: ['gc'],
    categories: ['gateway-api'],
    subresources: { status: true },
    tracksGeneration: true,
  },
  defaults: defaultGatewayClass,
  validate: validateGatewayClass,
  table: gatewayClassTable,
  fieldSelectors: {},
};
