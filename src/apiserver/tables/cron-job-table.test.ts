import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { cronJobTable } from './cron-job-table.js';

const now = new Date('2026-11-27T12:00:00Z');

function cronJob(spec: Record<string, unknown> = {}, status: Record<string, unknown> = {}): KubeObject {
  return {
    metadata: { name: 'backup', creationTimestamp: '2026-11-25T12:00:00Z' },
    spec: {
      schedule: '0 3 * * *',
      suspend: false,
      jobTemplate: { spec: { template: { spec: { containers: [{ name: 'tar', image: 'busybox' }] } } } },
      ...spec,
    },
    status,
  };
}

describe('cronJobTable', () => {
  it('has upstream columns', () => {
    assert.deepEqual(cronJobTable.columns.map((c) => `${c.name}:${c.type}:${c.priority}`), [
      'Name:string:0', 'Schedule:string:0', 'Timezone:string:0', 'Suspend:boolean:0', 'Active:integer:0', 'Last Schedule:string:0', 'Age:string:0',
      'Containers:string:1', 'Images:string:1', 'Selector:string:1',
    ]);
  });

  it('renders a CronJob that never ran', () => {
    assert.deepEqual(cronJobTable.cells(cronJob(), now), ['backup', '0 3 * * *', '<none>', 'False', 0, '<none>', '2d', 'tar', 'busybox', '<none>']);
  });

  it('renders the time zone, suspension, active Jobs and last schedule', () => {
    const row = cronJobTable.cells(cronJob({ timeZone: 'Europe/Berlin', suspend: true }, {
      active: [{ name: 'backup-29400000' }, { name: 'backup-29400060' }], lastScheduleTime: '2026-11-27T11:55:00Z',
    }), now);
    assert.deepEqual(row.slice(0, 6), ['backup', '0 3 * * *', 'Europe/Berlin', 'True', 2, '5m']);
  });
});
