// core/v1 ServiceAccount.
import { defaultServiceAccount } from '../../../api/defaults/service-account.js';
import { validateServiceAccount } from '../../../api/validation/service-account.js';
import { serviceAccountTable } from '../../tables/service-account-table.js';
import type { ResourceStrategy } from '../strategy.js';

export const serviceAccountStrategy: ResourceStrategy = {
  info: {
    group: '',
    version: 'v1',
    kind: 'ServiceAccount',
    listKind: 'ServiceAccountList',
    resource: 'serviceaccounts',
    singular: 'serviceaccount',
    namespaced: true,
    shortNames: ['sa'],
    categories: [],
    subresources: { status: false },
    tracksGeneration: false,
  },
  defaults: defaultServiceAccount,
  validate: validateServiceAccount,
  table: serviceAccountTable,
  fieldSelectors: {},
};
