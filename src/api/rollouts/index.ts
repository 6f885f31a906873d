// The Argo Rollouts kinds (argoproj.io/v1alpha1) as k8ts serves them. Component boundary: import
// from here, not from the files under v1alpha1/.
export type * from './v1alpha1/analysis-shared.js';
export type * from './v1alpha1/metric.js';
export type * from './v1alpha1/analysis-template.js';
export type * from './v1alpha1/analysis-run.js';
export type * from './v1alpha1/rollout-shared.js';
export type * from './v1alpha1/canary-strategy.js';
export type * from './v1alpha1/blue-green-strategy.js';
export type * from './v1alpha1/rollout.js';
export type * from './v1alpha1/rollout-status.js';
export * from './well-known.js';
export * from './gateway-api-plugin.js';
export { currentCanaryStep, currentSetWeight } from './canary-step.js';
export { goDurationSeconds, pauseDurationSeconds } from './pause-duration.js';
export { RolloutMessage } from './rollout-messages.js';
export { validateRollout, validateRolloutSpec } from './rollout-validation.js';
export { validateAnalysisRun, validateAnalysisTemplate, validateClusterAnalysisTemplate } from './analysis-validation.js';
