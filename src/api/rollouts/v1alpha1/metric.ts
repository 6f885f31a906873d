// argoproj.io/v1alpha1 Metric and its providers (upstream analysis_types.go). k8ts measures
// `prometheus`, `web` and its own `gateway`; the other upstream providers are accepted as opaque
// objects so Argo manifests apply unchanged (the AnalysisRun controller reports them as Error).
// Schema-generator syntax only: see analysis-shared.ts.

/** Metric is one measurement to take repeatedly and judge against conditions. */
export interface Metric {
  /** Name is the name of the metric. */
  name: string;
  /** Interval defines an interval string (e.g. 30s, 5m, 1h) between each measurement. If omitted, will perform a single measurement. */
  interval?: string;
  /** InitialDelay how long the AnalysisRun should wait before starting this metric. */
  initialDelay?: string;
  /** Count is the number of times to run the measurement. If both interval and count are omitted, the effective count is 1. If only interval is specified, metric runs indefinitely. If count > 1, interval must be specified. */
  count?: number | string;
  /** SuccessCondition is an expression which determines if a measurement is considered successful. Expression is a goevaluate expression. The keyword `result` is a variable reference to the value of measurement. Results can be both structured data or primitive. Examples: result > 10; (result.requests_made * result.requests_succeeded / 100) >= 90. */
  successCondition?: string;
  /** FailureCondition is an expression which determines if a measurement is considered failed. If both success and failure conditions are specified, and the measurement does not fall into either condition, the measurement is considered Inconclusive. */
  failureCondition?: string;
  /** FailureLimit is the maximum number of times the measurement is allowed to fail, before the entire metric is considered Failed (default: 0). */
  failureLimit?: number | string;
  /** InconclusiveLimit is the maximum number of times the measurement is allowed to measure Inconclusive, before the entire metric is considered Inconclusive (default: 0). */
  inconclusiveLimit?: number | string;
  /** ConsecutiveErrorLimit is the maximum number of times the measurement is allowed to error in succession, before the metric is considered error (default: 4). */
  consecutiveErrorLimit?: number | string;
  /** ConsecutiveSuccessLimit is the number of consecutive times the measurement must succeed for the metric to be considered Successful (default: 0, disabled). */
  consecutiveSuccessLimit?: number | string;
  /** Provider configuration to the external system to use to verify the analysis. */
  provider: MetricProvider;
}

/** MetricProvider says which system to measure; exactly one provider is set. */
export interface MetricProvider {
  /** Prometheus specifies the prometheus metric to query. */
  prometheus?: PrometheusMetric;
  /** Web specifies a generic HTTP web metric. */
  web?: WebMetric;
  /** Gateway (k8ts extension, not in Argo Rollouts) reads the k8ts gateway's own per-revision statistics. In Argo's own schema write it as plugin: {"k8ts/gateway": {...}}. */
  gateway?: GatewayMetric;
  /** Kayenta specifies a Kayenta metric. Accepted but not measured by k8ts. */
  kayenta?: unknown;
  /** Datadog specifies a datadog metric to query. Accepted but not measured by k8ts. */
  datadog?: unknown;
  /** Wavefront specifies the wavefront metric to query. Accepted but not measured by k8ts. */
  wavefront?: unknown;
  /** NewRelic specifies the newrelic metric to query. Accepted but not measured by k8ts. */
  newRelic?: unknown;
  /** Job specifies the job metric run. Accepted but not run by k8ts. */
  job?: unknown;
  /** CloudWatch specifies the cloudWatch metric to query. Accepted but not measured by k8ts. */
  cloudWatch?: unknown;
  /** Graphite specifies the Graphite metric to query. Accepted but not measured by k8ts. */
  graphite?: unknown;
  /** Influxdb specifies the influxdb metric to query. Accepted but not measured by k8ts. */
  influxdb?: unknown;
  /** SkyWalking specifies the skywalking metric to query. Accepted but not measured by k8ts. */
  skywalking?: unknown;
  /** Plugin specifies the hashicorp go-plugin metric to query, by plugin name. k8ts runs "k8ts/gateway" (the gateway provider) only. */
  plugin?: { [name: string]: unknown };
}

/** WebMetricHeader is one HTTP header sent with a web or prometheus request. */
export interface WebMetricHeader {
  /** Header name. */
  key: string;
  /** Header value. */
  value: string;
}

/** PrometheusRangeQueryArgs turns a prometheus query into a range query. */
export interface PrometheusRangeQueryArgs {
  /** Start of the range, an expression such as "now() - duration('5m')". */
  start?: string;
  /** End of the range, an expression such as "now()". */
  end?: string;
  /** Step is the query resolution, e.g. 1m. */
  step?: string;
}

/** PrometheusMetric defines the prometheus query to perform canary analysis. */
export interface PrometheusMetric {
  /** Address is the HTTP address and port of the prometheus server. */
  address?: string;
  /** Query is a raw prometheus query to perform. */
  query?: string;
  /** Authentication details. Accepted; k8ts uses basicAuth only. */
  authentication?: Authentication;
  /** Timeout represents the duration within which a prometheus query should complete, in seconds (default 30). */
  timeout?: number;
  /** Insecure skips host TLS verification. */
  insecure?: boolean;
  /** Headers are optional HTTP headers to use in the query. */
  headers?: Array<WebMetricHeader>;
  /** RangeQuery makes the query a range query. */
  rangeQuery?: PrometheusRangeQueryArgs;
}

/** Authentication method of a metric provider. */
export interface Authentication {
  /** Sigv4 Config is the aws SigV4 configuration to use for SigV4 signing if using Amazon Managed Prometheus. */
  sigv4?: Sigv4Config;
  /** OAuth2 config. */
  oauth2?: OAuth2Config;
  /** BasicAuth config. */
  basicAuth?: BasicAuthConfig;
}

/** Sigv4Config is the AWS SigV4 signing configuration. */
export interface Sigv4Config {
  /** Region is the AWS Region to sign the SigV4 Request. */
  region?: string;
  /** Profile is the Credential Profile used to sign the SigV4 Request. */
  profile?: string;
  /** RoleARN is the IAM role used to sign the SigV4 Request. */
  roleArn?: string;
}

/** OAuth2Config is an OAuth2 client-credentials configuration. */
export interface OAuth2Config {
  /** OAuth2 provider token URL. */
  tokenUrl?: string;
  /** OAuth2 client ID. */
  clientId?: string;
  /** OAuth2 client secret. */
  clientSecret?: string;
  /** OAuth2 scopes. */
  scopes?: Array<string>;
}

/** BasicAuthConfig is HTTP basic authentication. */
export interface BasicAuthConfig {
  /** Basic authentication username. */
  username?: string;
  /** Basic authentication password. */
  password?: string;
}

/** WebMetric is a generic HTTP request whose (JSON) answer is the measurement. */
export interface WebMetric {
  /** Method is the method of the web metric: GET, POST or PUT (empty defaults to GET). */
  method?: string;
  /** URL is the address of the web metric. */
  url: string;
  /** Headers are optional HTTP headers to use in the request. */
  headers?: Array<WebMetricHeader>;
  /** Body is the body of the web metric (must be POST/PUT). */
  body?: string;
  /** TimeoutSeconds is the timeout for the request in seconds (default: 10). */
  timeoutSeconds?: number;
  /** JSONPath is a JSON Path to use as the result variable (default: "{$}"). */
  jsonPath?: string;
  /** Insecure skips host TLS verification. */
  insecure?: boolean;
  /** JSONBody is the body of the web metric in a json format (method must be POST/PUT). */
  jsonBody?: unknown;
  /** Authentication details. Accepted; k8ts does not use it. */
  authentication?: Authentication;
}

/** GatewayMetricComparison compares the judged revision with another in the same window. */
export interface GatewayMetricComparison {
  /** Revision (pod-template-hash) to compare with, usually "{{args.stable-hash}}". */
  revision: string;
  /** Service of that revision, "namespace/name" or "name"; defaults to the metric's service. */
  service?: string;
}

/** GatewayMetric (k8ts extension) reads the k8ts gateway admin server's /stats for one revision of a Service. */
export interface GatewayMetric {
  /** Service whose traffic is measured: "namespace/name", or "name" in the AnalysisRun's namespace. */
  service: string;
  /** Revision is the pod-template-hash being judged, usually "{{args.canary-hash}}". */
  revision?: string;
  /** Metric is the statistic read: successRate, errorRate, p50, p95, p99 or requests. */
  metric: 'successRate' | 'errorRate' | 'p50' | 'p95' | 'p99' | 'requests';
  /** Window is the sliding window as a duration (default 60s). */
  window?: string;
  /** MinRequests: fewer requests than this in the window means "not enough data yet". */
  minRequests?: number | string;
  /** MaxWait is how long a measurement may wait for minRequests before it is Inconclusive (default 5m). */
  maxWait?: string;
  /** CompareTo makes the result {canary, stable, ...} by measuring another revision too. */
  compareTo?: GatewayMetricComparison;
  /** Address is the gateway admin base URL; defaults to the controller's configured address. */
  address?: string;
}
