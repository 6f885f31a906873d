import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { jobTable } from './job-table.js';

const now = new Date('2026-11-27T12:00:00Z');

function job(spec: Record<string, unknown>, status: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): KubeObject {
  return {
    metadata: { name: 'pi', creationTimestamp: '2026-11-27T11:00:00Z', ...metadata },
    spec: {
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } },
      template: { spec: { containers: [{ name: 'pi', image: 'perl:5.34' }, { name: 'log', image: 'busybox' }] } },
      ...spec,
    },
    status,
  };
}

const cells = (obj: KubeObject) => jobTable.cells(obj, now);

describe('jobTable', () => {
  it('has upstream columns', () => {
    assert.deepEqual(jobTable.columns.map((c) => `${c.name}:${c.type}:${c.priority}`), [
      'Name:string:0', 'Status:string:0', 'Completions:string:0', 'Duration:string:0', 'Age:string:0',
      'Containers:string:1', 'Images:string:1', 'Selector:string:1',
    ]);
  });

  it('renders a running Job with no start yet', () => {
    assert.deepEqual(cells(job({ completions: 1, parallelism: 1 })), [
      'pi', 'Running', '0/1', '', '60m', 'pi,log', 'perl:5.34,busybox', 'batch.kubernetes.io/controller-uid=u1',
    ]);
  });

  it('prints completions as n/completions, or n/1 (of parallelism) for a work queue', () => {
    assert.equal(cells(job({ completions: 3, parallelism: 2 }, { succeeded: 2 }))[2], '2/3');
    assert.equal(cells(job({ parallelism: 4 }, { succeeded: 1 }))[2], '1/1 of 4');
    assert.equal(cells(job({ parallelism: 1 }))[2], '0/1');
  });

  it('measures the duration from start to completion, or to now', () => {
    assert.equal(cells(job({ completions: 1 }, { startTime: '2026-11-27T11:58:00Z' }))[3], '2m');
    assert.equal(cells(job({ completions: 1 }, { startTime: '2026-11-27T11:00:00Z', completionTime: '2026-11-27T11:00:42Z' }))[3], '42s');
  });

  it('derives STATUS from conditions in upstream order', () => {
    const withConditions = (conditions: { type: string; status: string }[], metadata: Record<string, unknown> = {}) =>
      cells(job({ completions: 1 }, { conditions }, metadata))[1];
    assert.equal(withConditions([{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }]), 'Complete');
    assert.equal(withConditions([{ type: 'FailureTarget', status: 'True' }, { type: 'Failed', status: 'True' }]), 'Failed');
    assert.equal(withConditions([], { deletionTimestamp: '2026-11-27T11:59:00Z' }), 'Terminating');
    assert.equal(withConditions([{ type: 'Suspended', status: 'True' }]), 'Suspended');
    assert.equal(withConditions([{ type: 'Suspended', status: 'False' }]), 'Running');
    assert.equal(withConditions([{ type: 'FailureTarget', status: 'True' }]), 'FailureTarget');
  });

  it('prints <none> for a Job without a selector', () => {
    assert.equal(cells(job({ selector: undefined }))[7], '<none>');
  });
});
