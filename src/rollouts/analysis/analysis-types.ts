// The shapes the analysis engine reads and writes are the served argoproj.io/v1alpha1 kinds
// themselves (src/api/rollouts, field for field with Argo's analysis_types.go), re-exported under
// the names the engine uses, so an AnalysisRun read through the client feeds the engine as is.
// (Until the kinds existed this file declared minimal shapes of its own; H14 replaced them.)
import type { AnalysisPhase, GatewayMetric } from '../../api/rollouts/index.js';

export type {
  AnalysisPhase, AnalysisRun, AnalysisRunArgument, AnalysisRunSpec, AnalysisRunStatus, AnalysisTemplate,
  AnalysisTemplateSpec, Argument, DryRun, DurationString, FieldRef, GatewayMetric, IntOrString, Measurement,
  MeasurementRetention, Metric, MetricProvider as MetricProviderSpec, MetricResult, PrometheusMetric, RunSummary,
  SecretKeyRef, WebMetric, WebMetricHeader,
} from '../../api/rollouts/index.js';

/** The gateway statistic a `gateway` metric reads from the admin `/stats` answer. */
export type GatewayStatistic = GatewayMetric['metric'];

/** A phase that will not change any more. */
export function isCompletedPhase(phase: AnalysisPhase | undefined): boolean {
  return phase === 'Successful' || phase === 'Failed' || phase === 'Error' || phase === 'Inconclusive';
}
