import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../object.js';
import { admitPod, defaultPod } from './pod.js';

/** What the registry runs on a pod create: defaults, then (once managedFields are recorded) admission. */
function defaultAndAdmit(obj: KubeObject): void {
  defaultPod(obj);
  admitPod(obj);
}

function pod(spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec };
}

test('Pod gets PodSpec defaults plus enableServiceLinks, and admission its service account and default tolerations', () => {
  const obj = pod({ containers: [{ name: 'c', image: 'busybox:1.36' }] });
  defaultPod(obj);
  const defaulted = obj.spec as Record<string, unknown>;
  assert.equal(defaulted.serviceAccountName, undefined, 'admission, not defaulting');
  assert.equal(defaulted.tolerations, undefined, 'admission, not defaulting');
  admitPod(obj);
  const spec = obj.spec as Record<string, unknown>;
  assert.equal(spec.enableServiceLinks, true);
  assert.equal(spec.restartPolicy, 'Always');
  assert.equal(spec.serviceAccountName, 'default');
  assert.equal(spec.serviceAccount, 'default');
  assert.deepEqual(spec.tolerations, [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ]);
});

test('default tolerations are not duplicated and respect existing ones', () => {
  const obj = pod({
    containers: [{ name: 'c', image: 'x' }],
    tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }],
  });
  defaultAndAdmit(obj);
  defaultAndAdmit(obj);
  const tolerations = (obj.spec as { tolerations: { key: string; tolerationSeconds: number }[] }).tolerations;
  assert.deepEqual(
    tolerations.map((t) => [t.key, t.tolerationSeconds]),
    [
      ['node.kubernetes.io/unreachable', 10],
      ['node.kubernetes.io/not-ready', 300],
    ],
  );
  const tolerateAll = pod({ containers: [{ name: 'c', image: 'x' }], tolerations: [{ operator: 'Exists' }] });
  defaultAndAdmit(tolerateAll);
  assert.deepEqual((tolerateAll.spec as Record<string, unknown>).tolerations, [{ operator: 'Exists' }]);
});

test('requests default to limits per resource', () => {
  const obj = pod({ containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m' } } }] });
  defaultPod(obj);
  const container = (obj.spec as { containers: { resources: unknown }[] }).containers[0];
  assert.deepEqual(container?.resources, { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m', memory: '128Mi' } });
});

test('hostNetwork pods get hostPort = containerPort', () => {
  const obj = pod({ hostNetwork: true, containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 8080 }] }] });
  defaultPod(obj);
  assert.deepEqual((obj.spec as { containers: { ports: unknown }[] }).containers[0]?.ports, [
    { containerPort: 8080, hostPort: 8080, protocol: 'TCP' },
  ]);
});
