// The argoproj.io/v1alpha1 analysis kinds as KubeObjects: listers and clients need the index
// signature that the generated interfaces of src/api/rollouts lack.
import type { KubeObject } from '../api/object.js';
import type { AnalysisRun } from '../api/rollouts/v1alpha1/analysis-run.js';
import type { AnalysisTemplate, ClusterAnalysisTemplate } from '../api/rollouts/v1alpha1/analysis-template.js';

export type AnalysisRunObject = AnalysisRun & KubeObject;
export type AnalysisTemplateObject = AnalysisTemplate & KubeObject;
export type ClusterAnalysisTemplateObject = ClusterAnalysisTemplate & KubeObject;
