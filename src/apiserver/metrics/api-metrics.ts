// The metrics the API server exposes on /metrics. Names and verb labels follow upstream's
// kube-apiserver (apiserver_request_total, apiserver_request_duration_seconds, ...) so existing
// dashboards and habits carry over; k8ts_* names are our own. Subresource requests are labelled as
// upstream labels them: resource="deployments", subresource="scale" (subresource="" otherwise).
import { Counter, Gauge, Histogram } from './prometheus-metrics.js';

/** Upstream's request verbs as they appear in metric labels. */
export type RequestVerb =
  | 'LIST'
  | 'GET'
  | 'WATCH'
  | 'CREATE'
  | 'UPDATE'
  | 'PATCH'
  | 'APPLY'
  | 'DELETE'
  | 'DELETECOLLECTION'
  | 'POST'
  | 'PUT'
  | 'HEAD'
  | 'OPTIONS';

/** What a request is counted under: `resource` is the plain resource (`deployments`), never `deployments/scale`. */
export interface RequestMetricLabels {
  readonly verb: RequestVerb;
  readonly resource: string;
  /** `scale`, `status`, `log`, `binding`; '' or absent for the resource itself. */
  readonly subresource?: string;
}

const REQUEST_BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 5, 10, 30, 60];
const STORE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export class ApiMetrics {
  readonly requests = new Counter({
    name: 'apiserver_request_total',
    help: 'Counter of apiserver requests broken out for each verb, resource and HTTP response code.',
    labelNames: ['verb', 'resource', 'subresource', 'code'],
  });
  readonly requestDuration = new Histogram({
    name: 'apiserver_request_duration_seconds',
    help: 'Response latency distribution in seconds for each verb and resource (watches excluded).',
    labelNames: ['verb', 'resource', 'subresource'],
    buckets: REQUEST_BUCKETS,
  });
  readonly longRunning = new Gauge({
    name: 'apiserver_longrunning_requests',
    help: 'Number of open long-running requests (watches) by verb and resource.',
    labelNames: ['verb', 'resource', 'subresource'],
  });
  readonly storeDuration = new Histogram({
    name: 'k8ts_store_operation_duration_seconds',
    help: 'Latency of Store operations in seconds by operation.',
    labelNames: ['operation'],
    buckets: STORE_BUCKETS,
  });
  readonly storeErrors = new Counter({
    name: 'k8ts_store_operation_errors_total',
    help: 'Store operations that failed, by operation and error code.',
    labelNames: ['operation', 'code'],
  });

  observeRequest(request: RequestMetricLabels, code: number, seconds: number | undefined): void {
    const { verb, resource } = request;
    const subresource = request.subresource ?? '';
    this.requests.inc({ verb, resource, subresource, code: String(code) });
    if (seconds !== undefined) this.requestDuration.observe({ verb, resource, subresource }, seconds);
  }

  watchOpened(resource: string, subresource = ''): void {
    this.longRunning.inc({ verb: 'WATCH', resource, subresource });
  }

  watchClosed(resource: string, subresource = ''): void {
    this.longRunning.dec({ verb: 'WATCH', resource, subresource });
  }

  observeStoreOperation(operation: string, seconds: number, errorCode?: string): void {
    this.storeDuration.observe({ operation }, seconds);
    if (errorCode !== undefined) this.storeErrors.inc({ operation, code: errorCode });
  }

  /** The Prometheus text exposition (Content-Type `text/plain; version=0.0.4`). */
  render(): string {
    return [this.requests, this.requestDuration, this.longRunning, this.storeDuration, this.storeErrors]
      .map((family) => family.render())
      .join('');
  }
}
