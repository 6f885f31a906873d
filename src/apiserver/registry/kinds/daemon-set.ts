// apps/v1 DaemonSet: status subresource (the DaemonSet controller writes it); generation tracks
// spec changes, and the server keeps the template-generation annotation as upstream does
// (../../../api/defaults/daemon-set-template-generation.ts). Short name `ds`.
import { defaultDaemonSet, initialDaemonSetStatus } from '../../../api/defaults/daemon-set.js';
import { stampTemplateGeneration } from '../../../api/defaults/daemon-set-template-generation.js';
import { validateDaemonSet } from '../../../api/validation/daemon-set.js';
import { daemonSetTable } from '../../tables/daemon-set-table.js';
import type { ResourceStrategy } from '../strategy.js';

export const daemonSetStrategy: ResourceStrategy = {
  info: {
    group: 'apps',
    version: 'v1',
    kind: 'DaemonSet',
    listKind: 'DaemonSetList',
    resource: 'daemonsets',
    singular: 'daemonset',
    namespaced: true,
    shortNames: ['ds'],
    categories: ['all'],
    subresources: { status: true },
    tracksGeneration: true,
  },
  prepareForCreate: initialDaemonSetStatus,
  defaults: defaultDaemonSet,
  admit: stampTemplateGeneration,
  validate: validateDaemonSet,
  table: daemonSetTable,
  fieldSelectors: {},
};
