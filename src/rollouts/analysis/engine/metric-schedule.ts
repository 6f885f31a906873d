// When each metric is measured next (Argo: generateMetricTasks, calculateNextReconcileTime).
//
// Worked example: interval 1m, count 3, initialDelay 30s, run started at 12:00:00.
//   12:00:00  no measurement yet, delay not over      -> wait; requeue at 12:00:30
//   12:00:30  first measurement (finishes 12:00:30)   -> requeue at 12:01:30
//   12:01:30  second; 12:02:30 third; count 3 reached -> no more requeues for this metric.
// A measurement that errored is retried after 10s whatever the interval (DEFAULT_ERROR_RETRY_MS);
// an in-flight measurement waiting for data is taken up again at its resumeAt.
import { isCompletedPhase, type AnalysisRun, type Measurement, type Metric, type MetricResult } from '../analysis-types.js';
import { parseGoDuration } from '../go-duration.js';
import { isTerminating } from './assess-run.js';
import { effectiveCount } from './metric-settings.js';

export const DEFAULT_ERROR_RETRY_MS = 10_000;

export interface MetricTask {
  metric: Metric;
  /** Set when an in-flight measurement is to be resumed (or, when terminating, ended). */
  incomplete?: Measurement;
}

export function metricResult(run: AnalysisRun, name: string): MetricResult | undefined {
  return run.status?.metricResults?.find((r) => r.name === name);
}

export function lastMeasurement(run: AnalysisRun, name: string): Measurement | undefined {
  const measurements = metricResult(run, name)?.measurements ?? [];
  return measurements[measurements.length - 1];
}

const time = (text: string | undefined): number | undefined => (text === undefined ? undefined : Date.parse(text));

/** How long after `last` finished the next measurement is due. */
function intervalAfter(metric: Metric, last: Measurement): number | undefined {
  if (last.phase === 'Error') return DEFAULT_ERROR_RETRY_MS;
  if ((metric.interval ?? '') !== '') return parseGoDuration(metric.interval!);
  return undefined;
}

/** Metrics to measure now. `metrics` carry resolved args; `specMetrics` are the run's own. */
export function generateMetricTasks(run: AnalysisRun, metrics: readonly Metric[], now: Date): MetricTask[] {
  const tasks: MetricTask[] = [];
  const terminating = isTerminating(run);
  const nowMs = now.getTime();
  for (const metric of metrics) {
    const result = metricResult(run, metric.name);
    if (result !== undefined && isCompletedPhase(result.phase)) continue;
    const last = lastMeasurement(run, metric.name);
    if (last !== undefined && last.finishedAt === undefined) {
      const resumeAt = time(last.resumeAt);
      if (!terminating && resumeAt !== undefined && resumeAt > nowMs) continue;
      tasks.push({ metric, incomplete: last });
      continue;
    }
    if (terminating) continue;
    if (last === undefined) {
      if ((metric.initialDelay ?? '') !== '') {
        const started = time(run.status?.startedAt);
        if (started === undefined || started + parseGoDuration(metric.initialDelay!) > nowMs) continue;
      }
      tasks.push({ metric });
      continue;
    }
    const count = effectiveCount(metric);
    if (count !== undefined && (result?.count ?? 0) >= count) continue;
    // Due when now is at or past finishedAt + interval. (Argo uses "strictly after", which only
    // works because real time moves on; with second-precision timestamps and an exact requeue it
    // would spin, so "not before" is used here.)
    const interval = intervalAfter(metric, last) ?? DEFAULT_ERROR_RETRY_MS;
    if (nowMs >= (time(last.finishedAt) ?? 0) + interval) tasks.push({ metric });
  }
  return tasks;
}

/** The earliest time any unfinished metric wants to be looked at again, if any. */
export function nextReconcileTime(run: AnalysisRun, metrics: readonly Metric[], now: Date): number | undefined {
  let earliest: number | undefined;
  const consider = (at: number): void => { if (earliest === undefined || at < earliest) earliest = at; };
  for (const metric of metrics) {
    const result = metricResult(run, metric.name);
    if (result !== undefined && isCompletedPhase(result.phase)) continue;
    const last = lastMeasurement(run, metric.name);
    if (last === undefined) {
      if ((metric.initialDelay ?? '') !== '') {
        consider((time(run.status?.startedAt) ?? now.getTime()) + parseGoDuration(metric.initialDelay!));
      }
      continue;
    }
    if (last.finishedAt === undefined) {
      const resumeAt = time(last.resumeAt);
      if (resumeAt !== undefined) consider(resumeAt);
      continue;
    }
    const count = effectiveCount(metric);
    if (count !== undefined && (result?.count ?? 0) >= count) continue;
    const interval = intervalAfter(metric, last);
    if (interval !== undefined) consider((time(last.finishedAt) ?? now.getTime()) + interval);
  }
  return earliest;
}
