import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CronSyntaxError, EverySchedule, parseCronSchedule } from './cron-schedule.js';

/** The activations after `from`, as UTC ISO strings (expected values are written with offsets). */
function activations(spec: string, zone: string, from: string, count: number): string[] {
  const schedule = parseCronSchedule(spec, zone);
  const out: string[] = [];
  let at = new Date(from);
  for (let i = 0; i < count; i++) {
    const next = schedule.next(at);
    if (next === undefined) {
      out.push('never');
      break;
    }
    out.push(next.toISOString());
    at = next;
  }
  return out;
}

function iso(...times: string[]): string[] {
  return times.map((time) => new Date(time).toISOString());
}

function next(spec: string, zone: string, from: string): string {
  return activations(spec, zone, from, 1)[0]!;
}

describe('parseCronSchedule', () => {
  it('needs exactly five fields', () => {
    assert.throws(() => parseCronSchedule('', 'UTC'), { message: 'empty spec string' });
    assert.throws(() => parseCronSchedule('0 0 * *', 'UTC'), { message: 'expected exactly 5 fields, found 4: [0 0 * *]' });
    assert.throws(() => parseCronSchedule('0 0 0 * * *', 'UTC'), { message: 'expected exactly 5 fields, found 6: [0 0 0 * * *]' });
    assert.throws(() => parseCronSchedule('0 0 * * 7', 'UTC'), CronSyntaxError, 'weekday 7 is refused, as robfig does');
    assert.doesNotThrow(() => parseCronSchedule('  0\t0  * * *  ', 'UTC'), 'any whitespace separates fields');
  });

  it('reports the first bad field in minute-to-weekday order', () => {
    assert.throws(() => parseCronSchedule('61 25 * * *', 'UTC'), { message: 'end of range (61) above maximum (59): 61' });
  });

  it('descriptors are the schedules they stand for', () => {
    const from = '2025-02-12T13:14:15Z';
    const pairs: [string, string][] = [
      ['@yearly', '0 0 1 1 *'], ['@annually', '0 0 1 1 *'], ['@monthly', '0 0 1 * *'], ['@weekly', '0 0 * * 0'],
      ['@daily', '0 0 * * *'], ['@midnight', '0 0 * * *'], ['@hourly', '0 * * * *'],
    ];
    for (const [descriptor, fields] of pairs) {
      assert.deepEqual(activations(descriptor, 'Europe/Berlin', from, 3), activations(fields, 'Europe/Berlin', from, 3), descriptor);
    }
    assert.deepEqual(activations('@weekly', 'UTC', from, 2), iso('2025-02-16T00:00:00Z', '2025-02-23T00:00:00Z'));
  });

  it('descriptors are exact and lower case', () => {
    assert.throws(() => parseCronSchedule('@DAILY', 'UTC'), { message: 'unrecognized descriptor: @DAILY' });
    assert.throws(() => parseCronSchedule('@fortnightly', 'UTC'), { message: 'unrecognized descriptor: @fortnightly' });
  });

  it('@every: a fixed delay from the previous time, whole seconds, at least one second', () => {
    const every = parseCronSchedule('@every 1h30m', 'UTC');
    assert.ok(every instanceof EverySchedule);
    assert.equal(every.delayMs, 5_400_000);
    assert.equal(every.next(new Date('2025-01-01T10:00:00.750Z')).toISOString(), '2025-01-01T11:30:00.000Z');
    assert.equal((parseCronSchedule('@every 500ms', 'UTC') as EverySchedule).delayMs, 1000);
    assert.equal((parseCronSchedule('@every 2.9s', 'UTC') as EverySchedule).delayMs, 2000);
    assert.equal((parseCronSchedule('@every -1h', 'UTC') as EverySchedule).delayMs, 1000);
    assert.throws(() => parseCronSchedule('@every 1x', 'UTC'), {
      message: 'failed to parse duration @every 1x: time: unknown unit "x" in duration "1x"',
    });
  });

  it('a TZ= or CRON_TZ= prefix overrides the zone', () => {
    assert.equal(next('TZ=Asia/Tokyo 0 9 * * *', 'UTC', '2025-01-01T00:00:00Z'), new Date('2025-01-02T09:00:00+09:00').toISOString());
    assert.equal(next('CRON_TZ=Asia/Kolkata 30 9 * * *', 'UTC', '2025-01-01T00:00:00Z'), new Date('2025-01-01T04:00:00Z').toISOString());
    assert.equal(next('TZ=Asia/Tokyo @daily', 'UTC', '2025-01-01T00:00:00Z'), new Date('2025-01-01T15:00:00Z').toISOString());
    assert.throws(() => parseCronSchedule('TZ=Mars/Olympus 0 9 * * *', 'UTC'), {
      message: 'provided bad location Mars/Olympus: unknown time zone Mars/Olympus',
    });
  });
});

describe('FieldSchedule.next', () => {
  it('is strictly after the given time, on a whole minute', () => {
    assert.equal(next('0 9 * * *', 'UTC', '2025-01-01T09:00:00Z'), '2025-01-02T09:00:00.000Z');
    assert.equal(next('0 9 * * *', 'UTC', '2025-01-01T08:59:59.999Z'), '2025-01-01T09:00:00.000Z');
    assert.equal(next('* * * * *', 'UTC', '2025-01-01T09:00:00.001Z'), '2025-01-01T09:01:00.000Z');
  });

  it("robfig's own cases (its seconds field dropped)", () => {
    assert.equal(next('0/15 * * * *', 'UTC', '2012-07-09T14:45:00Z'), '2012-07-09T15:00:00.000Z');
    assert.equal(next('0/15 * * * *', 'UTC', '2012-07-09T14:59:59Z'), '2012-07-09T15:00:00.000Z');
    assert.equal(next('20-35/15 * * * *', 'UTC', '2012-07-09T15:45:00Z'), '2012-07-09T16:20:00.000Z');
    assert.equal(next('*/15 * * * *', 'UTC', '2012-07-09T23:46:00Z'), '2012-07-10T00:00:00.000Z');
    assert.equal(next('20-35/15 * * * *', 'UTC', '2012-07-09T23:45:00Z'), '2012-07-10T00:20:00.000Z');
    assert.equal(next('0 0 9 Apr-Oct ?', 'UTC', '2012-07-09T23:35:00Z'), '2012-08-09T00:00:00.000Z');
    assert.equal(next('0 0 */5 Apr,Aug,Oct Mon', 'UTC', '2012-07-09T23:35:00Z'), '2012-08-01T00:00:00.000Z');
    assert.equal(next('0 0 */5 Oct Mon', 'UTC', '2012-07-09T23:35:00Z'), '2012-10-01T00:00:00.000Z');
    assert.equal(next('0 0 * Feb Mon', 'UTC', '2012-07-09T23:35:00Z'), '2013-02-04T00:00:00.000Z');
    assert.equal(next('0 0 * Feb Mon/2', 'UTC', '2012-07-09T23:35:00Z'), '2013-02-01T00:00:00.000Z');
    assert.equal(next('* * * * *', 'UTC', '2012-12-31T23:59:45Z'), '2013-01-01T00:00:00.000Z');
    assert.equal(next('0 0 29 Feb ?', 'UTC', '2012-07-09T23:35:00Z'), '2016-02-29T00:00:00.000Z');
  });

  it('day of month and day of week: either when both are restricted, both when one is a star', () => {
    const from = '2025-01-01T12:00:00Z'; // a Wednesday
    // The 1st, the 15th, and Mondays.
    assert.deepEqual(activations('0 0 1,15 * MON', 'UTC', from, 4),
      iso('2025-01-06T00:00:00Z', '2025-01-13T00:00:00Z', '2025-01-15T00:00:00Z', '2025-01-20T00:00:00Z'));
    assert.deepEqual(activations('0 0 * * MON', 'UTC', from, 2), iso('2025-01-06T00:00:00Z', '2025-01-13T00:00:00Z'));
    assert.deepEqual(activations('0 0 1,15 * *', 'UTC', from, 2), iso('2025-01-15T00:00:00Z', '2025-02-01T00:00:00Z'));
    // 1-31 is a restriction, so OR with Monday: every day.
    assert.deepEqual(activations('0 0 1-31 * MON', 'UTC', from, 2), iso('2025-01-02T00:00:00Z', '2025-01-03T00:00:00Z'));
    // */1 is still a star, so AND: Mondays only.
    assert.deepEqual(activations('0 0 */1 * MON', 'UTC', from, 1), iso('2025-01-06T00:00:00Z'));
    assert.deepEqual(activations('0 0 ? * MON', 'UTC', from, 1), iso('2025-01-06T00:00:00Z'));
  });

  it('short months: the 31st runs only in months that have one, Feb 30 never', () => {
    assert.deepEqual(activations('0 0 31 * *', 'UTC', '2025-01-01T00:00:00Z', 7), iso(
      '2025-01-31T00:00:00Z', '2025-03-31T00:00:00Z', '2025-05-31T00:00:00Z', '2025-07-31T00:00:00Z',
      '2025-08-31T00:00:00Z', '2025-10-31T00:00:00Z', '2025-12-31T00:00:00Z',
    ));
    assert.deepEqual(activations('0 0 30 2 *', 'UTC', '2025-01-01T00:00:00Z', 1), ['never']);
    assert.deepEqual(activations('0 0 31 4,6,9,11 *', 'UTC', '2025-01-01T00:00:00Z', 1), ['never']);
  });

  it('leap years: Feb 29 every four years, skipping 2100, within a five-year horizon', () => {
    assert.deepEqual(activations('0 12 29 2 *', 'UTC', '2023-03-01T00:00:00Z', 3),
      iso('2024-02-29T12:00:00Z', '2028-02-29T12:00:00Z', '2032-02-29T12:00:00Z'));
    assert.equal(next('0 0 28 2 *', 'UTC', '2024-02-28T00:00:00Z'), '2025-02-28T00:00:00.000Z');
    // After 2096 the next Feb 29 is in 2104, more than five years on: robfig gives up.
    assert.equal(next('0 0 29 2 *', 'UTC', '2096-03-01T00:00:00Z'), 'never');
  });

  it('America/New_York spring forward (2024-03-10, 02:00 EST -> 03:00 EDT): the skipped hour never fires', () => {
    const zone = 'America/New_York';
    assert.equal(next('30 2 * * *', zone, '2024-03-10T00:00:00-05:00'), new Date('2024-03-11T02:30:00-04:00').toISOString());
    assert.deepEqual(activations('0 * * * *', zone, '2024-03-10T00:00:00-05:00', 3),
      iso('2024-03-10T01:00:00-05:00', '2024-03-10T03:00:00-04:00', '2024-03-10T04:00:00-04:00'));
    assert.deepEqual(activations('*/30 * * * *', zone, '2024-03-10T01:00:00-05:00', 2),
      iso('2024-03-10T01:30:00-05:00', '2024-03-10T03:00:00-04:00'));
    assert.equal(next('0 1 * * *', zone, '2024-03-10T01:00:00-05:00'), new Date('2024-03-11T01:00:00-04:00').toISOString());
    assert.equal(next('0 3 * * *', zone, '2024-03-10T00:00:00-05:00'), new Date('2024-03-10T03:00:00-04:00').toISOString());
  });

  it('America/New_York fall back (2024-11-03, 02:00 EDT -> 01:00 EST): the repeated hour fires twice, as in robfig', () => {
    const zone = 'America/New_York';
    assert.deepEqual(activations('30 1 * * *', zone, '2024-11-03T00:00:00-04:00', 3),
      iso('2024-11-03T01:30:00-04:00', '2024-11-03T01:30:00-05:00', '2024-11-04T01:30:00-05:00'));
    assert.deepEqual(activations('0 * * * *', zone, '2024-11-03T00:30:00-04:00', 3),
      iso('2024-11-03T01:00:00-04:00', '2024-11-03T01:00:00-05:00', '2024-11-03T02:00:00-05:00'));
    assert.deepEqual(activations('0 2 * * *', zone, '2024-11-03T00:00:00-04:00', 2),
      iso('2024-11-03T02:00:00-05:00', '2024-11-04T02:00:00-05:00'));
    assert.equal(next('45 1 * * *', zone, '2024-11-03T01:30:00-05:00'), new Date('2024-11-03T01:45:00-05:00').toISOString());
  });

  it('Europe/Berlin: 02:30 is skipped on 2025-03-30 and runs twice on 2025-10-26', () => {
    const zone = 'Europe/Berlin';
    assert.deepEqual(activations('30 2 * * *', zone, '2025-03-29T03:00:00+01:00', 2),
      iso('2025-03-31T02:30:00+02:00', '2025-04-01T02:30:00+02:00'));
    assert.equal(next('0 3 * * *', zone, '2025-03-30T00:00:00+01:00'), new Date('2025-03-30T03:00:00+02:00').toISOString());
    assert.deepEqual(activations('30 2 * * *', zone, '2025-10-25T12:00:00+02:00', 3),
      iso('2025-10-26T02:30:00+02:00', '2025-10-26T02:30:00+01:00', '2025-10-27T02:30:00+01:00'));
  });

  it('America/Sao_Paulo 2018-11-04, when midnight did not exist: 00:xx is skipped, the day starts at 01:00', () => {
    const zone = 'America/Sao_Paulo';
    assert.equal(next('0 0 * * *', zone, '2018-11-03T12:00:00-03:00'), new Date('2018-11-05T00:00:00-02:00').toISOString());
    assert.equal(next('@daily', zone, '2018-11-03T12:00:00-03:00'), new Date('2018-11-05T00:00:00-02:00').toISOString());
    assert.equal(next('0 1 4 11 *', zone, '2018-11-01T00:00:00-03:00'), new Date('2018-11-04T01:00:00-02:00').toISOString());
  });

  it('half-hour zones and half-hour transitions', () => {
    assert.equal(next('30 9 * * *', 'Asia/Kolkata', '2025-01-01T00:00:00Z'), '2025-01-01T04:00:00.000Z');
    // Lord Howe falls back half an hour at 02:00 (+11 -> +10:30) on 2025-04-06: 01:45 happens twice.
    assert.deepEqual(activations('45 1 * * *', 'Australia/Lord_Howe', '2025-04-06T00:00:00+11:00', 2),
      iso('2025-04-06T01:45:00+11:00', '2025-04-06T01:45:00+10:30'));
  });
});
