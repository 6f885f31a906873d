// One measurement of one metric: ask its provider, judge the value, update the metric's counters
// (Argo: runMeasurements). Counters, as Argo keeps them:
//
//   measurement   count  successful failed inconclusive error  consecutiveError consecutiveSuccess
//   Successful     +1      +1                                   reset to 0        +1
//   Failed         +1             +1                            reset to 0        reset to 0
//   Inconclusive   +1                    +1                     reset to 0        reset to 0
//   Error                                           +1          +1                reset to 0
//   (in flight)    nothing: it is waiting for data and will be taken again at resumeAt
import { isCompletedPhase, type Measurement, type MetricResult } from '../analysis-types.js';
import { evaluateResult } from '../evaluate-result.js';
import { formatValue, toValue } from '../expression/expr-values.js';
import { configuredProviders, type MetricProviders, type ProviderMeasurement } from '../providers/metric-provider.js';
import { redact } from '../args/resolve-args.js';
import type { Clock } from '../../../lib/clock.js';
import type { MetricTask } from './metric-schedule.js';

export function formatTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface MeasureContext {
  providers: MetricProviders;
  clock: Clock;
  signal: AbortSignal;
  namespace: string;
  terminating: boolean;
  secrets: readonly string[];
}

/** The new (or resumed) measurement for a task; never throws for provider failures. */
export async function takeMeasurement(task: MetricTask, context: MeasureContext): Promise<Measurement> {
  const { metric, incomplete } = task;
  const startedAt = incomplete?.startedAt ?? formatTime(context.clock.now());
  if (incomplete !== undefined && context.terminating) {
    // A measurement still waiting for data when the run is told to stop ends as Successful.
    return { ...incomplete, phase: 'Successful', message: 'Metric Terminated', finishedAt: formatTime(context.clock.now()) };
  }
  const keys = configuredProviders(metric.provider);
  const key = keys[0];
  const provider = key === undefined ? undefined : context.providers[key];
  if (provider === undefined) {
    const message = key === undefined ? `no valid provider in metric '${metric.name}'` : `provider "${key.replace(/^plugin:/, '')}" is not supported`;
    return { phase: 'Error', message, startedAt, finishedAt: formatTime(context.clock.now()) };
  }
  let answer: ProviderMeasurement;
  try {
    answer = await provider.measure({
      metric, namespace: context.namespace, signal: context.signal, now: context.clock.now(),
      ...(incomplete?.startedAt === undefined ? {} : { startedAt: new Date(incomplete.startedAt) }),
    });
  } catch (error) {
    if (context.signal.aborted) throw error;
    const message = error instanceof Error ? error.message : String(error);
    return { phase: 'Error', message: redact(message, context.secrets), startedAt, finishedAt: formatTime(context.clock.now()) };
  }
  const now = context.clock.now();
  const measurement: Measurement = { phase: 'Running', startedAt };
  const value = toValue(answer.value);
  const display = answer.display ?? (answer.value === undefined ? undefined : formatValue(value));
  if (display !== undefined) measurement.value = display;
  if (answer.metadata !== undefined) measurement.metadata = answer.metadata;
  if (answer.phase === 'Running') {
    measurement.resumeAt = formatTime(new Date(now.getTime() + (answer.resumeAfterMs ?? 5000)));
    if (answer.message !== undefined) measurement.message = redact(answer.message, context.secrets);
    return measurement;
  }
  if (answer.phase !== undefined) {
    measurement.phase = answer.phase;
    if (answer.message !== undefined) measurement.message = answer.message;
  } else {
    const judged = evaluateResult(value, metric);
    measurement.phase = judged.phase;
    if (judged.message !== undefined) measurement.message = judged.message;
    else if (answer.message !== undefined) measurement.message = answer.message;
  }
  if (measurement.message !== undefined) measurement.message = redact(measurement.message, context.secrets);
  measurement.finishedAt = formatTime(now);
  return measurement;
}

/** Record a measurement in its metric result (appending, or replacing the resumed one). */
export function recordMeasurement(result: MetricResult, measurement: Measurement, resumed: boolean): void {
  const measurements = result.measurements ?? [];
  if (resumed && measurements.length > 0) measurements[measurements.length - 1] = measurement;
  else measurements.push(measurement);
  result.measurements = measurements;
  if (!isCompletedPhase(measurement.phase)) return;
  const bump = (key: 'count' | 'successful' | 'failed' | 'inconclusive' | 'error' | 'consecutiveError' | 'consecutiveSuccess'): void => {
    result[key] = (result[key] ?? 0) + 1;
  };
  switch (measurement.phase) {
    case 'Successful': bump('successful'); bump('count'); result.consecutiveError = 0; bump('consecutiveSuccess'); break;
    case 'Failed': bump('failed'); bump('count'); result.consecutiveError = 0; result.consecutiveSuccess = 0; break;
    case 'Inconclusive': bump('inconclusive'); bump('count'); result.consecutiveError = 0; result.consecutiveSuccess = 0; break;
    case 'Error': bump('error'); bump('consecutiveError'); result.consecutiveSuccess = 0; break;
  }
}
