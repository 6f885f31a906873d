// Prometheus text exposition (format 0.0.4) of a merged metrics snapshot: what the admin server
// answers on GET /metrics. Latency is exported in seconds, as Prometheus conventions ask.

import { BUCKET_OFFSET, LATENCY_BUCKETS_MS, STATUS_CLASSES, SUM_INDEX, type MetricsSnapshot } from './backend-metrics.js';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Renders k8ts_gateway_requests_total and the k8ts_gateway_request_duration_seconds histogram. */
export function renderPrometheus(snapshot: MetricsSnapshot): string {
  const lines: string[] = [
    '# HELP k8ts_gateway_requests_total Requests through the gateway by HTTPRoute, backend Service, revision (pod-template-hash) and status class.',
    '# TYPE k8ts_gateway_requests_total counter',
  ];
  const series = [...snapshot.series].sort((a, b) => compareKeys([a.route, a.service, a.revision], [b.route, b.service, b.revision]));
  for (const s of series) {
    const base = `route="${escapeLabel(s.route)}",service="${escapeLabel(s.service)}",revision="${escapeLabel(s.revision)}"`;
    STATUS_CLASSES.forEach((cls, i) => {
      const n = s.totals[i] ?? 0;
      if (n > 0) lines.push(`k8ts_gateway_requests_total{${base},code_class="${cls}"} ${n}`);
    });
  }
  lines.push(
    '# HELP k8ts_gateway_request_duration_seconds Time from receiving the request to the end of the response, by HTTPRoute, backend Service and revision.',
    '# TYPE k8ts_gateway_request_duration_seconds histogram',
  );
  for (const s of series) {
    const base = `route="${escapeLabel(s.route)}",service="${escapeLabel(s.service)}",revision="${escapeLabel(s.revision)}"`;
    let cumulative = 0;
    for (let i = 0; i <= LATENCY_BUCKETS_MS.length; i++) {
      cumulative += s.totals[BUCKET_OFFSET + i] ?? 0;
      const bound = LATENCY_BUCKETS_MS[i];
      const le = bound === undefined ? '+Inf' : String(bound / 1000);
      lines.push(`k8ts_gateway_request_duration_seconds_bucket{${base},le="${le}"} ${cumulative}`);
    }
    lines.push(`k8ts_gateway_request_duration_seconds_sum{${base}} ${(s.totals[SUM_INDEX] ?? 0) / 1000}`);
    lines.push(`k8ts_gateway_request_duration_seconds_count{${base}} ${cumulative}`);
  }
  return `${lines.join('\n')}\n`;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
