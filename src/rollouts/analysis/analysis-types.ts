// Minimal shapes of Argo Rollouts' AnalysisTemplate / AnalysisRun (argoproj.io/v1alpha1), field for
// field with pkg/apis/rollouts/v1alpha1/analysis_types.go, for the parts the analysis engine reads
// and writes. The kinds helper (src/api/rollouts/) may adopt these or replace them with its own; the
// engine only needs structurally compatible objects.

/** The phase of an AnalysisRun, a MetricResult or a single Measurement. */
export type AnalysisPhase = 'Pending' | 'Running' | 'Successful' | 'Failed' | 'Error' | 'Inconclusive';

/** Kubernetes IntOrString; Argo accepts `count: 5` and `count: "{{args.count}}"`. */
export type IntOrString = number | string;

/** A Go duration string such as `30s`, `5m`, `1h30m` (Argo's DurationString). */
export type DurationString = string;

export interface WebMetricHeader {
  key: string;
  value: string;
}

export interface WebMetric {
  /** GET (default), POST or PUT. */
  method?: string;
  url: string;
  headers?: WebMetricHeader[];
  /** A string body; only with POST or PUT. */
  body?: string;
  /** A JSON body (sent with Content-Type: application/json); only with POST or PUT. */
  jsonBody?: unknown;
  /** Default 10. */
  timeoutSeconds?: number;
  /** Kubernetes JSONPath selecting the result, default `{$}`. */
  jsonPath?: string;
  insecure?: boolean;
}

export interface PrometheusMetric {
  address?: string;
  query?: string;
  /** Seconds; default 30. */
  timeout?: number;
  insecure?: boolean;
  headers?: WebMetricHeader[];
}

/** The gateway statistic a `gateway` metric reads from the admin `/stats` answer. */
export type GatewayStatistic = 'successRate' | 'errorRate' | 'p50' | 'p95' | 'p99' | 'requests';

/**
 * k8ts extension: the built-in gateway's per-revision statistics (no Prometheus needed). Written
 * either as `provider.gateway` or, to stay valid against Argo's own CRD schema, as
 * `provider.plugin: {"k8ts/gateway": {...}}`.
 */
export interface GatewayMetric {
  /** `namespace/name` or `name` (then the AnalysisRun's namespace). */
  service: string;
  /** The pod-template-hash being judged (usually `{{args.canary-hash}}`). */
  revision?: string;
  metric: GatewayStatistic;
  /** Go duration of the sliding window, default `60s`. */
  window?: DurationString;
  /** Fewer requests than this in the window (on either side) means "not enough data yet". */
  minRequests?: IntOrString;
  /** How long a measurement may wait for minRequests before it is Inconclusive; default `5m`. */
  maxWait?: DurationString;
  /** Compare with another revision in the same window: `result` becomes `{canary, stable, ...}`. */
  compareTo?: { revision: string; service?: string };
  /** Admin base URL; defaults to the provider's configured gateway admin address. */
  address?: string;
}

export interface MetricProviderSpec {
  prometheus?: PrometheusMetric;
  web?: WebMetric;
  gateway?: GatewayMetric;
  /** Argo's plugin extension point: a map from plugin name to its configuration. */
  plugin?: Record<string, unknown>;
  /** Other Argo providers (datadog, job, kayenta...) are accepted in the schema but not measured. */
  [other: string]: unknown;
}

export interface Metric {
  name: string;
  interval?: DurationString;
  initialDelay?: DurationString;
  count?: IntOrString;
  successCondition?: string;
  failureCondition?: string;
  /** Default 0; -1 disables it (only with consecutiveSuccessLimit). */
  failureLimit?: IntOrString;
  /** Default 0. */
  inconclusiveLimit?: IntOrString;
  /** Default 4. */
  consecutiveErrorLimit?: IntOrString;
  /** Default 0 (disabled). */
  consecutiveSuccessLimit?: IntOrString;
  provider: MetricProviderSpec;
}

export interface SecretKeyRef {
  name: string;
  key: string;
}

export interface FieldRef {
  fieldPath: string;
}

/** An argument of an AnalysisTemplate / AnalysisRun. */
export interface Argument {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: SecretKeyRef; fieldRef?: FieldRef };
}

/** An argument a Rollout passes to an analysis (Argo's AnalysisRunArgument). */
export interface AnalysisRunArgument {
  name: string;
  value?: string;
  valueFrom?: { podTemplateHashValue?: 'Stable' | 'Latest'; fieldRef?: FieldRef };
}

export interface DryRun {
  /** A regular expression over metric names; `.*` for all. */
  metricName: string;
}

export interface MeasurementRetention {
  metricName: string;
  limit: number;
}

export interface AnalysisTemplateSpec {
  metrics?: Metric[];
  args?: Argument[];
  dryRun?: DryRun[];
  measurementRetention?: MeasurementRetention[];
}

export interface AnalysisTemplate {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  spec: AnalysisTemplateSpec;
}

export interface AnalysisRunSpec {
  metrics: Metric[];
  args?: Argument[];
  terminate?: boolean;
  dryRun?: DryRun[];
  measurementRetention?: MeasurementRetention[];
}

export interface Measurement {
  phase: AnalysisPhase;
  message?: string;
  /** RFC 3339, second precision (metav1.Time). */
  startedAt?: string;
  finishedAt?: string;
  /** The measured value as a string (JSON for structured values), as Argo stores it. */
  value?: string;
  metadata?: Record<string, string>;
  /** When an in-flight (not finished) measurement should be taken up again. */
  resumeAt?: string;
}

export interface MetricResult {
  name: string;
  phase: AnalysisPhase;
  measurements?: Measurement[];
  message?: string;
  count?: number;
  successful?: number;
  failed?: number;
  inconclusive?: number;
  error?: number;
  consecutiveError?: number;
  consecutiveSuccess?: number;
  dryRun?: boolean;
  metadata?: Record<string, string>;
}

export interface RunSummary {
  count?: number;
  successful?: number;
  failed?: number;
  inconclusive?: number;
  error?: number;
}

export interface AnalysisRunStatus {
  phase?: AnalysisPhase;
  message?: string;
  metricResults?: MetricResult[];
  startedAt?: string;
  completedAt?: string;
  runSummary?: RunSummary;
  dryRunSummary?: RunSummary;
}

export interface AnalysisRun {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; [field: string]: unknown };
  spec: AnalysisRunSpec;
  status?: AnalysisRunStatus;
}

/** A phase that will not change any more. */
export function isCompletedPhase(phase: AnalysisPhase | undefined): boolean {
  return phase === 'Successful' || phase === 'Failed' || phase === 'Error' || phase === 'Inconclusive';
}
