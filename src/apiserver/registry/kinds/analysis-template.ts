// argoproj.io/v1alpha1 AnalysisTemplate, as Argo's CRD declares it: namespaced, short name `at`,
// no subresources.
import { validateAnalysisTemplate } from '../../../api/rollouts/analysis-validation.js';
import { analysisTemplateTable } from '../../tables/analysis-template-table.js';
import type { ResourceStrategy } from '../strategy.js';

export const analysisTemplateStrategy: ResourceStrategy = {
  info: {
    group: 'argoproj.io',
    version: 'v1alpha1',
    kind: 'AnalysisTemplate',
    listKind: 'AnalysisTemplateList',
    resource: 'analysistemplates',
    singular: 'analysistemplate',
    namespaced: true,
    shortNames: ['at'],
    categories: [],
    subresources: { status: false },
    tracksGeneration: true,
  },
  defaults: () => undefined,
  validate: validateAnalysisTemplate,
  table: analysisTemplateTable,
  fieldSelectors: {},
};
