import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { deploymentTable } from './deployment-table.js';

const now = new Date('2024-05-01T12:00:00Z');

const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-05-01T11:59:34Z' },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] },
    template: {
      metadata: { labels: { app: 'web', tier: 'a' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }, { name: 'sidecar', image: 'busybox' }] },
    },
  },
  status: { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
};

void describe('deploymentTable', () => {
  void it('has upstream columns', () => {
    assert.deepEqual(
      deploymentTable.columns.map((c) => `${c.name}:${c.priority}`),
      ['Name:0', 'Ready:0', 'Up-to-date:0', 'Available:0', 'Age:0', 'Containers:1', 'Images:1', 'Selector:1'],
    );
  });

  void it('renders a row like upstream', () => {
    assert.deepEqual(deploymentTable.cells(deployment, now), [
      'web',
      '2/3',
      3,
      2,
      '26s',
      'nginx,sidecar',
      'nginx:1.25,busybox',
      'app=web,tier in (a,b)',
    ]);
  });

  void it('prints zero counts for a fresh deployment and <invalid> for a bad selector', () => {
    const fresh: KubeObject = {
      metadata: { name: 'x' },
      spec: { replicas: 2, selector: { matchExpressions: [{ key: 'a', operator: 'Bogus' }] }, template: { spec: { containers: [] } } },
    };
    assert.deepEqual(deploymentTable.cells(fresh, now), ['x', '0/2', 0, 0, '<unknown>', '', '', '<invalid>']);
  });
});
