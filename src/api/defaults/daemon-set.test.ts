import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../object.js';
import { defaultDaemonSet } from './daemon-set.js';

function daemonSet(spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'agent:1.0' }] } },
      ...spec,
    },
  };
}

test('a minimal DaemonSet gets upstream defaults: one pod at a time, no surge, ten revisions, pod template defaults', () => {
  const obj = daemonSet();
  defaultDaemonSet(obj);
  assert.deepEqual(obj['spec'], {
    selector: { matchLabels: { app: 'agent' } },
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
    revisionHistoryLimit: 10,
    template: {
      metadata: { labels: { app: 'agent' } },
      spec: {
        containers: [{
          name: 'agent', image: 'agent:1.0', imagePullPolicy: 'IfNotPresent', resources: {},
          terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File',
        }],
        dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {},
        terminationGracePeriodSeconds: 30,
      },
    },
  });
});

test('keeps what the client set, and gives OnDelete no rollingUpdate', () => {
  const surge = daemonSet({ updateStrategy: { rollingUpdate: { maxSurge: '20%', maxUnavailable: 0 } }, revisionHistoryLimit: 0 });
  defaultDaemonSet(surge);
  const spec = surge['spec'] as { updateStrategy: unknown; revisionHistoryLimit: number };
  assert.deepEqual(spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '20%', maxUnavailable: 0 } });
  assert.equal(spec.revisionHistoryLimit, 0);
  const onDelete = daemonSet({ updateStrategy: { type: 'OnDelete' } });
  defaultDaemonSet(onDelete);
  assert.deepEqual((onDelete['spec'] as { updateStrategy: unknown }).updateStrategy, { type: 'OnDelete' });
});

test('defaulting is idempotent', () => {
  const once = daemonSet();
  defaultDaemonSet(once);
  const twice = structuredClone(once);
  defaultDaemonSet(twice);
  assert.deepEqual(twice, once);
});
