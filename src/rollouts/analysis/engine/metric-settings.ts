// A metric's numeric settings with Argo's defaults, and Argo's validation of them
// (utils/analysis.ValidateMetric; messages are Argo's).
import { MetricSpecError } from '../analysis-errors.js';
import type { IntOrString, Metric } from '../analysis-types.js';
import { parseGoDuration } from '../go-duration.js';
import { configuredProviders } from '../providers/metric-provider.js';

export const DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;

/** intstr.IntValue(): numbers as is, strings parsed as base-10 integers, anything else 0. */
export function intValue(value: IntOrString | undefined): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return Math.trunc(value);
  return /^[+-]?\d+$/.test(value.trim()) ? Number(value.trim()) : 0;
}

/**
 * How many measurements a metric takes. Worked examples: {count: 5, interval: 1m} -> 5;
 * {interval: 1m} -> undefined (measure until the run is terminated); {} -> 1 (one measurement).
 */
export function effectiveCount(metric: Metric): number | undefined {
  const count = intValue(metric.count);
  if (count === 0) return (metric.interval ?? '') === '' ? 1 : undefined;
  return count;
}

export function failureLimit(metric: Metric): number { return intValue(metric.failureLimit); }
export function inconclusiveLimit(metric: Metric): number { return intValue(metric.inconclusiveLimit); }
export function consecutiveSuccessLimit(metric: Metric): number { return intValue(metric.consecutiveSuccessLimit); }
export function consecutiveErrorLimit(metric: Metric): number {
  return metric.consecutiveErrorLimit === undefined ? DEFAULT_CONSECUTIVE_ERROR_LIMIT : intValue(metric.consecutiveErrorLimit);
}

export function validateMetrics(metrics: readonly Metric[]): void {
  if (metrics.length === 0) throw new MetricSpecError('no metrics specified');
  const names = new Set<string>();
  metrics.forEach((metric, i) => {
    if (names.has(metric.name)) throw new MetricSpecError(`metrics[${i}]: duplicate name '${metric.name}'`);
    names.add(metric.name);
    try {
      validateMetric(metric);
    } catch (error) {
      if (error instanceof MetricSpecError) throw new MetricSpecError(`metrics[${i}]: ${error.message}`, { cause: error });
      throw error;
    }
  });
}

export function validateMetric(metric: Metric): void {
  const count = intValue(metric.count);
  const failures = failureLimit(metric);
  const successes = consecutiveSuccessLimit(metric);
  const inconclusives = inconclusiveLimit(metric);
  if (successes < 0) throw new MetricSpecError('consecutiveSuccessLimit must be >= 0');
  if (failures < -1) throw new MetricSpecError('failureLimit must be >= 0, or -1 to be disabled');
  if (successes === 0 && failures === -1) throw new MetricSpecError('failureLimit and consecutiveSuccessLimit cannot both be disabled');
  if (inconclusives < 0) throw new MetricSpecError('inconclusiveLimit must be >= 0');
  if (metric.consecutiveErrorLimit !== undefined && intValue(metric.consecutiveErrorLimit) < 0) throw new MetricSpecError('consecutiveErrorLimit must be >= 0');
  if (count > 0) {
    if (failures >= 0 && count < failures + successes) {
      throw new MetricSpecError(`count (${count}) must be >= failureLimit + consecutiveSuccessLimit (${failures} + ${successes}) if both >= 0`);
    }
    if (failures < 0 && count < successes) throw new MetricSpecError('count must be >= consecutiveSuccessLimit');
    if (count < inconclusives) throw new MetricSpecError('count must be >= inconclusiveLimit');
  }
  if (count > 1 && (metric.interval ?? '') === '') throw new MetricSpecError('interval must be specified when count > 1');
  if ((metric.interval ?? '') !== '') {
    try { parseGoDuration(metric.interval!); } catch (e) { throw new MetricSpecError(`invalid interval string: ${(e as Error).message}`, { cause: e }); }
  }
  if ((metric.initialDelay ?? '') !== '') {
    try { parseGoDuration(metric.initialDelay!); } catch (e) { throw new MetricSpecError(`invalid startDelay string: ${(e as Error).message}`, { cause: e }); }
  }
  const providers = configuredProviders(metric.provider);
  if (providers.length === 0) throw new MetricSpecError('no provider specified');
  if (providers.length > 1) throw new MetricSpecError('multiple providers specified');
}
