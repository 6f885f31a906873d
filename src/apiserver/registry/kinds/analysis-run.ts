// argoproj.io/v1alpha1 AnalysisRun, as Argo's CRD declares it: namespaced, short name `ar`,
// status subresource.
import { validateAnalysisRun } from '../../../api/rollouts/analysis-validation.js';
import { analysisRunTable } from '../../tables/analysis-run-table.js';
import type { ResourceStrategy } from '../strategy.js';

export const analysisRunStrategy: ResourceStrategy = {
  info: {
    group: 'argoproj.io',
    version: 'v1alpha1',
    kind: 'AnalysisRun',
    listKind: 'AnalysisRunList',
    resource: 'analysisruns',
    singular: 'analysisrun',
    namespaced: true,
    shortNames: ['ar'],
    categories: [],
    subresources: { status: true },
    tracksGeneration: true,
  },
  defaults: () => undefined,
  validate: validateAnalysisRun,
  table: analysisRunTable,
  fieldSelectors: {},
};
