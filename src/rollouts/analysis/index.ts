// Rollout analysis: the public surface for the rollout controller and the AnalysisRun controller.
export type * from './analysis-types.js';
export { isCompletedPhase } from './analysis-types.js';
export { ArgumentError, ExpressionError, MeasurementError, MetricSpecError } from './analysis-errors.js';
export { compileExpression, evaluateCondition, type CompiledExpression } from './expression/expression.js';
export { evaluateResult, type EvaluatedPhase } from './evaluate-result.js';
export { parseGoDuration } from './go-duration.js';
export { resolveArgs, resolveMetricArgs, resolveSecretArgs, redact } from './args/resolve-args.js';
export { buildRolloutAnalysisArgs, fieldPathValue, type RolloutArgResolver } from './args/rollout-args.js';
export { analysisRunSpecFromTemplates, mergeArgs, type AnalysisRunSpecOptions } from './args/analysis-templates.js';
export { configuredProviders, GATEWAY_PLUGIN_NAME, type MeasureRequest, type MetricProvider, type MetricProviders, type ProviderMeasurement } from './providers/metric-provider.js';
export { WebMetricProvider } from './providers/web-provider.js';
export { PrometheusMetricProvider, type PrometheusProviderOptions } from './providers/prometheus-provider.js';
export { GatewayMetricProvider, gatewayMetricSpec, type GatewayProviderOptions } from './providers/gateway-provider.js';
export { findJsonPath } from './providers/json-path.js';
export {
  reconcileAnalysisRun, DEFAULT_MEASUREMENT_HISTORY_LIMIT,
  type AnalysisEvent, type AnalysisRunReconcileResult, type ReconcileAnalysisRunOptions,
} from './engine/reconcile-analysis-run.js';
export { isTerminating, isWorse } from './engine/assess-run.js';
export { effectiveCount, validateMetrics, DEFAULT_CONSECUTIVE_ERROR_LIMIT } from './engine/metric-settings.js';
