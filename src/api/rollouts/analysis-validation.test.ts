import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatFieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { validateAnalysisRun, validateAnalysisTemplate, validateClusterAnalysisTemplate } from './analysis-validation.js';

const web = { web: { url: 'http://example.com' } };

void describe('analysis kinds validation', () => {
  it('accepts templates whose metric rules only the run can judge', () => {
    // count 5 with no interval is an Argo run-time error (phase Error), not an admission error.
    const template: KubeObject = { metadata: { name: 't', namespace: 'ns' }, spec: { metrics: [{ name: 'm', count: 5, provider: web }] } };
    assert.deepEqual(validateAnalysisTemplate(template), []);
  });

  it('requires metric names, providers and unique names', () => {
    const template: KubeObject = {
      metadata: { name: 't', namespace: 'ns' },
      spec: {
        metrics: [{ name: 'm', provider: web }, { name: 'm', provider: web }, { provider: web }, { name: 'x' }],
        args: [{ name: 'a' }, { name: 'a' }, { valueFrom: { secretKeyRef: { name: 's' } } }],
        dryRun: [{}],
        measurementRetention: [{ metricName: 'm' }, { metricName: 'm', limit: -1 }],
        templates: [{}],
      },
    };
    assert.deepEqual(validateAnalysisTemplate(template).map(formatFieldError), [
      'spec.metrics[1].name: Duplicate value: "m"',
      'spec.metrics[2].name: Required value',
      'spec.metrics[3].provider: Required value',
      'spec.args[1].name: Duplicate value: "a"',
      'spec.args[2].name: Required value',
      'spec.args[2].valueFrom.secretKeyRef.key: Required value',
      'spec.dryRun[0].metricName: Required value',
      'spec.measurementRetention[0].limit: Required value',
      'spec.measurementRetention[1].limit: Invalid value: -1: must be greater than or equal to 0',
      'spec.templates[0].templateName: Required value',
    ]);
  });

  it('scopes ClusterAnalysisTemplates to the cluster', () => {
    const namespaced: KubeObject = { metadata: { name: 'c', namespace: 'ns' }, spec: {} };
    assert.deepEqual(validateClusterAnalysisTemplate(namespaced).map(formatFieldError), ['metadata.namespace: Forbidden: not allowed on this type']);
    assert.deepEqual(validateClusterAnalysisTemplate({ metadata: { name: 'c' }, spec: {} }), []);
  });

  it('requires the metrics of an AnalysisRun', () => {
    assert.deepEqual(validateAnalysisRun({ metadata: { name: 'r', namespace: 'ns' }, spec: {} }).map(formatFieldError), ['spec.metrics: Required value']);
    assert.deepEqual(validateAnalysisRun({ metadata: { name: 'r', namespace: 'ns' } }).map(formatFieldError), ['spec: Required value']);
    const run: KubeObject = { metadata: { name: 'r', namespace: 'ns' }, spec: { metrics: [{ name: 'm', provider: web }], terminate: true, ttlStrategy: { secondsAfterSuccess: -1 } } };
    assert.deepEqual(validateAnalysisRun(run).map(formatFieldError), ['spec.ttlStrategy.secondsAfterSuccess: Invalid value: -1: must be greater than or equal to 0']);
  });
});
