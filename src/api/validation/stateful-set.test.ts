import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultStatefulSet } from '../defaults/stateful-set.js';
import { formatFieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { validateStatefulSet } from './stateful-set.js';

type Spec = Record<string, any>;

function statefulSet(patch: (spec: Spec) => void = () => {}, name = 'web'): KubeObject {
  const obj: KubeObject = {
    metadata: { name, namespace: 'default' },
    spec: {
      serviceName: 'web',
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    },
  };
  defaultStatefulSet(obj);
  patch(obj['spec'] as Spec);
  return obj;
}
const messages = (obj: KubeObject, old?: KubeObject): string[] => validateStatefulSet(obj, old).map(formatFieldError);
const FORBIDDEN = "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', " +
  "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

test('a defaulted StatefulSet is valid, with or without serviceName', () => {
  assert.deepEqual(messages(statefulSet()), []);
  assert.deepEqual(messages(statefulSet((s) => (s.serviceName = ''))), []);
});

test('the name must be a DNS label (it becomes each pod hostname)', () => {
  assert.deepEqual(messages(statefulSet(() => {}, 'web.v1')), ['metadata.name: Invalid value: "web.v1": must not contain dots']);
  assert.deepEqual(messages(statefulSet(() => {}, 'web-v1')), []);
});

test('selector: required, non-empty, matching the template labels', () => {
  assert.deepEqual(messages(statefulSet((s) => delete s.selector)), [
    'spec.selector: Required value',
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
  ]);
  assert.deepEqual(messages(statefulSet((s) => (s.selector = {}))), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for statefulset',
  ]);
  assert.deepEqual(messages(statefulSet((s) => (s.template.metadata.labels = { app: 'db' }))), [
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"db"}: `selector` does not match template `labels`',
  ]);
  const unparsable = messages(statefulSet((s) => (s.selector = { matchExpressions: [{ key: 'app', operator: 'Near' }] })));
  assert.deepEqual(unparsable, [
    'spec.selector.matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator',
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"Near", Values:[]string(nil)}}}',
  ]);
});

test('the template must restart Always and have no deadline, but is not validated as a pod (upstream 1.32)', () => {
  assert.deepEqual(messages(statefulSet((s) => (s.template.spec.restartPolicy = 'Never'))), [
    'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
  ]);
  assert.deepEqual(messages(statefulSet((s) => (s.template.spec.activeDeadlineSeconds = 10))), [
    'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported',
  ]);
  assert.deepEqual(messages(statefulSet((s) => (s.template.spec.containers[0].image = ''))), []);
  assert.deepEqual(messages(statefulSet((s) => (s.template.metadata.labels['bad key'] = 'x'))).length, 1);
});

test('podManagementPolicy, updateStrategy and retention policy values', () => {
  assert.deepEqual(messages(statefulSet((s) => (s.podManagementPolicy = 'Random'))), [
    'spec.podManagementPolicy: Invalid value: "Random": must be \'OrderedReady\' or \'Parallel\'',
  ]);
  assert.deepEqual(messages(statefulSet((s) => (s.updateStrategy = { type: 'Recreate' }))), [
    'spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{Type:"Recreate", RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}: ' +
      "must be 'RollingUpdate' or 'OnDelete'",
  ]);
  assert.deepEqual(messages(statefulSet((s) => (s.updateStrategy = { type: 'OnDelete', rollingUpdate: { partition: 2 } }))), [
    'spec.updateStrategy.rollingUpdate: Invalid value: apps.RollingUpdateStatefulSetStrategy{Partition:2, MaxUnavailable:(*intstr.IntOrString)(nil)}: ' +
      "only allowed for updateStrategy 'RollingUpdate'",
  ]);
  assert.deepEqual(messages(statefulSet((s) => (s.updateStrategy.rollingUpdate.partition = -1))), [
    'spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0',
  ]);
  assert.deepEqual(messages(statefulSet((s) => (s.updateStrategy.rollingUpdate.maxUnavailable = 0))), [
    'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: cannot be 0',
  ]);
  assert.deepEqual(messages(statefulSet((s) => (s.persistentVolumeClaimRetentionPolicy.whenScaled = 'Keep'))), [
    'spec.persistentVolumeClaimRetentionPolicy.whenScaled: Unsupported value: "Keep": supported values: "Retain", "Delete"',
  ]);
});

test('replicas, minReadySeconds and ordinals.start are not negative', () => {
  assert.deepEqual(messages(statefulSet((s) => {
    s.replicas = -1;
    s.minReadySeconds = -5;
    s.ordinals = { start: -2 };
  })), [
    'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    'spec.minReadySeconds: Invalid value: -5: must be greater than or equal to 0',
    'spec.ordinals.start: Invalid value: -2: must be greater than or equal to 0',
  ]);
});

test('update: replicas, ordinals, template, updateStrategy, retention policy and minReadySeconds may change', () => {
  const old = statefulSet();
  const changed = statefulSet((s) => {
    s.replicas = 5;
    s.ordinals = { start: 3 };
    s.template.spec.containers[0].image = 'nginx:1.28';
    s.updateStrategy = { type: 'OnDelete' };
    s.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Delete', whenScaled: 'Delete' };
    s.minReadySeconds = 10;
  });
  assert.deepEqual(messages(changed, old), []);
});

test('update: any other spec change is forbidden with upstream 1.32 wording', () => {
  const old = statefulSet();
  const changes: ((s: Spec) => void)[] = [
    (s) => (s.serviceName = 'other'),
    (s) => (s.podManagementPolicy = 'Parallel'),
    (s) => (s.revisionHistoryLimit = 3),
    (s) => (s.volumeClaimTemplates[0].spec.resources.requests.storage = '2Gi'),
    (s) => {
      s.selector = { matchLabels: { app: 'web', tier: 'db' } };
      s.template.metadata.labels.tier = 'db';
    },
  ];
  for (const change of changes) assert.deepEqual(messages(statefulSet(change), old), [FORBIDDEN], change.toString());
});
