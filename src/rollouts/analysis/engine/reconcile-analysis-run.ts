// The AnalysisRun engine: one pass of Argo's reconcileAnalysisRun as a function of the run, the
// providers and the clock. It takes the measurements that are due, judges them, and returns the
// new status plus when to look again; the controller (elsewhere) writes the status through the
// status subresource, emits the events and requeues. Nothing here touches the API.
//
// Worked example (count 3, interval 1m, failureLimit 1, successCondition `result >= 0.99`):
//   t=0s    0.995 -> Successful  (count 1)                 phase Running, requeue 60s
//   t=60s   0.97  -> Failed      (count 2, failed 1)       1 > 1? no -> Running, requeue 60s
//   t=120s  0.98  -> Failed      (count 3, failed 2)       2 > 1 -> metric Failed -> run Failed,
//           message `Metric "success-rate" assessed Failed due to failed (2) > failureLimit (1)`.
import type { Clock } from '../../../lib/clock.js';
import { ArgumentError, MetricSpecError } from '../analysis-errors.js';
import { isCompletedPhase, type AnalysisRun, type AnalysisRunStatus, type Argument, type Metric, type MetricResult } from '../analysis-types.js';
import { redact, resolveMetricArgs, resolveSecretArgs } from '../args/resolve-args.js';
import { configuredProviders, type MetricProviders } from '../providers/metric-provider.js';
import { assessRunStatus, isTerminating } from './assess-run.js';
import { validateMetrics } from './metric-settings.js';
import { generateMetricTasks, metricResult, nextReconcileTime } from './metric-schedule.js';
import { formatTime, recordMeasurement, takeMeasurement } from './take-measurement.js';

/** Argo's DefaultMeasurementHistoryLimit: measurements kept per metric unless measurementRetention says otherwise. */
export const DEFAULT_MEASUREMENT_HISTORY_LIMIT = 10;

export interface AnalysisEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface ReconcileAnalysisRunOptions {
  run: AnalysisRun;
  providers: MetricProviders;
  clock: Clock;
  signal: AbortSignal;
  /** Reads `secretKeyRef` args (through the client); without it such args are an Error. */
  lookupSecret?: (name: string, key: string) => Promise<string | undefined>;
}

export interface AnalysisRunReconcileResult {
  status: AnalysisRunStatus;
  /** Set while the run is not complete and something is scheduled. */
  requeueAfterMs?: number;
  /** Events to record on the AnalysisRun (metric and run completions). */
  events: AnalysisEvent[];
}

export async function reconcileAnalysisRun(options: ReconcileAnalysisRunOptions): Promise<AnalysisRunReconcileResult> {
  const { clock, providers, signal } = options;
  if (isCompletedPhase(options.run.status?.phase)) return { status: options.run.status ?? {}, events: [] };
  const run = structuredClone(options.run);
  const status: AnalysisRunStatus = run.status ?? {};
  run.status = status;
  status.metricResults ??= [];
  const events: AnalysisEvent[] = [];
  const fail = (message: string): AnalysisRunReconcileResult => {
    status.phase = 'Error';
    status.message = message;
    events.push(completionEvent('Error'));
    return { status, events };
  };

  // Resolve args once without secret values, to schedule and validate (Argo does the same).
  const placeholderArgs: Argument[] = (run.spec.args ?? []).map((a) => a.valueFrom?.secretKeyRef !== undefined ? { name: a.name, value: 'temp-for-secret' } : a);
  let metrics: Metric[];
  try {
    metrics = run.spec.metrics.map((m) => resolveMetricArgs(m, placeholderArgs));
  } catch (error) {
    if (error instanceof ArgumentError) return fail(`Unable to resolve metric arguments: ${error.message}`);
    throw error;
  }
  let dryRun: Set<string>;
  let retention: Map<string, number>;
  try {
    validateMetrics(metrics);
    dryRun = new Set(matchRules('dryRun', (run.spec.dryRun ?? []).map((d) => d.metricName), metrics).keys());
    const limits = run.spec.measurementRetention ?? [];
    retention = new Map([...matchRules('measurementRetention', limits.map((r) => r.metricName), metrics)].map(([name, i]) => [name, limits[i]!.limit]));
  } catch (error) {
    if (error instanceof MetricSpecError) return fail(`Analysis spec invalid: ${error.message}`);
    throw error;
  }

  const now = clock.now();
  const tasks = generateMetricTasks(run, metrics, now);
  if (tasks.length > 0) {
    let secrets: string[];
    let realArgs: Argument[];
    try {
      ({ args: realArgs, secrets } = await resolveSecretArgs(run.spec.args ?? [], options.lookupSecret));
      for (const task of tasks) {
        const spec = run.spec.metrics.find((m) => m.name === task.metric.name)!;
        task.metric = resolveMetricArgs(spec, realArgs);
      }
    } catch (error) {
      if (error instanceof ArgumentError) return fail(`Unable to resolve metric arguments: ${error.message}`);
      throw error;
    }
    const context = { providers, clock, signal, namespace: run.metadata?.namespace ?? 'default', terminating: isTerminating(run), secrets };
    const taken = await Promise.all(tasks.map((task) => takeMeasurement(task, context)));
    tasks.forEach((task, i) => {
      let result = metricResult(run, task.metric.name);
      if (result === undefined) {
        result = { name: task.metric.name, phase: 'Running' };
        if (dryRun.has(task.metric.name)) result.dryRun = true;
        const provider = providers[configuredProviders(task.metric.provider)[0] ?? ''];
        const metadata = provider?.metricMetadata?.(task.metric);
        if (metadata !== undefined) result.metadata = Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, redact(v, secrets)]));
        status.metricResults!.push(result);
      }
      recordMeasurement(result, taken[i]!, task.incomplete !== undefined);
    });
  }

  status.startedAt ??= formatTime(now);
  const assessment = assessRunStatus(run, metrics, dryRun);
  status.runSummary = assessment.runSummary;
  status.dryRunSummary = assessment.dryRunSummary;
  for (const { metric, phase } of assessment.completed) {
    events.push({ type: warning(phase) ? 'Warning' : 'Normal', reason: `Metric${phase}`, message: `Metric '${metric}' Completed. Result: ${phase}` });
  }
  if (assessment.phase !== status.phase) {
    status.phase = assessment.phase;
    if (assessment.message === '') delete status.message;
    else status.message = assessment.message;
    if (isCompletedPhase(assessment.phase)) {
      events.push(completionEvent(assessment.phase));
      status.completedAt ??= formatTime(clock.now());
    }
  }
  trimMeasurements(status.metricResults, retention);

  const out: AnalysisRunReconcileResult = { status, events };
  if (!isCompletedPhase(status.phase)) {
    const next = nextReconcileTime(run, metrics, now);
    if (next !== undefined) out.requeueAfterMs = Math.max(0, next - clock.now().getTime());
  }
  return out;
}

const warning = (phase: string): boolean => phase === 'Error' || phase === 'Failed';

function completionEvent(phase: string): AnalysisEvent {
  return { type: warning(phase) ? 'Warning' : 'Normal', reason: `AnalysisRun${phase}`, message: `Analysis Completed. Result: ${phase}` };
}

/**
 * Metric names matched by each rule's regular expression (unanchored, as Go's MatchString:
 * `.*` matches all, `error` matches `error-rate`), mapped to the index of the last matching rule.
 * A rule that matches nothing is a spec error.
 */
function matchRules(field: string, patterns: readonly string[], metrics: readonly Metric[]): Map<string, number> {
  const matched = new Map<string, number>();
  patterns.forEach((pattern, i) => {
    let re: RegExp | undefined;
    try { re = new RegExp(pattern); } catch { re = undefined; }
    const names = re === undefined ? [] : metrics.filter((m) => re.test(m.name)).map((m) => m.name);
    if (names.length === 0) throw new MetricSpecError(`${field}[${i}]: Rule didn't match any metric name(s)`);
    for (const name of names) matched.set(name, i);
  });
  return matched;
}

/** Keep the newest measurements: 10 per metric, or the metric's measurementRetention limit. */
function trimMeasurements(results: MetricResult[], retention: ReadonlyMap<string, number>): void {
  for (const result of results) {
    const configured = retention.get(result.name);
    const limit = configured !== undefined && configured > 0 ? configured : DEFAULT_MEASUREMENT_HISTORY_LIMIT;
    const measurements = result.measurements ?? [];
    if (measurements.length > limit) result.measurements = measurements.slice(measurements.length - limit);
  }
}
