// Judging metrics and the run from their counters (Argo: analysis/analysis.go assessRunStatus,
// assessMetricStatus, assessMetricFailureInconclusiveOrError).
//
// Worked example: failureLimit 2, count 5. Measurements Failed, Successful, Failed, Failed:
// failed = 3 > failureLimit 2, so the metric is Failed and the run's message is
// `Metric "success-rate" assessed Failed due to failed (3) > failureLimit (2)`; the run stops
// taking measurements (a completed non-dry-run Failed/Error/Inconclusive metric terminates it).
import { isCompletedPhase, type AnalysisPhase, type AnalysisRun, type Metric, type MetricResult, type RunSummary } from '../analysis-types.js';
import { consecutiveErrorLimit, consecutiveSuccessLimit, effectiveCount, failureLimit, inconclusiveLimit } from './metric-settings.js';

/** Best to worst; an overall run takes the worst phase of its completed metrics. */
const PHASE_ORDER: readonly AnalysisPhase[] = ['Successful', 'Running', 'Pending', 'Inconclusive', 'Error', 'Failed'];

export function isWorse(current: AnalysisPhase, next: AnalysisPhase): boolean {
  return PHASE_ORDER.indexOf(next) > PHASE_ORDER.indexOf(current);
}

/** Explicit terminate, or a non-dry-run metric that already ended Failed, Error or Inconclusive. */
export function isTerminating(run: AnalysisRun): boolean {
  if (run.spec.terminate === true) return true;
  return (run.status?.metricResults ?? []).some((r) => r.dryRun !== true && (r.phase === 'Failed' || r.phase === 'Error' || r.phase === 'Inconclusive'));
}

/** Which limit, if any, a metric's counters have crossed (the later check wins, as in Argo). */
export function assessLimits(metric: Metric, result: MetricResult): { phase?: AnalysisPhase; message?: string } {
  let out: { phase?: AnalysisPhase; message?: string } = {};
  const failures = failureLimit(metric);
  if (failures >= 0 && (result.failed ?? 0) > failures) {
    out = { phase: 'Failed', message: `failed (${result.failed ?? 0}) > failureLimit (${failures})` };
  }
  const inconclusives = inconclusiveLimit(metric);
  if ((result.inconclusive ?? 0) > inconclusives) {
    out = { phase: 'Inconclusive', message: `inconclusive (${result.inconclusive ?? 0}) > inconclusiveLimit (${inconclusives})` };
  }
  const errors = consecutiveErrorLimit(metric);
  if ((result.consecutiveError ?? 0) > errors) {
    out = { phase: 'Error', message: `consecutiveErrors (${result.consecutiveError ?? 0}) > consecutiveErrorLimit (${errors})` };
  }
  return out;
}

export function assessMetricStatus(metric: Metric, result: MetricResult, terminating: boolean): AnalysisPhase {
  if (isCompletedPhase(result.phase)) return result.phase;
  const measurements = result.measurements ?? [];
  const last = measurements[measurements.length - 1];
  if (last === undefined) return terminating ? 'Successful' : 'Pending';
  if (!isCompletedPhase(last.phase)) return 'Running';
  const limit = assessLimits(metric, result);
  if (limit.phase !== undefined) return limit.phase;
  const successes = consecutiveSuccessLimit(metric);
  if (successes > 0 && (result.consecutiveSuccess ?? 0) >= successes) return 'Successful';
  const count = effectiveCount(metric);
  if (count !== undefined && (result.count ?? 0) >= count) {
    // Count reached without crossing a limit. With consecutiveSuccessLimit in play, not reaching
    // it is Inconclusive (when failureLimit is also active) or Failed (when it is the only gate).
    if (successes > 0) return failureLimit(metric) >= 0 ? 'Inconclusive' : 'Failed';
    return 'Successful';
  }
  return terminating ? 'Successful' : 'Running';
}

export interface MetricTransition { metric: string; phase: AnalysisPhase }

export interface RunAssessment {
  phase: AnalysisPhase;
  message: string;
  runSummary: RunSummary;
  dryRunSummary: RunSummary;
  /** Metrics that completed in this pass (for Events). */
  completed: MetricTransition[];
}

/** Update each metric's phase in `run.status.metricResults` and assess the run as a whole. */
export function assessRunStatus(run: AnalysisRun, metrics: readonly Metric[], dryRun: ReadonlySet<string>): RunAssessment {
  const terminating = isTerminating(run);
  const results = run.status?.metricResults ?? [];
  let worst: AnalysisPhase | undefined;
  let worstMessage = run.spec.terminate === true ? 'Run Terminated' : '';
  let everythingCompleted = true;
  const runSummary = { count: 0, successful: 0, failed: 0, inconclusive: 0, error: 0 };
  const dryRunSummary = { count: 0, successful: 0, failed: 0, inconclusive: 0, error: 0 };
  const completed: MetricTransition[] = [];

  for (const metric of metrics) {
    const isDry = dryRun.has(metric.name);
    const summary = isDry ? dryRunSummary : runSummary;
    summary.count++;
    const result = results.find((r) => r.name === metric.name);
    if (result === undefined) {
      everythingCompleted = false; // not started yet (initialDelay)
      continue;
    }
    const status = assessMetricStatus(metric, result, terminating);
    if (status !== result.phase) {
      if (isCompletedPhase(status)) completed.push({ metric: metric.name, phase: status });
      const last = result.measurements?.[result.measurements.length - 1];
      if (last !== undefined) setOptional(result, 'message', last.message);
      result.phase = status;
    }
    if (!isCompletedPhase(status)) {
      everythingCompleted = false;
      continue;
    }
    const limit = assessLimits(metric, result);
    const tally = limit.phase ?? 'Successful';
    if (tally === 'Error') summary.error++;
    else if (tally === 'Failed') summary.failed++;
    else if (tally === 'Inconclusive') summary.inconclusive++;
    else summary.successful++;
    if (isDry) {
      // A dry-run metric never decides the run; its verdict is only recorded on the metric.
      worst ??= 'Successful';
      if (limit.message !== undefined) result.message = `Metric assessed ${status} due to ${limit.message}`;
      continue;
    }
    if (worst === undefined || isWorse(worst, status)) {
      worst = status;
      if (limit.message !== undefined) {
        worstMessage = `Metric "${metric.name}" assessed ${status} due to ${limit.message}`;
        if ((result.message ?? '') !== '') worstMessage += `: "Error Message: ${result.message}"`;
      }
    }
  }
  const message = worstMessage.trim();
  const base = { runSummary, dryRunSummary, completed };
  if (terminating) return { ...base, phase: worst ?? 'Successful', message };
  if (!everythingCompleted || worst === undefined) return { ...base, phase: 'Running', message: '' };
  return { ...base, phase: worst, message };
}

function setOptional<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}
