// apps/v1 ControllerRevision: the history DaemonSets and StatefulSets keep of their pod templates
// (`kubectl rollout history|undo` read it). No status, no generation, no short name, and not in
// the `all` category, as upstream.
import { defaultControllerRevision } from '../../../api/defaults/controller-revision.js';
import { validateControllerRevision } from '../../../api/validation/controller-revision.js';
import { controllerRevisionTable } from '../../tables/controller-revision-table.js';
import type { ResourceStrategy } from '../strategy.js';

export const controllerRevisionStrategy: ResourceStrategy = {
  info: {
    group: 'apps',
    version: 'v1',
    kind: 'ControllerRevision',
    listKind: 'ControllerRevisionList',
    resource: 'controllerrevisions',
    singular: 'controllerrevision',
    namespaced: true,
    shortNames: [],
    categories: [],
    subresources: { status: false },
    tracksGeneration: false,
  },
  defaults: defaultControllerRevision,
  validate: validateControllerRevision,
  table: controllerRevisionTable,
  fieldSelectors: {},
};
