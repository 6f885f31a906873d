// gateway.networking.k8s.io/v1 ReferenceGrant (no status).
import { validateReferenceGrant } from '../../../api/gateway/reference-grant-validation.js';
import { referenceGrantTable } from '../../tables/reference-grant-table.js';
import type { ResourceStrategy } from '../strategy.js';

export const referenceGrantStrategy: ResourceStrategy = {
  info: {
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    kind: 'ReferenceGrant',
    listKind: 'ReferenceGrantList',
    resource: 'referencegrants',
    singular: 'referencegrant',
    namespaced: true,
    shortNames: ['refgrant'],
    categories: ['gateway-api'],
    subresources: { status: false },
    tracksGeneration: true,
  },
  defaults(): void {
    // The CRD declares no defaults.
  },
  validate: validateReferenceGrant,
  table: referenceGrantTable,
  fieldSelectors: {},
};
