// What a Rollout needs from an AnalysisRun to take and explain a decision: the run's phase and,
// per metric, the last value and the condition it was judged by (issue 6: "every decision recorded
// with the metric values and thresholds behind it").
//
// Example: a run Failed with metric success-rate {successCondition: "result[0] >= {{args.min}}",
// args min=0.95, failureLimit 1, failed 2, last value "[0.91]"} gives
//   {name: 'ro-abc-2-1', phase: 'Failed', message: 'Metric "success-rate" assessed Failed due to ...',
//    metrics: [{name: 'success-rate', phase: 'Failed', value: '[0.91]',
//               condition: 'result[0] >= 0.95', message: 'failed (2) > failureLimit (1)'}]}
import type { AnalysisPhase } from '../api/rollouts/v1alpha1/analysis-shared.js';
import type { DecisionMetric } from '../api/rollouts/v1alpha1/rollout-status.js';
import { resolveArgs } from './analysis/index.js';
import { assessLimits } from './analysis/engine/assess-run.js';
import type { AnalysisRunObject } from './analysis-objects.js';

export interface AnalysisRunOutcome {
  readonly name: string;
  /** `Pending` until the AnalysisRun controller has looked at the run. */
  readonly phase: AnalysisPhase;
  readonly message?: string;
  /** One entry per metric, in spec order; dry-run metrics say so in their message. */
  readonly metrics: DecisionMetric[];
}

export function analysisRunResult(run: AnalysisRunObject): AnalysisRunOutcome {
  const status = run.status ?? {};
  const args = (run.spec.args ?? []).filter((a) => a.value !== undefined);
  const metrics = run.spec.metrics.map((metric): DecisionMetric => {
    const result = status.metricResults?.find((r) => r.name === metric.name);
    const out: DecisionMetric = { name: metric.name, phase: result?.phase ?? 'Pending' };
    const measurements = result?.measurements ?? [];
    const last = measurements[measurements.length - 1];
    if (last?.value !== undefined) out.value = last.value;
    const condition = judgedBy(metric.successCondition, metric.failureCondition, result?.phase);
    if (condition !== undefined) out.condition = substitute(condition, args);
    const limit = result === undefined ? undefined : assessLimits(metric, result).message;
    const message = limit ?? result?.message ?? last?.message;
    const dryRun = result?.dryRun === true ? 'dry-run' : undefined;
    const text = [dryRun, message].filter((m) => m !== undefined && m !== '').join(': ');
    if (text !== '') out.message = text;
    return out;
  });
  return {
    name: run.metadata?.name ?? '',
    phase: status.phase ?? 'Pending',
    ...(status.message !== undefined && status.message !== '' ? { message: status.message } : {}),
    metrics,
  };
}

/**
 * The condition that explains the metric's phase: a Failed metric with a failureCondition failed
 * by it; otherwise the successCondition is what it was held to. With neither, Argo counts any
 * value as Successful, and there is nothing to show.
 */
function judgedBy(success: string | undefined, failure: string | undefined, phase: AnalysisPhase | undefined): string | undefined {
  const has = (c: string | undefined): c is string => c !== undefined && c !== '';
  if (phase === 'Failed' && has(failure)) return failure;
  if (has(success)) return success;
  return has(failure) ? `not (${failure})` : undefined;
}

/** `{{args.x}}` replaced by the run's (non-secret) values, so thresholds read as numbers. */
function substitute(text: string, args: readonly { name: string; value?: string }[]): string {
  try {
    return resolveArgs(text, args);
  } catch {
    return text;
  }
}
