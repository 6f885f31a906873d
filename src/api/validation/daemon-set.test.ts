import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultDaemonSet } from '../defaults/daemon-set.js';
import { formatFieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { validateDaemonSet } from './daemon-set.js';

type Spec = Record<string, any>;

function daemonSet(patch: (spec: Spec) => void = () => {}): KubeObject {
  const obj: KubeObject = {
    metadata: { name: 'agent', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'agent:1' }] } },
    },
  };
  defaultDaemonSet(obj);
  patch(obj['spec'] as Spec);
  return obj;
}
const messages = (obj: KubeObject, old?: KubeObject): string[] => validateDaemonSet(obj, old).map(formatFieldError);
const rolling = (maxUnavailable: unknown, maxSurge: unknown) => (s: Spec) => (s.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable, maxSurge } });

test('a defaulted DaemonSet is valid, with a surge instead of unavailability too', () => {
  assert.deepEqual(messages(daemonSet()), []);
  assert.deepEqual(messages(daemonSet(rolling(0, '10%'))), []);
  assert.deepEqual(messages(daemonSet((s) => (s.updateStrategy = { type: 'OnDelete' }))), []);
});

test('a missing selector is reported as not matching the template, an empty one as empty', () => {
  assert.deepEqual(messages(daemonSet((s) => delete s.selector)), [
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"agent"}: `selector` does not match template `labels`',
  ]);
  assert.deepEqual(messages(daemonSet((s) => (s.selector = {}))), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset',
  ]);
  assert.deepEqual(messages(daemonSet((s) => (s.selector = { matchLabels: { app: 'other' } }))), [
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"agent"}: `selector` does not match template `labels`',
  ]);
});

test('the pod template is validated as a pod, must restart Always and may not have a deadline', () => {
  assert.deepEqual(messages(daemonSet((s) => (s.template.spec.containers[0].image = ''))), ['spec.template.spec.containers[0].image: Required value']);
  assert.deepEqual(messages(daemonSet((s) => (s.template.spec.restartPolicy = 'OnFailure'))), [
    'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
  ]);
  assert.deepEqual(messages(daemonSet((s) => (s.template.spec.activeDeadlineSeconds = 30))), [
    'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported',
  ]);
});

test('rolling update: not both 0, not both set, valid percentages up to 100%', () => {
  assert.deepEqual(messages(daemonSet(rolling(0, 0))), ['spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0']);
  assert.deepEqual(messages(daemonSet(rolling(1, '10%'))), [
    'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"10%"}: may not be set when maxUnavailable is non-zero',
  ]);
  assert.deepEqual(messages(daemonSet(rolling('150%', 0))), [
    'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%',
  ]);
  // -1 counts as non-zero, as upstream: only its sign is reported.
  assert.deepEqual(messages(daemonSet(rolling(-1, 0))), ['spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: -1: must be greater than or equal to 0']);
  assert.match(messages(daemonSet(rolling('half', 0))).join('\n'), /maxUnavailable: Invalid value: intstr\.IntOrString\{Type:1, IntVal:0, StrVal:"half"\}: a valid percent string must be/);
});

test('updateStrategy type, minReadySeconds and revisionHistoryLimit', () => {
  assert.deepEqual(messages(daemonSet((s) => (s.updateStrategy = { type: 'Recreate' }))), [
    'spec.updateStrategy: Unsupported value: "Recreate": supported values: "RollingUpdate", "OnDelete"',
  ]);
  assert.deepEqual(messages(daemonSet((s) => (s.minReadySeconds = -1))), ['spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0']);
  assert.deepEqual(messages(daemonSet((s) => (s.revisionHistoryLimit = -2))), ['spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0']);
});

test('update: the selector is immutable, the template is not', () => {
  const old = daemonSet();
  assert.deepEqual(messages(daemonSet((s) => (s.template.spec.containers[0].image = 'agent:2')), old), []);
  const narrowed = daemonSet((s) => {
    s.selector = { matchLabels: { app: 'agent', tier: 'x' } };
    s.template.metadata.labels.tier = 'x';
  });
  const errs = messages(narrowed, old);
  assert.equal(errs.length, 1);
  assert.match(errs[0] ?? '', /^spec\.selector: Invalid value: v1\.LabelSelector\{.*\}: field is immutable$/);
});
