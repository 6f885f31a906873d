import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { statefulSetTable } from './stateful-set-table.js';

const now = new Date('2026-11-27T12:00:00Z');

describe('statefulSetTable', () => {
  it('has upstream columns', () => {
    assert.deepEqual(statefulSetTable.columns.map((c) => `${c.name}:${c.type}:${c.priority}`), [
      'Name:string:0', 'Ready:string:0', 'Age:string:0', 'Containers:string:1', 'Images:string:1',
    ]);
  });

  it('renders ready over desired replicas', () => {
    const set: KubeObject = {
      metadata: { name: 'web', creationTimestamp: '2026-11-25T12:00:00Z' },
      spec: { replicas: 3, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } },
      status: { replicas: 3, readyReplicas: 2 },
    };
    assert.deepEqual(statefulSetTable.cells(set, now), ['web', '2/3', '2d', 'nginx', 'nginx:1.27']);
    assert.equal(statefulSetTable.cells({ metadata: { name: 'new' }, spec: { replicas: 0 } }, now)[1], '0/0');
  });
});
