// The k8ts gateway's own per-revision statistics as a metric provider: no Prometheus needed.
// It asks the gateway admin server `GET /stats?service=ns/name&revision=h&window=60s`, which
// answers {requests, byClass, successRate, latencyMs: {p50, p95, p99}, windowSeconds}.
//
//   provider:
//     gateway:                       # or, valid in Argo's own schema: plugin: {k8ts/gateway: {...}}
//       service: web
//       revision: "{{args.canary-hash}}"
//       metric: successRate
//       window: 60s
//       minRequests: 50
//       compareTo: {revision: "{{args.stable-hash}}"}
//   successCondition: result.canary >= result.stable - 0.01
//
// Without compareTo `result` is the number itself (`result >= 0.99`). With compareTo it is
// {canary, stable, canaryRequests, stableRequests}, both read in the same window, so canary and
// stable are judged on the same traffic period.
//
// Minimum sample size: while either side has fewer than minRequests requests in the window, the
// measurement stays in flight (phase Running, retried every few seconds) and counts towards
// nothing. Worked example: minRequests 50, the canary has 12 requests -> "waiting for data"; 20 s
// later it has 61 -> the value is judged. If maxWait (default 5m) passes first, the measurement is
// Inconclusive ("insufficient data"), which with inconclusiveLimit 0 pauses the rollout for a
// person instead of passing or failing a release on noise.
import { MeasurementError } from '../analysis-errors.js';
import type { GatewayMetric, GatewayStatistic, Metric } from '../analysis-types.js';
import { formatValue, toValue } from '../expression/expr-values.js';
import { parseGoDuration } from '../go-duration.js';
import { httpRequest } from './http-request.js';
import { GATEWAY_PLUGIN_NAME, type MeasureRequest, type MetricProvider, type ProviderMeasurement } from './metric-provider.js';

const DEFAULT_WINDOW = '60s';
const DEFAULT_MAX_WAIT = '5m';
const RETRY_MS = 5000;
const TIMEOUT_MS = 10_000;
const STATISTICS: readonly GatewayStatistic[] = ['successRate', 'errorRate', 'p50', 'p95', 'p99', 'requests'];

export interface GatewayProviderOptions {
  /** Base URL of the gateway admin server, e.g. http://127.0.0.1:9901; read in cmd/. */
  address?: string;
}

/** One side's numbers from /stats. */
interface Stats { requests: number; value: number | null }

export function gatewayMetricSpec(metric: Metric): GatewayMetric | undefined {
  const spec = metric.provider.gateway ?? metric.provider.plugin?.[GATEWAY_PLUGIN_NAME];
  return typeof spec === 'object' && spec !== null ? spec as GatewayMetric : undefined;
}

export class GatewayMetricProvider implements MetricProvider {
  readonly type = 'Gateway';
  private readonly address: string | undefined;

  constructor(options: GatewayProviderOptions = {}) {
    this.address = options.address;
  }

  async measure(request: MeasureRequest): Promise<ProviderMeasurement> {
    const spec = gatewayMetricSpec(request.metric);
    if (spec === undefined) throw new MeasurementError('metric has no gateway provider');
    if (!STATISTICS.includes(spec.metric)) throw new MeasurementError(`gateway metric must be one of ${STATISTICS.join(', ')}, not ${JSON.stringify(spec.metric)}`);
    if (typeof spec.service !== 'string' || spec.service === '') throw new MeasurementError('gateway service is required');
    const address = (spec.address ?? '') !== '' ? spec.address! : this.address;
    if (address === undefined || address === '') throw new MeasurementError('gateway admin address is not configured');
    const window = spec.window ?? DEFAULT_WINDOW;
    parseGoDuration(window);
    const minRequests = Number(spec.minRequests ?? 0);
    if (!Number.isInteger(minRequests) || minRequests < 0) throw new MeasurementError(`minRequests must be a whole number >= 0, not ${JSON.stringify(spec.minRequests)}`);
    const service = spec.service.includes('/') ? spec.service : `${request.namespace}/${spec.service}`;
    const fetchSide = (svc: string, revision: string | undefined): Promise<Stats> =>
      this.fetchStats({ address, service: svc, revision, window, statistic: spec.metric, signal: request.signal });

    const canary = await fetchSide(service, spec.revision);
    const compare = spec.compareTo;
    const stable = compare === undefined ? undefined : await fetchSide(
      compare.service === undefined ? service : compare.service.includes('/') ? compare.service : `${request.namespace}/${compare.service}`,
      compare.revision,
    );

    const sides: [string, Stats | undefined][] = [['canary', canary], ['stable', stable]];
    const short = sides.filter((e): e is [string, Stats] => e[1] !== undefined && e[1].requests < minRequests);
    if (short.length > 0) {
      const counts = short.map(([side, s]) => `${compare === undefined ? '' : `${side} `}${s.requests}/${minRequests} requests`).join(', ');
      const waitedMs = request.startedAt === undefined ? 0 : request.now.getTime() - request.startedAt.getTime();
      if (waitedMs >= parseGoDuration(spec.maxWait ?? DEFAULT_MAX_WAIT)) {
        return { phase: 'Inconclusive', message: `insufficient data: ${counts} in ${window} window (minRequests ${minRequests}, waited ${spec.maxWait ?? DEFAULT_MAX_WAIT})` };
      }
      return { phase: 'Running', message: `waiting for data: ${counts} in ${window} window`, resumeAfterMs: RETRY_MS };
    }
    const value = stable === undefined ? canary.value : {
      canary: canary.value, stable: stable.value, canaryRequests: canary.requests, stableRequests: stable.requests,
    };
    return { value, display: formatValue(toValue(value)) };
  }

  private async fetchStats(q: { address: string; service: string; revision: string | undefined; window: string; statistic: GatewayStatistic; signal: AbortSignal }): Promise<Stats> {
    const params = new URLSearchParams({ service: q.service });
    if (q.revision !== undefined && q.revision !== '') params.set('revision', q.revision);
    params.set('window', q.window);
    const url = `${q.address.replace(/\/+$/, '')}/stats?${params.toString()}`;
    const response = await httpRequest({ url, timeoutMs: TIMEOUT_MS, signal: q.signal });
    if (response.status < 200 || response.status >= 300) throw new MeasurementError(`gateway stats for ${q.service}: received non 2xx response code: ${response.status}`);
    let body: { requests?: unknown; successRate?: unknown; latencyMs?: Record<string, unknown> };
    try {
      body = JSON.parse(response.text) as typeof body;
    } catch (error) {
      throw new MeasurementError(`gateway stats for ${q.service}: answer is not JSON`, { cause: error });
    }
    const requests = typeof body.requests === 'number' ? body.requests : 0;
    return { requests, value: pick(body, q.statistic, requests) };
  }
}

/** The statistic from one /stats answer; null when the gateway has no value (no traffic). */
function pick(body: { successRate?: unknown; latencyMs?: Record<string, unknown> }, statistic: GatewayStatistic, requests: number): number | null {
  const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
  switch (statistic) {
    case 'requests': return requests;
    case 'successRate': return num(body.successRate);
    case 'errorRate': {
      const rate = num(body.successRate);
      return rate === null ? null : 1 - rate;
    }
    default: return num(body.latencyMs?.[statistic]);
  }
}
