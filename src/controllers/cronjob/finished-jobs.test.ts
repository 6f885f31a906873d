import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CronJobObject, JobObject } from './cronjob-types.js';
import { compareByStartTime, finishedCondition, isJobSucceeded, jobsBeyondHistoryLimits } from './finished-jobs.js';

function job(name: string, shape: { condition?: 'Complete' | 'Failed'; status?: 'True' | 'False'; started?: string } = {}): JobObject {
  return {
    metadata: { name },
    status: {
      ...(shape.started === undefined ? {} : { startTime: shape.started }),
      ...(shape.condition === undefined ? {} : { conditions: [{ type: shape.condition, status: shape.status ?? 'True' }] }),
    },
  };
}

function names(jobs: readonly JobObject[]): string[] {
  return jobs.map((j) => j.metadata!.name!);
}

describe('finished jobs', () => {
  it('finished means a True Complete or Failed condition', () => {
    assert.equal(finishedCondition(job('a', { condition: 'Complete' })), 'Complete');
    assert.equal(finishedCondition(job('a', { condition: 'Failed' })), 'Failed');
    assert.equal(finishedCondition(job('a', { condition: 'Failed', status: 'False' })), undefined);
    assert.equal(finishedCondition(job('a')), undefined);
    const suspended: JobObject = { metadata: { name: 's' }, status: { conditions: [{ type: 'Suspended', status: 'True' }] } };
    assert.equal(finishedCondition(suspended), undefined);
    assert.equal(isJobSucceeded(job('a', { condition: 'Complete' })), true);
    assert.equal(isJobSucceeded(job('a', { condition: 'Failed' })), false);
  });

  it('orders by start time, never-started last, ties by name', () => {
    const jobs = [
      job('late', { started: '2025-01-01T03:00:00Z' }), job('unstarted-b'), job('early', { started: '2025-01-01T01:00:00Z' }),
      job('unstarted-a'), job('mid-b', { started: '2025-01-01T02:00:00Z' }), job('mid-a', { started: '2025-01-01T02:00:00Z' }),
    ];
    assert.deepEqual(names([...jobs].sort(compareByStartTime)), ['early', 'mid-a', 'mid-b', 'late', 'unstarted-a', 'unstarted-b']);
  });

  it('history limits: the oldest finished jobs beyond 3 complete and 1 failed by default', () => {
    const cronJob: CronJobObject = { spec: { schedule: '* * * * *', jobTemplate: {} } };
    const jobs = [
      ...[1, 2, 3, 4, 5].map((hour) => job(`ok-${hour}`, { condition: 'Complete', started: `2025-01-01T0${hour}:00:00Z` })),
      job('bad-1', { condition: 'Failed', started: '2025-01-01T01:30:00Z' }),
      job('bad-2', { condition: 'Failed', started: '2025-01-01T02:30:00Z' }),
      job('running', { started: '2025-01-01T00:00:00Z' }),
    ];
    assert.deepEqual(names(jobsBeyondHistoryLimits(cronJob, jobs)), ['ok-1', 'ok-2', 'bad-1']);
    const strict: CronJobObject = { spec: { ...cronJob.spec!, successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 0 } };
    assert.deepEqual(names(jobsBeyondHistoryLimits(strict, jobs)), ['ok-1', 'ok-2', 'ok-3', 'ok-4', 'bad-1', 'bad-2']);
  });
});
