import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BackendMetricsRecorder,
  histogramQuantile,
  LATENCY_BUCKETS_MS,
  mergeSnapshots,
  parseStatsQuery,
  queryStats,
  StatsQueryError,
  WINDOW_SECONDS,
} from './backend-metrics.js';
import { renderPrometheus } from './metrics-prometheus.js';

const T0 = Date.UTC(2025, 0, 1);

test('counts by route, service, revision and class, windowed by second', () => {
  const rec = new BackendMetricsRecorder();
  for (let i = 0; i < 90; i++) rec.record('ns/r', 'ns/svc', 'aaa', 200, 4, T0 + i);
  for (let i = 0; i < 10; i++) rec.record('ns/r', 'ns/svc', 'bbb', 503, 40, T0 + i);
  rec.record('ns/r', 'ns/svc', 'aaa', 302, 1, T0 - 120_000); // two minutes earlier
  const snap = rec.snapshot(T0 + 500);
  const all = queryStats(snap, { service: 'ns/svc', windowSeconds: 60 }, T0 + 500);
  assert.equal(all.requests, 100);
  assert.deepEqual(all.byClass, { '1xx': 0, '2xx': 90, '3xx': 0, '4xx': 0, '5xx': 10 });
  assert.equal(all.successRate, 0.9);
  const canary = queryStats(snap, { service: 'ns/svc', revision: 'bbb', windowSeconds: 60 }, T0 + 500);
  assert.equal(canary.successRate, 0);
  assert.ok(canary.latencyMs.p50 !== null && canary.latencyMs.p50 > 25 && canary.latencyMs.p50 <= 50);
  const long = queryStats(snap, { service: 'ns/svc', windowSeconds: 600 }, T0 + 500);
  assert.equal(long.requests, 101);
  const none = queryStats(snap, { service: 'ns/other', windowSeconds: 60 }, T0 + 500);
  assert.equal(none.requests, 0);
  assert.equal(none.successRate, null);
  assert.equal(none.latencyMs.p99, null);
});

test('the ring forgets seconds older than the window and reuses slots', () => {
  const rec = new BackendMetricsRecorder();
  rec.record('r', 's', 'v', 200, 1, T0);
  rec.record('r', 's', 'v', 500, 1, T0 + WINDOW_SECONDS * 1000); // same ring slot, one window later
  const snap = rec.snapshot(T0 + WINDOW_SECONDS * 1000);
  const s = queryStats(snap, { service: 's', windowSeconds: WINDOW_SECONDS }, T0 + WINDOW_SECONDS * 1000);
  assert.equal(s.requests, 1);
  assert.equal(s.byClass['5xx'], 1);
  assert.equal(snap.series[0]?.totals[1], 1, 'totals keep everything');
});

test('snapshots from workers merge by series and second', () => {
  const a = new BackendMetricsRecorder();
  const b = new BackendMetricsRecorder();
  a.record('r', 's', 'v', 200, 2, T0);
  b.record('r', 's', 'v', 200, 2, T0);
  b.record('r', 's', 'w', 404, 2, T0 + 1000);
  const merged = mergeSnapshots([a.snapshot(T0 + 1000), b.snapshot(T0 + 1000)]);
  assert.equal(merged.series.length, 2);
  const s = queryStats(merged, { service: 's', windowSeconds: 10 }, T0 + 1000);
  assert.equal(s.requests, 3);
  assert.equal(s.byClass['4xx'], 1);
  assert.equal(queryStats(merged, { service: 's', revision: 'v', windowSeconds: 10 }, T0 + 1000).requests, 2);
  // Structured-clone / JSON safe.
  assert.deepEqual(JSON.parse(JSON.stringify(merged)), merged);
});

test('histogram quantiles interpolate within buckets', () => {
  const buckets = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  buckets[0] = 100; // all <= 0.5 ms
  assert.equal(histogramQuantile(buckets, 0.5), 0.25);
  buckets[buckets.length - 1] = 100; // half in +Inf
  assert.equal(histogramQuantile(buckets, 0.99), LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1]);
});

test('parseStatsQuery validates and clamps', () => {
  const q = parseStatsQuery(new URLSearchParams('service=ns/a&revision=abc&window=5m'));
  assert.deepEqual(q, { service: 'ns/a', revision: 'abc', windowSeconds: 300 });
  assert.equal(parseStatsQuery(new URLSearchParams('service=ns/a')).windowSeconds, 60);
  assert.equal(parseStatsQuery(new URLSearchParams('service=ns/a&window=3600')).windowSeconds, WINDOW_SECONDS);
  assert.throws(() => parseStatsQuery(new URLSearchParams('service=a')), StatsQueryError);
  assert.throws(() => parseStatsQuery(new URLSearchParams('service=ns/a&window=abc')), StatsQueryError);
});

test('Prometheus text has counters and cumulative histogram buckets', () => {
  const rec = new BackendMetricsRecorder();
  rec.record('ns/r', 'ns/s', 'h1', 200, 3, T0);
  rec.record('ns/r', 'ns/s', 'h1', 500, 2000, T0);
  const text = renderPrometheus(rec.snapshot(T0));
  assert.match(text, /^k8ts_gateway_requests_total\{route="ns\/r",service="ns\/s",revision="h1",code_class="2xx"\} 1$/m);
  assert.match(text, /^k8ts_gateway_requests_total\{route="ns\/r",service="ns\/s",revision="h1",code_class="5xx"\} 1$/m);
  assert.match(text, /^k8ts_gateway_request_duration_seconds_bucket\{route="ns\/r",service="ns\/s",revision="h1",le="0.003"\} 1$/m);
  assert.match(text, /^k8ts_gateway_request_duration_seconds_bucket\{[^}]*le="\+Inf"\} 2$/m);
  assert.match(text, /^k8ts_gateway_request_duration_seconds_sum\{[^}]*\} 2.003$/m);
  assert.match(text, /^k8ts_gateway_request_duration_seconds_count\{[^}]*\} 2$/m);
});
