// core/v1 Secret.
import { defaultSecret } from '../../../api/defaults/secret.js';
import { validateSecret } from '../../../api/validation/secret.js';
import { secretTable } from '../../tables/secret-table.js';
import type { ResourceStrategy } from '../strategy.js';
import { pathField } from './field-value.js';

export const secretStrategy: ResourceStrategy = {
  info: {
    group: '',
    version: 'v1',
    kind: 'Secret',
    listKind: 'SecretList',
    resource: 'secrets',
    singular: 'secret',
    namespaced: true,
    shortNames: [],
    categories: [],
    subresources: { status: false },
    tracksGeneration: false,
  },
  defaults: defaultSecret,
  validate: validateSecret,
  table: secretTable,
  fieldSelectors: { type: pathField('type') },
};
