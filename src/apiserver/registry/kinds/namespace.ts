// core/v1 Namespace (cluster-scoped). Its phase and `kubernetes` finalizer come from defaulting.
import { defaultNamespace } from '../../../api/defaults/namespace.js';
import { validateNamespace } from '../../../api/validation/namespace.js';
import { namespaceTable } from '../../tables/namespace-table.js';
import type { ResourceStrategy } from '../strategy.js';
import { pathField } from './field-value.js';

export const namespaceStrategy: ResourceStrategy = {
  info: {
    group: '',
    version: 'v1',
    kind: 'Namespace',
    listKind: 'NamespaceList',
    resource: 'namespaces',
    singular: 'namespace',
    namespaced: false,
    shortNames: ['ns'],
    categories: [],
    subresources: { status: true },
    tracksGeneration: false,
  },
  defaults: defaultNamespace,
  validate: validateNamespace,
  table: namespaceTable,
  fieldSelectors: {
    'status.phase': pathField('status.phase'),
    // Upstream keeps this non-prefixed alias of metadata.name for backward compatibility.
    name: pathField('metadata.name'),
  },
};
