// apps/v1 Deployment: status and scale subresources; generation tracks spec changes.
import { defaultDeployment } from '../../../api/defaults/deployment.js';
import { validateDeployment } from '../../../api/validation/deployment.js';
import { deploymentTable } from '../../tables/deployment-table.js';
import type { ResourceStrategy } from '../strategy.js';

export const deploymentStrategy: ResourceStrategy = {
  info: {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    listKind: 'DeploymentList',
    resource: 'deployments',
    singular: 'deployment',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: {
      status: true,
      scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' },
    },
    tracksGeneration: true,
  },
  defaults: defaultDeployment,
  validate: validateDeployment,
  table: deploymentTable,
  fieldSelectors: {},
};
