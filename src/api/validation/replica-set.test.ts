import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { defaultReplicaSet } from '../defaults/replica-set.js';
import { validateReplicaSet } from './replica-set.js';

function replicaSet(patch: (spec: Record<string, any>) => void = () => {}): KubeObject {
  const obj: KubeObject = {
    metadata: { name: 'web-5d4f', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'web', 'pod-template-hash': '5d4f' } },
      template: { metadata: { labels: { app: 'web', 'pod-template-hash': '5d4f' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
    },
  };
  defaultReplicaSet(obj);
  patch(obj.spec as Record<string, any>);
  return obj;
}
const messages = (obj: KubeObject, old?: KubeObject): string[] => validateReplicaSet(obj, old).map(formatFieldError);

test('valid ReplicaSet, and matchExpressions selectors match too', () => {
  assert.deepEqual(messages(replicaSet()), []);
  assert.deepEqual(
    messages(replicaSet((s) => (s.selector = { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] }))),
    [],
  );
});

test('selector mismatch, negative replicas, activeDeadlineSeconds', () => {
  assert.deepEqual(messages(replicaSet((s) => (s.template.metadata.labels = { tier: 'nginx' }))), [
    'spec.template.metadata.labels: Invalid value: map[string]string{"tier":"nginx"}: `selector` does not match template `labels`',
  ]);
  assert.deepEqual(messages(replicaSet((s) => (s.replicas = -3))), ['spec.replicas: Invalid value: -3: must be greater than or equal to 0']);
  assert.deepEqual(messages(replicaSet((s) => (s.template.spec.activeDeadlineSeconds = 5))), [
    'spec.template.spec.activeDeadlineSeconds: Invalid value: 5: activeDeadlineSeconds in ReplicaSet is not Supported',
  ]);
});

test('update: selector immutable', () => {
  const old = replicaSet();
  const errs = messages(replicaSet((s) => (s.selector.matchLabels = { app: 'web' })), old);
  assert.equal(errs.length, 1);
  assert.match(errs[0] ?? '', /^spec\.selector: Invalid value: v1\.LabelSelector\{.*\}: field is immutable$/);
});
