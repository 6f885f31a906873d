import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotFoundError } from '../../lib/errors.js';
import { MemoryStore } from '../../storage/memory/memory-store.js';
import { ApiMetrics } from './api-metrics.js';
import { instrumentStore } from './instrument-store.js';
import { Histogram } from './prometheus-metrics.js';

describe('ApiMetrics text exposition', () => {
  it('renders counters, cumulative histogram buckets and gauges', () => {
    const metrics = new ApiMetrics();
    metrics.observeRequest({ verb: 'LIST', resource: 'pods' }, 200, 0.003);
    metrics.observeRequest({ verb: 'LIST', resource: 'pods' }, 200, 0.3);
    metrics.observeRequest({ verb: 'WATCH', resource: 'pods' }, 200, undefined);
    metrics.watchOpened('pods');
    const text = metrics.render();
    assert.match(text, /^# TYPE apiserver_request_total counter$/m);
    assert.match(text, /^apiserver_request_total\{verb="LIST",resource="pods",subresource="",code="200"\} 2$/m);
    assert.match(text, /^apiserver_request_total\{verb="WATCH",resource="pods",subresource="",code="200"\} 1$/m);
    assert.match(text, /^apiserver_request_duration_seconds_bucket\{verb="LIST",resource="pods",subresource="",le="0.005"\} 1$/m);
    assert.match(text, /^apiserver_request_duration_seconds_bucket\{verb="LIST",resource="pods",subresource="",le="0.4"\} 2$/m);
    assert.match(text, /^apiserver_request_duration_seconds_bucket\{verb="LIST",resource="pods",subresource="",le="\+Inf"\} 2$/m);
    assert.match(text, /^apiserver_request_duration_seconds_count\{verb="LIST",resource="pods",subresource=""\} 2$/m);
    assert.match(text, /^apiserver_request_duration_seconds_sum\{verb="LIST",resource="pods",subresource=""\} 0.303$/m);
    // Watches are not in the duration histogram: their duration is the client's choice.
    assert.doesNotMatch(text, /apiserver_request_duration_seconds_count\{verb="WATCH"/);
    assert.match(text, /^apiserver_longrunning_requests\{verb="WATCH",resource="pods",subresource=""\} 1$/m);
  });

  it('labels subresource requests with the resource and the subresource apart, as upstream', () => {
    const metrics = new ApiMetrics();
    metrics.observeRequest({ verb: 'UPDATE', resource: 'deployments', subresource: 'scale' }, 200, 0.01);
    metrics.observeRequest({ verb: 'UPDATE', resource: 'deployments' }, 200, 0.01);
    const text = metrics.render();
    assert.match(text, /^apiserver_request_total\{verb="UPDATE",resource="deployments",subresource="scale",code="200"\} 1$/m);
    assert.match(text, /^apiserver_request_total\{verb="UPDATE",resource="deployments",subresource="",code="200"\} 1$/m);
    assert.doesNotMatch(text, /deployments\/scale/);
  });

  it('escapes label values', () => {
    const histogram = new Histogram({ name: 'h', help: 'help', labelNames: ['l'], buckets: [1] });
    histogram.observe({ l: 'a"b\\c\nd' }, 2);
    assert.match(histogram.render(), /^h_bucket\{l="a\\"b\\\\c\\nd",le="1"\} 0$/m);
  });
});

describe('instrumentStore', () => {
  it('times every store operation and counts failures by code', async () => {
    const metrics = new ApiMetrics();
    let tick = 0;
    const store = instrumentStore(new MemoryStore(), metrics, () => (tick += 2));
    await store.create('/a', '1');
    await store.get('/a');
    await assert.rejects(store.update('/missing', 'x', 1), NotFoundError);
    const text = metrics.render();
    assert.match(text, /^k8ts_store_operation_duration_seconds_count\{operation="create"\} 1$/m);
    assert.match(text, /^k8ts_store_operation_duration_seconds_sum\{operation="get"\} 0.002$/m);
    assert.match(text, /^k8ts_store_operation_errors_total\{operation="update",code="NotFound"\} 1$/m);
    await store.close();
  });
});
