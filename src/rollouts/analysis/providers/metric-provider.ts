// The seam between the AnalysisRun engine and the systems it measures. A provider only fetches a
// value; the engine judges it against successCondition/failureCondition, so every provider gets
// the same condition semantics and the same Error/Inconclusive bookkeeping.
import type { Metric, MetricProviderSpec } from '../analysis-types.js';

export interface MeasureRequest {
  /** The metric with `{{args.x}}` already substituted. */
  metric: Metric;
  /** Namespace of the AnalysisRun (a gateway `service` without one lives here). */
  namespace: string;
  signal: AbortSignal;
  now: Date;
  /** When resuming an in-flight measurement (one that waited for data): when it started. */
  startedAt?: Date;
}

export interface ProviderMeasurement {
  /** What conditions see as `result`: a number, an array of numbers, a JSON document... */
  value?: unknown;
  /** How the value is recorded in status (a string); defaults to its JSON rendering. */
  display?: string;
  /**
   * Usually unset (the engine judges the value). `Error`/`Inconclusive` let a provider decide
   * itself; `Running` means "not enough data yet": the measurement stays in flight and is taken
   * again after resumeAfterMs, without counting towards count or any limit.
   */
  phase?: 'Error' | 'Inconclusive' | 'Running';
  message?: string;
  resumeAfterMs?: number;
  metadata?: Record<string, string>;
}

export interface MetricProvider {
  /** Argo's provider type name, e.g. `Web`, `Prometheus`. */
  readonly type: string;
  /** Throws MeasurementError (or any Error) when no measurement could be taken. */
  measure(request: MeasureRequest): Promise<ProviderMeasurement>;
  /** Extra facts for status.metricResults[].metadata (Prometheus: the resolved query). */
  metricMetadata?(metric: Metric): Record<string, string> | undefined;
}

/** Providers by the key they are configured under in `metric.provider`. */
export type MetricProviders = Readonly<Partial<Record<string, MetricProvider>>>;

/** Argo's provider keys; all are accepted in a spec, k8ts measures web, prometheus and gateway. */
export const ARGO_PROVIDER_KEYS = ['prometheus', 'kayenta', 'web', 'datadog', 'wavefront', 'newRelic', 'job', 'cloudWatch', 'graphite', 'influxdb', 'skywalking'] as const;

/** The plugin name under which the gateway provider can be written in Argo's own schema. */
export const GATEWAY_PLUGIN_NAME = 'k8ts/gateway';

/**
 * The provider keys configured in a metric: `gateway` and `plugin: {"k8ts/gateway": ...}` both
 * count as `gateway`; another plugin counts as `plugin:<name>`.
 */
export function configuredProviders(spec: MetricProviderSpec): string[] {
  const keys: string[] = ARGO_PROVIDER_KEYS.filter((k) => spec[k] !== undefined && spec[k] !== null);
  if (spec.gateway !== undefined) keys.push('gateway');
  for (const name of Object.keys(spec.plugin ?? {})) keys.push(name === GATEWAY_PLUGIN_NAME ? 'gateway' : `plugin:${name}`);
  return keys;
}
