// core/v1 Node (cluster-scoped). A node agent registers its node with status filled in, so a
// create keeps the status it was given.
import { defaultNode } from '../../../api/defaults/node.js';
import { validateNode } from '../../../api/validation/node.js';
import { nodeTable } from '../../tables/node-table.js';
import type { ResourceStrategy } from '../strategy.js';
import { pathField } from './field-value.js';

export const nodeStrategy: ResourceStrategy = {
  info: {
    group: '',
    version: 'v1',
    kind: 'Node',
    listKind: 'NodeList',
    resource: 'nodes',
    singular: 'node',
    namespaced: false,
    shortNames: ['no'],
    categories: [],
    subresources: { status: true },
    tracksGeneration: false,
  },
  defaults: defaultNode,
  validate: validateNode,
  keepsStatusOnCreate: true,
  table: nodeTable,
  fieldSelectors: { 'spec.unschedulable': pathField('spec.unschedulable', 'false') },
};
