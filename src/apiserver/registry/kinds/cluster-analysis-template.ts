// argoproj.io/v1alpha1 ClusterAnalysisTemplate, as Argo's CRD declares it: cluster-scoped, short
// name `cat`, no subresources.
import { validateClusterAnalysisTemplate } from '../../../api/rollouts/analysis-validation.js';
import { analysisTemplateTable } from '../../tables/analysis-template-table.js';
import type { ResourceStrategy } from '../strategy.js';

export const clusterAnalysisTemplateStrategy: ResourceStrategy = {
  info: {
    group: 'argoproj.io',
    version: 'v1alpha1',
    kind: 'ClusterAnalysisTemplate',
    listKind: 'ClusterAnalysisTemplateList',
    resource: 'clusteranalysistemplates',
    singular: 'clusteranalysistemplate',
    namespaced: false,
    shortNames: ['cat'],
    categories: [],
    subresources: { status: false },
    tracksGeneration: true,
  },
  defaults: () => undefined,
  validate: validateClusterAnalysisTemplate,
  table: analysisTemplateTable,
  fieldSelectors: {},
};
