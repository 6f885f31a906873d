// gateway.networking.k8s.io/v1 Gateway (status subresource, as the CRD).
import { defaultGateway } from '../../../api/gateway/gateway-defaults.js';
import { validateGateway } from '../../../api/gateway/gateway-validation.js';
import { gatewayTable } from '../../tables/gateway-table.js';
import type { ResourceStrategy } from '../strategy.js';

export const gatewayStrategy: ResourceStrategy = {
  info: {
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    kind: 'Gateway',
    listKind: 'GatewayList',
    resource: 'gateways',
    singular: 'gateway',
    namespaced: true,
    shortNames: ['gtw'],
    categories: ['gateway-api'],
    subresources: { status: true },
    tracksGeneration: true,
  },
  defaults: defaultGateway,
  validate: validateGateway,
  table: gatewayTable,
  fieldSelectors: {},
};
