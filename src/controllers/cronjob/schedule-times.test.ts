import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCronSchedule } from '../../lib/cron/cron-schedule.js';
import type { CronJobObject } from './cronjob-types.js';
import { dueScheduleTime, mostRecentScheduleTime, NEXT_SCHEDULE_DELTA_MS, nextScheduleDelayMs } from './schedule-times.js';

function cronJob(schedule: string, times: { created: string; last?: string; deadline?: number }): CronJobObject {
  return {
    metadata: { name: 'c', namespace: 'default', creationTimestamp: times.created },
    spec: {
      schedule, jobTemplate: {},
      ...(times.deadline === undefined ? {} : { startingDeadlineSeconds: times.deadline }),
    },
    status: times.last === undefined ? {} : { lastScheduleTime: times.last },
  };
}

const date = (text: string): Date => new Date(text);
const iso = (value: Date | undefined): string | undefined => value?.toISOString();

describe('mostRecentScheduleTime', () => {
  const hourly = parseCronSchedule('0 * * * *', 'UTC');

  it('nothing due before the first activation after creation', () => {
    const window = mostRecentScheduleTime(cronJob('0 * * * *', { created: '2025-01-01T09:30:00Z' }), date('2025-01-01T09:59:59Z'), hourly, true);
    assert.equal(window.mostRecent, undefined);
    assert.equal(window.missed, 'none');
    assert.equal(iso(window.earliest), '2025-01-01T09:30:00.000Z');
  });

  it('the one activation since lastScheduleTime', () => {
    const window = mostRecentScheduleTime(
      cronJob('0 * * * *', { created: '2025-01-01T00:00:00Z', last: '2025-01-01T09:00:00Z' }), date('2025-01-01T10:00:05Z'), hourly, true);
    assert.equal(iso(window.mostRecent), '2025-01-01T10:00:00.000Z');
    assert.equal(window.missed, 'none');
  });

  it('after downtime: the latest of the missed activations (hourly, 10:00 -> 13:30 gives 13:00)', () => {
    const window = mostRecentScheduleTime(
      cronJob('0 * * * *', { created: '2025-01-01T00:00:00Z', last: '2025-01-01T10:00:00Z' }), date('2025-01-01T13:30:00Z'), hourly, true);
    assert.equal(iso(window.mostRecent), '2025-01-01T13:00:00.000Z');
    assert.equal(window.missed, 'few');
  });

  it('more than 100 missed is "many"; exactly 100 is not', () => {
    const everyMinute = parseCronSchedule('* * * * *', 'UTC');
    const job = cronJob('* * * * *', { created: '2025-01-01T00:00:00Z', last: '2025-01-01T00:00:00Z' });
    const hundred = mostRecentScheduleTime(job, date('2025-01-01T01:40:30Z'), everyMinute, true);
    assert.equal(hundred.missed, 'few');
    assert.equal(iso(hundred.mostRecent), '2025-01-01T01:40:00.000Z');
    const hundredAndOne = mostRecentScheduleTime(job, date('2025-01-01T01:41:30Z'), everyMinute, true);
    assert.equal(hundredAndOne.missed, 'many');
    assert.equal(iso(hundredAndOne.mostRecent), '2025-01-01T01:41:00.000Z');
  });

  it('startingDeadlineSeconds moves the start of the search up to now - deadline', () => {
    const everyMinute = parseCronSchedule('* * * * *', 'UTC');
    const job = cronJob('* * * * *', { created: '2025-01-01T00:00:00Z', deadline: 200 });
    const withDeadline = mostRecentScheduleTime(job, date('2025-01-01T05:00:30Z'), everyMinute, true);
    assert.equal(iso(withDeadline.earliest), '2025-01-01T04:57:10.000Z');
    assert.equal(withDeadline.missed, 'few');
    assert.equal(iso(withDeadline.mostRecent), '2025-01-01T05:00:00.000Z');
    assert.equal(mostRecentScheduleTime(job, date('2025-01-01T05:00:30Z'), everyMinute, false).missed, 'many');
  });

  it('a schedule with nothing ahead is invalid', () => {
    const never = parseCronSchedule('0 0 30 2 *', 'UTC');
    const window = mostRecentScheduleTime(cronJob('0 0 30 2 *', { created: '2025-01-01T00:00:00Z' }), date('2025-06-01T00:00:00Z'), never, true);
    assert.equal(window.invalid, 'time difference between two schedules is less than 1 second');
    assert.equal(window.mostRecent, undefined);
  });

  it("shares upstream's blind spot for irregular schedules (documented, not a goal)", () => {
    // Weekdays at 09:00, last run Wed 2025-01-08, controller back Mon 2025-01-13 08:00: Thu and Fri
    // were missed, but the estimate (one day between Thu and Fri) starts looking on Saturday.
    const weekdays = parseCronSchedule('0 9 * * 1-5', 'UTC');
    const window = mostRecentScheduleTime(
      cronJob('0 9 * * 1-5', { created: '2025-01-01T00:00:00Z', last: '2025-01-08T09:00:00Z' }), date('2025-01-13T08:00:00Z'), weekdays, true);
    assert.equal(window.mostRecent, undefined);
    assert.equal(window.missed, 'few');
  });
});

describe('dueScheduleTime', () => {
  it('flags too many missed activations and still names the latest', () => {
    const everyMinute = parseCronSchedule('* * * * *', 'UTC');
    const due = dueScheduleTime(cronJob('* * * * *', { created: '2025-01-01T00:00:00Z' }), date('2025-01-01T03:00:10Z'), everyMinute);
    assert.equal(due.tooManyMissed, true);
    assert.equal(iso(due.scheduledTime), '2025-01-01T03:00:00.000Z');
  });
});

describe('nextScheduleDelayMs', () => {
  const hourly = parseCronSchedule('0 * * * *', 'UTC');

  it('waits for the next activation, plus 100 ms', () => {
    const job = cronJob('0 * * * *', { created: '2025-01-01T09:30:00Z' });
    assert.equal(nextScheduleDelayMs(job, date('2025-01-01T09:45:00Z'), hourly), 15 * 60_000 + NEXT_SCHEDULE_DELTA_MS);
  });

  it('after an activation that was run, waits for the one after it', () => {
    const job = cronJob('0 * * * *', { created: '2025-01-01T00:00:00Z', last: '2025-01-01T10:00:00Z' });
    assert.equal(nextScheduleDelayMs(job, date('2025-01-01T10:00:02Z'), hourly), 60 * 60_000 - 2000 + NEXT_SCHEDULE_DELTA_MS);
  });

  it('when the estimate finds nothing, looks from now', () => {
    const weekdays = parseCronSchedule('0 9 * * 1-5', 'UTC');
    const job = cronJob('0 9 * * 1-5', { created: '2025-01-01T00:00:00Z', last: '2025-01-08T09:00:00Z' });
    assert.equal(nextScheduleDelayMs(job, date('2025-01-13T08:00:00Z'), weekdays), 60 * 60_000 + NEXT_SCHEDULE_DELTA_MS);
  });

  it('undefined when the schedule never fires again', () => {
    const never = parseCronSchedule('0 0 30 2 *', 'UTC');
    assert.equal(nextScheduleDelayMs(cronJob('0 0 30 2 *', { created: '2025-01-01T00:00:00Z' }), date('2025-01-02T00:00:00Z'), never), undefined);
  });
});
