import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { daemonSetTable } from './daemon-set-table.js';

const now = new Date('2026-11-27T12:00:00Z');

function daemonSet(nodeSelector?: Record<string, string>, status?: Record<string, number>): KubeObject {
  return {
    metadata: { name: 'fluentd', creationTimestamp: '2026-11-27T11:15:00Z' },
    spec: {
      selector: { matchLabels: { app: 'fluentd' } },
      template: { spec: { containers: [{ name: 'fluentd', image: 'fluentd:1.16' }, { name: 'tail', image: 'busybox' }], ...(nodeSelector ? { nodeSelector } : {}) } },
    },
    ...(status ? { status } : {}),
  };
}

describe('daemonSetTable', () => {
  it('has upstream columns', () => {
    assert.deepEqual(daemonSetTable.columns.map((c) => `${c.name}:${c.type}:${c.priority}`), [
      'Name:string:0', 'Desired:integer:0', 'Current:integer:0', 'Ready:integer:0', 'Up-to-date:integer:0', 'Available:integer:0',
      'Node Selector:string:0', 'Age:string:0', 'Containers:string:1', 'Images:string:1', 'Selector:string:1',
    ]);
  });

  it('renders a DaemonSet the controller has not seen yet', () => {
    assert.deepEqual(daemonSetTable.cells(daemonSet(), now), ['fluentd', 0, 0, 0, 0, 0, '<none>', '45m', 'fluentd,tail', 'fluentd:1.16,busybox', 'app=fluentd']);
  });

  it('renders the status counts and a sorted node selector', () => {
    const row = daemonSetTable.cells(daemonSet({ zone: 'b', 'kubernetes.io/os': 'linux' }, {
      desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 1, numberAvailable: 2,
    }), now);
    assert.deepEqual(row.slice(0, 7), ['fluentd', 3, 3, 2, 1, 2, 'kubernetes.io/os=linux,zone=b']);
  });
});
