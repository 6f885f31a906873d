import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { admitPod, defaultPod } from '../defaults/pod.js';
import { POD_UPDATE_FORBIDDEN_MESSAGE, validatePod } from './pod.js';

function pod(patch: (spec: Record<string, any>) => void = () => {}): KubeObject {
  const obj: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default' },
    spec: {
      containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 80 }], volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
      volumes: [{ name: 'data', emptyDir: {} }],
    },
  };
  defaultPod(obj);
  admitPod(obj);
  patch(obj.spec as Record<string, any>);
  return obj;
}
const messages = (obj: KubeObject, old?: KubeObject): string[] => validatePod(obj, old).map(formatFieldError);

test('a defaulted pod is valid', () => {
  assert.deepEqual(messages(pod()), []);
});

test('containers: required, names, duplicates, image', () => {
  assert.deepEqual(messages(pod((s) => (s.containers = []))), ['spec.containers: Required value']);
  assert.deepEqual(
    messages(pod((s) => s.containers.push({ ...s.containers[0], volumeMounts: [], ports: [] }))),
    ['spec.containers[1].name: Duplicate value: "app"'],
  );
  assert.deepEqual(messages(pod((s) => (s.containers[0].image = ''))), ['spec.containers[0].image: Required value']);
  assert.deepEqual(messages(pod((s) => (s.containers[0].image = ' nginx'))), [
    'spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace',
  ]);
  assert.match(messages(pod((s) => (s.containers[0].name = 'App')))[0] ?? '', /^spec\.containers\[0\]\.name: Invalid value: "App": a lowercase RFC 1123 label/);
  assert.deepEqual(messages(pod((s) => (s.initContainers = [{ name: 'app', image: 'x', imagePullPolicy: 'Always', terminationMessagePolicy: 'File' }]))), [
    'spec.initContainers[0].name: Duplicate value: "app"',
  ]);
});

test('ports: range, protocol, duplicate names', () => {
  assert.deepEqual(messages(pod((s) => (s.containers[0].ports[0].containerPort = 70000))), [
    'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
  ]);
  assert.deepEqual(messages(pod((s) => (s.containers[0].ports[0].protocol = 'HTTP'))), [
    'spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
  ]);
  assert.deepEqual(messages(pod((s) => s.containers[0].ports.push({ name: 'http', containerPort: 81, protocol: 'TCP' }))), [
    'spec.containers[0].ports[1].name: Duplicate value: "http"',
  ]);
});

test('env names and valueFrom', () => {
  assert.deepEqual(messages(pod((s) => (s.containers[0].env = [{ value: 'x' }]))), ['spec.containers[0].env[0].name: Required value']);
  assert.deepEqual(messages(pod((s) => (s.containers[0].env = [{ name: 'A', value: 'x', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }]))), [
    'spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
  ]);
  assert.deepEqual(messages(pod((s) => (s.containers[0].env = [{ name: 'A', valueFrom: {} }]))), [
    'spec.containers[0].env[0].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
  ]);
});

test('volumes: unique names, exactly one source; mounts must name a volume', () => {
  assert.deepEqual(messages(pod((s) => (s.containers[0].volumeMounts[0].name = 'missing'))), [
    'spec.containers[0].volumeMounts[0].name: Not found: "missing"',
  ]);
  assert.deepEqual(messages(pod((s) => s.volumes.push({ name: 'data', emptyDir: {} }))), ['spec.volumes[1].name: Duplicate value: "data"']);
  assert.deepEqual(messages(pod((s) => (s.volumes[0] = { name: 'data' }))), ['spec.volumes[0]: Required value: must specify a volume type']);
  assert.deepEqual(messages(pod((s) => (s.volumes[0] = { name: 'data', emptyDir: {}, hostPath: { path: '/x', type: '' } }))), [
    'spec.volumes[0].emptyDir: Forbidden: may not specify more than 1 volume type',
  ]);
  assert.deepEqual(messages(pod((s) => (s.volumes[0] = { name: 'data', configMap: { defaultMode: 420 } }))), [
    'spec.volumes[0].configMap.name: Required value',
  ]);
});

test('resources: requests must not exceed limits; quantities must parse', () => {
  assert.deepEqual(messages(pod((s) => (s.containers[0].resources = { limits: { cpu: '1' }, requests: { cpu: '2' } }))), [
    'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
  ]);
  assert.match(messages(pod((s) => (s.containers[0].resources = { requests: { memory: '1 GB' } })))[0] ?? '', /resources\.requests\[memory\]: Invalid value: "1 GB": quantities must match/);
  assert.deepEqual(messages(pod((s) => (s.containers[0].resources = { requests: { gpus: '1' } }))), [
    'spec.containers[0].resources.requests[gpus]: Invalid value: "gpus": must be a standard resource for containers',
  ]);
});

test('restartPolicy, dnsPolicy and probes', () => {
  assert.deepEqual(messages(pod((s) => (s.restartPolicy = 'Sometimes'))), [
    'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
  ]);
  assert.deepEqual(messages(pod((s) => (s.dnsPolicy = 'Magic'))), [
    'spec.dnsPolicy: Unsupported value: "Magic": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
  ]);
  assert.deepEqual(messages(pod((s) => (s.containers[0].livenessProbe = { periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 }))), [
    'spec.containers[0].livenessProbe: Required value: must specify a handler type',
  ]);
  assert.deepEqual(
    messages(pod((s) => (s.containers[0].livenessProbe = { httpGet: { path: '/', port: 80, scheme: 'HTTP' }, successThreshold: 2, failureThreshold: 3 }))),
    ['spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1'],
  );
  assert.deepEqual(messages(pod((s) => (s.containers[0].readinessProbe = { exec: { command: ['true'] }, tcpSocket: { port: 80 }, successThreshold: 1 }))), [
    'spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type',
  ]);
});

test('container restartPolicy: only Always, only on init containers (native sidecars)', () => {
  const init = (extra: Record<string, unknown>) => (s: Record<string, any>) =>
    (s.initContainers = [{ name: 'side', image: 'x', imagePullPolicy: 'Always', terminationMessagePolicy: 'File', ...extra }]);
  const probe = { exec: { command: ['true'] }, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 };
  assert.deepEqual(messages(pod(init({ restartPolicy: 'Always', readinessProbe: probe, lifecycle: { postStart: { exec: { command: ['true'] } } } }))), []);
  assert.deepEqual(messages(pod(init({ restartPolicy: 'Never' }))), [
    'spec.initContainers[0].restartPolicy: Unsupported value: "Never": supported values: "Always"',
  ]);
  assert.deepEqual(messages(pod(init({ readinessProbe: probe }))), [
    'spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
  ]);
  assert.deepEqual(messages(pod((s) => (s.containers[0].restartPolicy = 'Always'))), [
    'spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers',
  ]);
});

test('tolerations', () => {
  assert.deepEqual(messages(pod((s) => s.tolerations.push({ operator: 'Equal', value: 'x' }))), [
    'spec.tolerations[2].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
  ]);
  assert.deepEqual(messages(pod((s) => s.tolerations.push({ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }))), [
    "spec.tolerations[2].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
  ]);
});

test('create: ephemeral containers are forbidden', () => {
  assert.deepEqual(messages(pod((s) => (s.ephemeralContainers = [{ name: 'debug', image: 'busybox' }]))), [
    'spec.ephemeralContainers: Forbidden: cannot be set on create',
  ]);
});

test('update: image, activeDeadlineSeconds and added tolerations may change', () => {
  const old = pod();
  const updated = pod((s) => {
    s.containers[0].image = 'nginx:1.28';
    s.activeDeadlineSeconds = 100;
    s.tolerations.push({ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' });
  });
  assert.deepEqual(messages(updated, old), []);
});

test('update: other spec changes are forbidden with upstream message', () => {
  const old = pod();
  const errs = validatePod(pod((s) => (s.containers[0].ports[0].containerPort = 81)), old);
  assert.equal(errs.length, 1);
  assert.equal(errs[0]?.field, 'spec');
  assert.equal(errs[0]?.reason, 'FieldValueForbidden');
  assert.ok(errs[0]?.message.startsWith(`Forbidden: ${POD_UPDATE_FORBIDDEN_MESSAGE}\n`));
  assert.match(errs[0]?.message ?? '', /- spec\.containers\[0\]\.ports\[0\]\.containerPort: 80\n\+ spec\.containers\[0\]\.ports\[0\]\.containerPort: 81/);
  assert.deepEqual(messages(pod((s) => s.containers.push({ name: 'b', image: 'x', imagePullPolicy: 'Always', terminationMessagePolicy: 'File' })), old), [
    'spec.containers: Forbidden: pod updates may not add or remove containers',
  ]);
  assert.deepEqual(messages(pod((s) => (s.tolerations = [])), old), [
    'spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds',
  ]);
});

test('update: activeDeadlineSeconds may only shrink', () => {
  const old = pod((s) => (s.activeDeadlineSeconds = 50));
  assert.deepEqual(messages(pod((s) => (s.activeDeadlineSeconds = 60)), old), [
    'spec.activeDeadlineSeconds: Invalid value: 60: must be less than or equal to previous value',
  ]);
  assert.deepEqual(messages(pod((s) => (s.activeDeadlineSeconds = 40)), old), []);
});
