import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ArgumentError } from '../analysis-errors.js';
import type { AnalysisTemplate, Metric } from '../analysis-types.js';
import { analysisRunSpecFromTemplates, mergeArgs } from './analysis-templates.js';
import { redact, resolveArgs, resolveMetricArgs, resolveSecretArgs } from './resolve-args.js';
import { buildRolloutAnalysisArgs, fieldPathValue } from './rollout-args.js';

describe('resolveArgs / resolveMetricArgs', () => {
  it('substitutes {{args.x}} (spaces allowed) everywhere in a metric', () => {
    const metric: Metric = {
      name: 'm', successCondition: 'result > {{ args.min }}',
      provider: { web: { url: 'http://x/{{args.svc}}', headers: [{ key: 'X', value: '{{args.svc}}' }], body: '{"q": "{{args.q}}"}' } },
    };
    const out = resolveMetricArgs(metric, [{ name: 'min', value: '0.9' }, { name: 'svc', value: 'web' }, { name: 'q', value: 'a"b\n' }]);
    assert.equal(out.successCondition, 'result > 0.9');
    assert.equal(out.provider.web!.url, 'http://x/web');
    assert.equal(out.provider.web!.headers![0]!.value, 'web');
    assert.equal(out.provider.web!.body, '{"q": "a"b\n"}', 'a quote in a value stays inside its string');
  });
  it('fails with Argo\'s messages', () => {
    assert.throws(() => resolveArgs('{{args.a}}', [{ name: 'a' }]), (e) => e instanceof ArgumentError && e.message === 'argument "a" was not supplied');
    assert.throws(() => resolveArgs('{{args.b}}', [{ name: 'a', value: '1' }]), /failed to resolve \{\{args.b\}\}/);
  });
  it('resolves secrets through the callback and redacts them', async () => {
    const { args, secrets } = await resolveSecretArgs([{ name: 't', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }, { name: 'x', value: '1' }],
      (name, key) => Promise.resolve(`${name}.${key}.value`));
    assert.deepEqual(args, [{ name: 't', value: 's.k.value' }, { name: 'x', value: '1' }]);
    assert.equal(redact('token=s.k.value!', secrets), 'token=*****!');
    await assert.rejects(resolveSecretArgs([{ name: 't', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }], undefined), /key 'k' does not exist in secret 's'/);
  });
});

describe('buildRolloutAnalysisArgs', () => {
  const rollout = { metadata: { name: 'shop', labels: { app: 'web' }, annotations: { 'team.io/owner': 'ann' } }, spec: { replicas: 3, steps: [{ setWeight: 20 }] } };
  it('resolves podTemplateHashValue and fieldRef through the caller', () => {
    const args = buildRolloutAnalysisArgs([
      { name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } },
      { name: 'stable-hash', valueFrom: { podTemplateHashValue: 'Stable' } },
      { name: 'app', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
      { name: 'plain', value: 'v' },
    ], { podTemplateHash: (w) => (w === 'Latest' ? 'abc' : 'def'), fieldRef: (p) => fieldPathValue(rollout, p) });
    assert.deepEqual(args, [
      { name: 'canary-hash', value: 'abc' }, { name: 'stable-hash', value: 'def' }, { name: 'app', value: 'web' }, { name: 'plain', value: 'v' },
    ]);
  });
  it('fieldPathValue reads metadata and spec paths, primitives only', () => {
    assert.equal(fieldPathValue(rollout, 'metadata.name'), 'shop');
    assert.equal(fieldPathValue(rollout, 'metadata.annotations["team.io/owner"]'), 'ann');
    assert.equal(fieldPathValue(rollout, 'spec.replicas'), '3');
    assert.equal(fieldPathValue(rollout, 'spec.steps[0].setWeight'), '20');
    assert.equal(fieldPathValue(rollout, 'spec.steps'), undefined);
    assert.equal(fieldPathValue(rollout, 'spec.nope'), undefined);
    assert.throws(() => buildRolloutAnalysisArgs([{ name: 'x', valueFrom: { fieldRef: { fieldPath: 'spec.nope' } } }], { podTemplateHash: () => undefined, fieldRef: () => undefined }), /invalid path spec.nope in rollout/);
  });
});

describe('analysisRunSpecFromTemplates', () => {
  const a: AnalysisTemplate = { spec: { args: [{ name: 'svc' }, { name: 'window', value: '60s' }], metrics: [{ name: 'rate', provider: { web: { url: 'u' } } }], dryRun: [{ metricName: 'rate' }] } };
  const b: AnalysisTemplate = { spec: { args: [{ name: 'svc' }], metrics: [{ name: 'latency', provider: { web: { url: 'u' } } }] } };
  it('flattens templates and applies the caller\'s args (the worked example)', () => {
    const spec = analysisRunSpecFromTemplates({ templates: [a], clusterTemplates: [b], args: [{ name: 'svc', value: 'web' }] });
    assert.deepEqual(spec.args, [{ name: 'svc', value: 'web' }, { name: 'window', value: '60s' }]);
    assert.deepEqual(spec.metrics.map((m) => m.name), ['rate', 'latency']);
    assert.deepEqual(spec.dryRun, [{ metricName: 'rate' }]);
  });
  it('rejects unresolved args, conflicting values and duplicate metrics', () => {
    assert.throws(() => analysisRunSpecFromTemplates({ templates: [a] }), /args.svc was not resolved/);
    const c: AnalysisTemplate = { spec: { args: [{ name: 'window', value: '5m' }] } };
    assert.throws(() => analysisRunSpecFromTemplates({ templates: [a, c], args: [{ name: 'svc', value: 'x' }] }), /Argument `window` specified multiple times with different values: '60s', '5m'/);
    assert.throws(() => analysisRunSpecFromTemplates({ templates: [a, a], args: [{ name: 'svc', value: 'x' }] }), /two metrics have the same name 'rate'/);
    assert.deepEqual(mergeArgs([{ name: 'x', value: '1' }], [{ name: 'y', value: '2' }]), [{ name: 'y', value: '2' }]);
  });
});
