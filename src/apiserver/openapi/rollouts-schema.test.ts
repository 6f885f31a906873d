// The served schemas of the argoproj.io kinds (derived from src/api/rollouts/v1alpha1/*.ts): Argo
// manifests pass strict field validation unchanged, opaque parts (plugins, other providers,
// jsonBody) keep any fields, and misspelt fields are still found.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { FieldValidator } from './field-validation.js';
import { BUILTIN_SCHEMAS } from './component-schemas.js';

const MANIFESTS = join(import.meta.dirname, '..', '..', '..', 'test', 'e2e', 'manifests', 'rollouts');
const validator = new FieldValidator();
const gvk = (kind: string) => ({ group: 'argoproj.io', version: 'v1alpha1', kind });

function documents(file: string): Record<string, unknown>[] {
  return parseAllDocuments(readFileSync(join(MANIFESTS, file), 'utf8')).map((d) => d.toJS() as Record<string, unknown>);
}

void describe('argoproj.io schemas', () => {
  it('knows the four kinds and their lists', () => {
    for (const kind of ['Rollout', 'AnalysisTemplate', 'ClusterAnalysisTemplate', 'AnalysisRun']) {
      assert.equal(validator.knows(gvk(kind)), true, kind);
      assert.equal(validator.knows(gvk(`${kind}List`)), true, `${kind}List`);
    }
  });

  it('accepts Argo example manifests unchanged', () => {
    for (const file of ['rollout-canary.yaml', 'rollout-bluegreen.yaml', 'analysis-templates.yaml']) {
      for (const doc of documents(file)) {
        const apiVersion = String(doc.apiVersion);
        const kind = String(doc.kind);
        const id = apiVersion === 'v1' ? { group: '', version: 'v1', kind } : gvk(kind);
        assert.deepEqual(validator.unknownFields(id, doc), [], `${file} ${kind}`);
      }
    }
  });

  it('finds misspelt fields, but not inside opaque objects', () => {
    const [rollout] = documents('unknown-field.yaml');
    assert.deepEqual(validator.unknownFields(gvk('Rollout'), rollout), ['spec.strategy.canary.steps[0].setWeigth']);
    const template = {
      spec: {
        metrics: [{
          name: 'm', provider: { kayenta: { anything: 1 }, job: { spec: { template: {} } }, web: { url: 'u', jsonBody: { a: [1] }, urll: 'x' } },
          intervall: '1m',
        }],
      },
    };
    assert.deepEqual(validator.unknownFields(gvk('AnalysisTemplate'), template), ['spec.metrics[0].provider.web.urll', 'spec.metrics[0].intervall']);
    const status = { status: { decisions: [{ time: 't', kind: 'step', message: 'm', metrics: [{ name: 'x', value: '1', bogus: 1 }] }], HPAReplicas: 1 } };
    assert.deepEqual(validator.unknownFields(gvk('Rollout'), status), ['status.decisions[0].metrics[0].bogus']);
  });

  it('names components after the reversed group and keeps IntOrString fields open', () => {
    const schemas = BUILTIN_SCHEMAS as Record<string, { properties?: Record<string, Record<string, unknown>> }>;
    const rollout = schemas['io.argoproj.v1alpha1.Rollout'];
    assert.ok(rollout);
    const pause = schemas['io.argoproj.v1alpha1.RolloutPause']?.properties?.duration;
    assert.deepEqual(pause?.allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString' }]);
    const plugins = schemas['io.argoproj.v1alpha1.RolloutTrafficRouting']?.properties?.plugins;
    assert.deepEqual(plugins?.additionalProperties, { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
  });
});
