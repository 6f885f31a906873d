import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultContainer, defaultImagePullPolicy, defaultPodSpec, defaultVolume } from './pod-spec.js';

test('imagePullPolicy follows the image tag', () => {
  assert.equal(defaultImagePullPolicy('nginx'), 'Always');
  assert.equal(defaultImagePullPolicy('nginx:latest'), 'Always');
  assert.equal(defaultImagePullPolicy('nginx:1.27'), 'IfNotPresent');
  assert.equal(defaultImagePullPolicy('localhost:5000/app'), 'Always');
  assert.equal(defaultImagePullPolicy('localhost:5000/app:v2'), 'IfNotPresent');
  assert.equal(defaultImagePullPolicy('busybox@sha256:abcd'), 'IfNotPresent');
  assert.equal(defaultImagePullPolicy('Busybox'), 'IfNotPresent');
  assert.equal(defaultImagePullPolicy(''), 'IfNotPresent');
});

test('probes, env fieldRefs and lifecycle hooks get their defaults', () => {
  const container: Record<string, unknown> = {
    name: 'c',
    image: 'app:1',
    imagePullPolicy: 'Never',
    livenessProbe: { httpGet: { port: 8080 } },
    readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5 },
    env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
    lifecycle: { preStop: { httpGet: { port: 80, path: '/stop' } } },
  };
  defaultContainer(container);
  assert.equal(container.imagePullPolicy, 'Never');
  assert.deepEqual(container.livenessProbe, {
    httpGet: { port: 8080, path: '/', scheme: 'HTTP' },
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  });
  assert.equal((container.readinessProbe as Record<string, unknown>).periodSeconds, 5);
  assert.deepEqual(container.env, [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name', apiVersion: 'v1' } } }]);
  assert.deepEqual(container.lifecycle, { preStop: { httpGet: { port: 80, path: '/stop', scheme: 'HTTP' } } });
});

test('volumes: empty source becomes emptyDir, modes default to 0644', () => {
  const bare: Record<string, unknown> = { name: 'scratch' };
  defaultVolume(bare);
  assert.deepEqual(bare, { name: 'scratch', emptyDir: {} });
  const cm: Record<string, unknown> = { name: 'cfg', configMap: { name: 'cfg' } };
  defaultVolume(cm);
  assert.deepEqual(cm.configMap, { name: 'cfg', defaultMode: 420 });
  const secret: Record<string, unknown> = { name: 's', secret: { secretName: 's', defaultMode: 256 } };
  defaultVolume(secret);
  assert.deepEqual(secret.secret, { secretName: 's', defaultMode: 256 });
  const hostPath: Record<string, unknown> = { name: 'h', hostPath: { path: '/tmp' } };
  defaultVolume(hostPath);
  assert.deepEqual(hostPath.hostPath, { path: '/tmp', type: '' });
});

test('serviceAccount mirrors serviceAccountName', () => {
  const spec: Record<string, unknown> = { serviceAccountName: 'builder', containers: [] };
  defaultPodSpec(spec);
  assert.equal(spec.serviceAccount, 'builder');
  const legacy: Record<string, unknown> = { serviceAccount: 'old', containers: [] };
  defaultPodSpec(legacy);
  assert.equal(legacy.serviceAccountName, 'old');
});
