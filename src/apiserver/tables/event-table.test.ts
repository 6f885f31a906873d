import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { eventTable } from './event-table.js';
import { eventsV1EventTable } from './events-v1-event-table.js';

const now = new Date('2024-05-01T12:00:00Z');

const coreEvent: KubeObject = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'web.17c0a1b2c3d4e5f6', namespace: 'default' },
  involvedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'default' },
  reason: 'ScalingReplicaSet',
  message: 'Scaled up replica set web-57b2 from 0 to 2\n',
  source: { component: 'deployment-controller' },
  firstTimestamp: '2024-05-01T11:50:00Z',
  lastTimestamp: '2024-05-01T11:58:00Z',
  count: 2,
  type: 'Normal',
  eventTime: null,
  reportingComponent: '',
  reportingInstance: '',
};

void describe('eventTable (core/v1)', () => {
  void it('has upstream columns, name last and wide', () => {
    assert.deepEqual(
      eventTable.columns.map((c) => `${c.name}:${c.priority}`),
      ['Last Seen:0', 'Type:0', 'Reason:0', 'Object:0', 'Subobject:1', 'Source:1', 'Message:0', 'First Seen:1', 'Count:1', 'Name:1'],
    );
    assert.equal(eventTable.columns.at(-1)?.format, 'name');
  });

  void it('renders a row like upstream', () => {
    assert.deepEqual(eventTable.cells(coreEvent, now), [
      '2m',
      'Normal',
      'ScalingReplicaSet',
      'deployment/web',
      '',
      'deployment-controller',
      'Scaled up replica set web-57b2 from 0 to 2',
      '10m',
      2,
      'web.17c0a1b2c3d4e5f6',
    ]);
  });

  void it('falls back to eventTime, series and reporting fields', () => {
    const modern: KubeObject = {
      metadata: { name: 'p.1' },
      involvedObject: { kind: 'Pod', name: 'p', fieldPath: 'spec.containers{app}' },
      reason: 'BackOff',
      message: 'Back-off restarting failed container',
      type: 'Warning',
      eventTime: '2024-05-01T11:00:00.000000Z',
      series: { count: 7, lastObservedTime: '2024-05-01T11:59:30.000000Z' },
      reportingComponent: 'kubelet',
      reportingInstance: 'node-1',
    };
    assert.deepEqual(eventTable.cells(modern, now), [
      '30s',
      'Warning',
      'BackOff',
      'pod/p',
      'spec.containers{app}',
      'kubelet, node-1',
      'Back-off restarting failed container',
      '60m',
      7,
      'p.1',
    ]);
    const single: KubeObject = { metadata: { name: 'n' }, involvedObject: { kind: 'Node' }, eventTime: '2024-05-01T11:59:00.000000Z' };
    const cells = eventTable.cells(single, now);
    assert.equal(cells[0], '60s');
    assert.equal(cells[3], 'node');
    assert.equal(cells[8], 1);
  });
});

void describe('eventsV1EventTable', () => {
  void it('maps events.k8s.io fields onto the same table', () => {
    assert.deepEqual(eventsV1EventTable.columns, eventTable.columns);
    const e: KubeObject = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'web.1' },
      eventTime: '2024-05-01T11:55:00.000000Z',
      regarding: { kind: 'ReplicaSet', name: 'web-57b2' },
      reason: 'SuccessfulCreate',
      note: 'Created pod: web-57b2-x',
      type: 'Normal',
      reportingController: 'replicaset-controller',
      reportingInstance: 'k8ts',
      action: 'Create',
    };
    assert.deepEqual(eventsV1EventTable.cells(e, now), [
      '5m',
      'Normal',
      'SuccessfulCreate',
      'replicaset/web-57b2',
      '',
      'replicaset-controller, k8ts',
      'Created pod: web-57b2-x',
      '5m',
      1,
      'web.1',
    ]);
  });
});
