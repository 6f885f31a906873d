import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldValidator, strictDecodingMessage } from './field-validation.js';

const validator = new FieldValidator();
const DEPLOYMENT = { group: 'apps', version: 'v1', kind: 'Deployment' };

/** Sets `value` at `path` inside a test object (creating nothing: the path must exist up to its last step). */
function set(obj: unknown, path: readonly (string | number)[], value: unknown): void {
  let current = obj as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) current = current[step] as Record<string | number, unknown>;
  current[path[path.length - 1]!] = value;
}

function deployment(): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web', labels: { app: 'web', 'example.com/any-key': 'x' }, annotations: { 'a/b': 'c' },
      managedFields: [{ manager: 'kubectl', operation: 'Apply', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }],
      ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u' }],
    },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            { name: 'a', image: 'busybox', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '100m', memory: 128 } },
              readinessProbe: { httpGet: { port: 'http', path: '/' } } },
            { name: 'b', image: 'busybox', env: [{ name: 'X', value: 'y' }] },
          ],
        },
      },
    },
    status: { replicas: 3, conditions: [{ type: 'Available', status: 'True', lastTransitionTime: '2024-01-01T00:00:00Z' }] },
  };
}

void test('a full valid Deployment (maps, status, managedFields, int-or-string, quantities) has no unknown fields or type errors', () => {
  assert.deepEqual(validator.unknownFields(DEPLOYMENT, deployment()), []);
  assert.deepEqual(validator.typeErrors(DEPLOYMENT, deployment()), []);
});

void test('unknown fields are reported at every depth with upstream-style paths', () => {
  const obj = deployment();
  set(obj, ['topLevel'], 1);
  set(obj, ['metadata', 'labelz'], { a: 'b' });
  set(obj, ['spec', 'foo'], 'x');
  set(obj, ['spec', 'template', 'spec', 'containers', 1, 'imagee'], 'busybox');
  set(obj, ['spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'bogus'], true);
  set(obj, ['spec', 'strategy', 'rollingUpdate', 'extra'], 1);
  // Document order: `spec.foo` was added after the existing spec fields, `topLevel` after status.
  assert.deepEqual(validator.unknownFields(DEPLOYMENT, obj), [
    'metadata.labelz',
    'spec.strategy.rollingUpdate.extra',
    'spec.template.spec.containers[0].ports[0].bogus',
    'spec.template.spec.containers[1].imagee',
    'spec.foo',
    'topLevel',
  ]);
});

void test('core kinds: ConfigMap data keys are free, a misspelt top-level field is not', () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { anything: 'v', 'x.y': 'z' }, datta: {} };
  assert.deepEqual(validator.unknownFields({ group: '', version: 'v1', kind: 'ConfigMap' }, cm), ['datta']);
});

void test('unknown kinds and non-objects yield nothing', () => {
  assert.equal(validator.knows({ group: 'example.com', version: 'v1', kind: 'Widget' }), false);
  assert.deepEqual(validator.unknownFields({ group: 'example.com', version: 'v1', kind: 'Widget' }, { spec: { foo: 1 } }), []);
  assert.deepEqual(validator.unknownFields(DEPLOYMENT, null), []);
});

void test('values of the wrong JSON type are reported with the expected type', () => {
  const obj = deployment();
  set(obj, ['spec', 'replicas'], 'three');
  set(obj, ['spec', 'template', 'spec', 'containers', 0, 'ports'], { containerPort: 80 });
  set(obj, ['spec', 'strategy', 'rollingUpdate', 'maxSurge'], true);
  set(obj, ['spec', 'template', 'spec', 'containers', 1, 'env', 0, 'value'], 5);
  set(obj, ['spec', 'template', 'spec', 'containers', 1, 'resources'], { limits: { cpu: false } });
  assert.deepEqual(validator.typeErrors(DEPLOYMENT, obj).map(({ path, expected, actual }) => ({ path, expected, actual })), [
    { path: 'spec.replicas', expected: 'integer', actual: 'string' },
    { path: 'spec.strategy.rollingUpdate.maxSurge', expected: 'int-or-string', actual: 'boolean' },
    { path: 'spec.template.spec.containers[0].ports', expected: 'array', actual: 'object' },
    { path: 'spec.template.spec.containers[1].env[0].value', expected: 'string', actual: 'number' },
    { path: 'spec.template.spec.containers[1].resources.limits.cpu', expected: 'string|number', actual: 'boolean' },
  ]);
  set(obj, ['spec', 'replicas'], null);
  assert.ok(!validator.typeErrors(DEPLOYMENT, obj).some((e) => e.path === 'spec.replicas'), 'null is accepted');
});

void test('strictDecodingMessage matches upstream', () => {
  assert.equal(strictDecodingMessage(['spec.foo', 'spec.bar']), 'strict decoding error: unknown field "spec.foo", unknown field "spec.bar"');
  assert.equal(strictDecodingMessage(['x']), 'strict decoding error: unknown field "x"');
});
