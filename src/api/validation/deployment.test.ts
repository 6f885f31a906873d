import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { defaultDeployment } from '../defaults/deployment.js';
import { validateDeployment } from './deployment.js';

function deployment(patch: (spec: Record<string, any>) => void = () => {}): KubeObject {
  const obj: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'u', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
    },
  };
  defaultDeployment(obj);
  patch(obj.spec as Record<string, any>);
  return obj;
}

const messages = (obj: KubeObject, old?: KubeObject): string[] => validateDeployment(obj, old).map(formatFieldError);

test('a defaulted Deployment is valid', () => {
  assert.deepEqual(messages(deployment()), []);
});

test('selector must match template labels (Go-formatted map like upstream)', () => {
  const obj = deployment((s) => (s.template.metadata.labels = { app: 'x' }));
  assert.deepEqual(messages(obj), [
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`',
  ]);
});

test('selector required and non-empty', () => {
  assert.deepEqual(messages(deployment((s) => delete s.selector)), [
    'spec.selector: Required value',
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
  ]);
  assert.deepEqual(messages(deployment((s) => (s.selector = {}))), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
  ]);
  assert.deepEqual(
    messages(deployment((s) => (s.selector = { matchExpressions: [{ key: 'app', operator: 'Near', values: ['web'] }] }))),
    [
      'spec.selector.matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator',
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"Near", Values:[]string{"web"}}}}: invalid label selector',
    ],
  );
});

test('replicas, revisionHistoryLimit and progressDeadlineSeconds bounds', () => {
  assert.deepEqual(messages(deployment((s) => (s.replicas = -1))), ['spec.replicas: Invalid value: -1: must be greater than or equal to 0']);
  assert.deepEqual(messages(deployment((s) => (s.revisionHistoryLimit = -2))), [
    'spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0',
  ]);
  assert.deepEqual(
    messages(
      deployment((s) => {
        s.minReadySeconds = 10;
        s.progressDeadlineSeconds = 10;
      }),
    ),
    ['spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds'],
  );
});

test('rolling update: not both zero, percentages valid and at most 100%', () => {
  assert.deepEqual(messages(deployment((s) => (s.strategy.rollingUpdate = { maxSurge: 0, maxUnavailable: 0 }))), [
    'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0',
  ]);
  assert.deepEqual(messages(deployment((s) => (s.strategy.rollingUpdate.maxUnavailable = '150%'))), [
    'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%',
  ]);
  assert.deepEqual(messages(deployment((s) => (s.strategy.rollingUpdate.maxSurge = 'lots'))), [
    "spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"lots\"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
  ]);
  assert.deepEqual(messages(deployment((s) => (s.strategy = { type: 'Recreate', rollingUpdate: {} }))), [
    "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
  ]);
  assert.deepEqual(messages(deployment((s) => (s.strategy = { type: 'BlueGreen' }))), [
    'spec.strategy: Unsupported value: "BlueGreen": supported values: "Recreate", "RollingUpdate"',
  ]);
});

test('template pods must restart Always and need containers with images', () => {
  assert.deepEqual(messages(deployment((s) => (s.template.spec.restartPolicy = 'Never'))), [
    'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
  ]);
  assert.deepEqual(messages(deployment((s) => delete s.template.spec.containers[0].image)), ['spec.template.spec.containers[0].image: Required value']);
  assert.deepEqual(messages(deployment((s) => (s.template.spec.containers = []))), ['spec.template.spec.containers: Required value']);
});

test('update: selector is immutable', () => {
  const old = deployment();
  const changed = deployment((s) => {
    s.selector = { matchLabels: { app: 'web2' } };
    s.template.metadata.labels = { app: 'web2' };
  });
  assert.deepEqual(messages(changed, old), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  ]);
  assert.deepEqual(messages(deployment((s) => (s.replicas = 5)), old), []);
});
