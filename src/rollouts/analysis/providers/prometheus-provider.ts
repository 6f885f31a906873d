// Argo's `prometheus` provider over the HTTP query API (POST /api/v1/query, as client_golang
// does). The result handed to conditions is shaped like Argo's:
//
//   resultType  answer                                         result        recorded value
//   scalar      [1700000000, "0.99"]                           0.99          "0.99"
//   vector      [{value: [t, "0.99"]}, {value: [t, "0.5"]}]    [0.99, 0.5]   "[0.99,0.5]"
//   matrix      [{values: [[t, "1"], [t, "2"]]}]               [1, 2]        "[1,2]"
//
// so `result[0] >= 0.95` works for the usual single-series query.
import { MeasurementError } from '../analysis-errors.js';
import type { Metric } from '../analysis-types.js';
import { formatNumber } from '../expression/expr-values.js';
import { httpRequest } from './http-request.js';
import type { MeasureRequest, MetricProvider, ProviderMeasurement } from './metric-provider.js';

const DEFAULT_TIMEOUT_SECONDS = 30;

export interface PrometheusProviderOptions {
  /** Used when a metric gives no address (Argo: ARGO_ROLLOUTS_PROMETHEUS_ADDRESS); read in cmd/. */
  defaultAddress?: string;
}

interface QueryAnswer {
  status?: string;
  errorType?: string;
  error?: string;
  warnings?: string[];
  data?: { resultType?: string; result?: unknown };
}

export class PrometheusMetricProvider implements MetricProvider {
  readonly type = 'Prometheus';
  private readonly defaultAddress: string | undefined;

  constructor(options: PrometheusProviderOptions = {}) {
    this.defaultAddress = options.defaultAddress;
  }

  metricMetadata(metric: Metric): Record<string, string> | undefined {
    const query = metric.provider.prometheus?.query ?? '';
    return query === '' ? undefined : { ResolvedPrometheusQuery: query };
  }

  async measure(request: MeasureRequest): Promise<ProviderMeasurement> {
    const spec = request.metric.provider.prometheus;
    if (spec === undefined) throw new MeasurementError('metric has no prometheus provider');
    const address = (spec.address ?? '') !== '' ? spec.address! : this.defaultAddress;
    if (address === undefined || address === '') throw new MeasurementError('prometheus address is not configured');
    if (!/^[a-z][a-z0-9+.-]*:\/\/[^/]/i.test(address)) throw new MeasurementError('prometheus address is not is url format');
    if ((spec.timeout ?? 0) < 0) throw new MeasurementError('prometheus timeout should not be negative');
    const timeoutSeconds = spec.timeout !== undefined && spec.timeout > 0 ? spec.timeout : DEFAULT_TIMEOUT_SECONDS;
    const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
    for (const header of spec.headers ?? []) headers[header.key] = header.value;
    const form = new URLSearchParams({ query: spec.query ?? '', time: String(request.now.getTime() / 1000) });
    const response = await httpRequest({
      url: `${address.replace(/\/+$/, '')}/api/v1/query`, method: 'POST', headers, body: form.toString(),
      timeoutMs: timeoutSeconds * 1000, signal: request.signal,
    });
    const answer = parseAnswer(response.text);
    if (answer?.status === 'error' || response.status < 200 || response.status >= 300) {
      if (answer?.error !== undefined) throw new MeasurementError(`${answer.errorType ?? 'error'}: ${answer.error}`);
      throw new MeasurementError(`${response.status >= 500 ? 'server' : 'client'} error: ${response.status}`);
    }
    if (answer?.data === undefined) throw new MeasurementError('prometheus answer has no data');
    const measurement = toMeasurement(answer.data.resultType, answer.data.result);
    if (answer.warnings !== undefined && answer.warnings.length > 0) {
      measurement.metadata = { warnings: answer.warnings.map((w) => `"${w}"`).join(', ') };
    }
    return measurement;
  }
}

function parseAnswer(text: string): QueryAnswer | undefined {
  try {
    const parsed = JSON.parse(text) as QueryAnswer | null;
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Prometheus encodes sample values as strings, including "NaN", "+Inf" and "-Inf". */
function sample(pair: unknown): number {
  const raw: unknown = Array.isArray(pair) ? pair[1] : undefined;
  if (typeof raw !== 'string') throw new MeasurementError('malformed prometheus sample');
  if (raw === '+Inf' || raw === 'Inf') return Infinity;
  if (raw === '-Inf') return -Infinity;
  return Number(raw);
}

function toMeasurement(resultType: string | undefined, result: unknown): ProviderMeasurement {
  if (resultType === 'scalar') {
    const value = sample(result);
    return { value, display: formatNumber(value) };
  }
  let values: number[];
  if (resultType === 'vector' && Array.isArray(result)) {
    values = result.map((s: { value?: unknown }) => sample(s?.value));
  } else if (resultType === 'matrix' && Array.isArray(result)) {
    values = result.flatMap((s: { values?: unknown }) => (Array.isArray(s?.values) ? s.values : []).map(sample));
  } else {
    throw new MeasurementError('Prometheus metric type not supported');
  }
  return { value: values, display: `[${values.map(formatNumber).join(',')}]` };
}
