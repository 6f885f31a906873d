import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { replicaSetTable } from './replica-set-table.js';

const now = new Date('2024-05-01T12:00:00Z');

void describe('replicaSetTable', () => {
  void it('has upstream columns', () => {
    assert.deepEqual(
      replicaSetTable.columns.map((c) => `${c.name}:${c.type}:${c.priority}`),
      ['Name:string:0', 'Desired:integer:0', 'Current:integer:0', 'Ready:integer:0', 'Age:string:0', 'Containers:string:1', 'Images:string:1', 'Selector:string:1'],
    );
  });

  void it('renders a row like upstream', () => {
    const rs: KubeObject = {
      metadata: { name: 'web-57b2', creationTimestamp: '2024-05-01T09:00:00Z' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web', 'pod-template-hash': '57b2' } },
        template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } },
      },
      status: { replicas: 2, readyReplicas: 1 },
    };
    assert.deepEqual(replicaSetTable.cells(rs, now), ['web-57b2', 2, 2, 1, '3h', 'nginx', 'nginx:1.25', 'app=web,pod-template-hash=57b2']);
  });

  void it('prints <none> for an empty selector', () => {
    const rs: KubeObject = { metadata: { name: 'x' }, spec: { replicas: 0, selector: {}, template: {} } };
    assert.equal(replicaSetTable.cells(rs, now)[7], '<none>');
  });
});
