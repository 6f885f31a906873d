import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../object.js';
import { defaultDeployment } from './deployment.js';
import { defaultReplicaSet } from './replica-set.js';

function deployment(spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } },
      ...spec,
    },
  };
}

test('a minimal Deployment gets exactly upstream defaults', () => {
  const obj = deployment();
  defaultDeployment(obj);
  assert.deepEqual(obj.spec, {
    replicas: 1,
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: 600,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'nginx',
            image: 'nginx:1.27',
            imagePullPolicy: 'IfNotPresent',
            ports: [{ containerPort: 80, protocol: 'TCP' }],
            resources: {},
            terminationMessagePath: '/dev/termination-log',
            terminationMessagePolicy: 'File',
          },
        ],
        dnsPolicy: 'ClusterFirst',
        restartPolicy: 'Always',
        schedulerName: 'default-scheduler',
        securityContext: {},
        terminationGracePeriodSeconds: 30,
      },
    },
  });
});

test('defaulting is idempotent (a template copied back by rollout undo compares equal)', () => {
  const once = deployment();
  defaultDeployment(once);
  const twice = structuredClone(once);
  defaultDeployment(twice);
  assert.deepEqual(twice, once);
});

test('user values are kept; Recreate gets no rollingUpdate', () => {
  const obj = deployment({ replicas: 0, revisionHistoryLimit: 0, strategy: { type: 'Recreate' } });
  defaultDeployment(obj);
  const spec = obj.spec as Record<string, unknown>;
  assert.equal(spec.replicas, 0);
  assert.equal(spec.revisionHistoryLimit, 0);
  assert.deepEqual(spec.strategy, { type: 'Recreate' });
});

test('a partial rollingUpdate is completed', () => {
  const obj = deployment({ strategy: { rollingUpdate: { maxSurge: 1 } } });
  defaultDeployment(obj);
  assert.deepEqual((obj.spec as Record<string, unknown>).strategy, {
    type: 'RollingUpdate',
    rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' },
  });
});

test('ReplicaSet: replicas 1 and template defaults, but no Pod-only defaults', () => {
  const obj: KubeObject = {
    metadata: { name: 'web-abc' },
    spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
  };
  defaultReplicaSet(obj);
  const spec = obj.spec as { replicas: number; template: { spec: Record<string, unknown> & { containers: Record<string, unknown>[] } } };
  assert.equal(spec.replicas, 1);
  assert.equal(spec.template.spec.restartPolicy, 'Always');
  assert.equal(spec.template.spec.containers[0]?.imagePullPolicy, 'Always');
  assert.equal(spec.template.spec.enableServiceLinks, undefined);
  assert.equal(spec.template.spec.tolerations, undefined);
});
