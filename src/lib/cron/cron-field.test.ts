import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  type CronField, CronSyntaxError, DAY_OF_MONTH_BOUNDS, DAY_OF_WEEK_BOUNDS, HOUR_BOUNDS, MINUTE_BOUNDS, MONTH_BOUNDS, nextAllowed,
  parseCronField,
} from './cron-field.js';

function values(field: CronField): number[] {
  return field.allows.flatMap((allowed, value) => (allowed ? [value] : []));
}

describe('parseCronField', () => {
  it('* and ? allow every value and count as a star', () => {
    for (const text of ['*', '?']) {
      const field = parseCronField(text, HOUR_BOUNDS);
      assert.deepEqual(values(field), Array.from({ length: 24 }, (_, hour) => hour));
      assert.equal(field.star, true);
    }
    assert.deepEqual(values(parseCronField('*', DAY_OF_MONTH_BOUNDS)), Array.from({ length: 31 }, (_, i) => i + 1));
  });

  it('single values, lists and ranges', () => {
    assert.deepEqual(values(parseCronField('5', MINUTE_BOUNDS)), [5]);
    assert.deepEqual(values(parseCronField('1,15,30', MINUTE_BOUNDS)), [1, 15, 30]);
    assert.deepEqual(values(parseCronField('10-13', MINUTE_BOUNDS)), [10, 11, 12, 13]);
    assert.deepEqual(values(parseCronField('1-3,7,20-21', HOUR_BOUNDS)), [1, 2, 3, 7, 20, 21]);
    assert.deepEqual(values(parseCronField('05', MINUTE_BOUNDS)), [5], 'leading zeros, as strconv.Atoi');
    assert.equal(parseCronField('1-5', MINUTE_BOUNDS).star, false);
  });

  it('steps: */n, a-b/n, and n/step meaning n-max/step', () => {
    const quarter = parseCronField('*/15', MINUTE_BOUNDS);
    assert.deepEqual(values(quarter), [0, 15, 30, 45]);
    assert.equal(quarter.star, false, 'a star with a step > 1 is a restriction');
    assert.equal(parseCronField('*/1', MINUTE_BOUNDS).star, true, 'robfig keeps */1 a star');
    assert.deepEqual(values(parseCronField('1-10/3', MINUTE_BOUNDS)), [1, 4, 7, 10]);
    assert.deepEqual(values(parseCronField('5/15', MINUTE_BOUNDS)), [5, 20, 35, 50]);
    assert.deepEqual(values(parseCronField('*/100', MINUTE_BOUNDS)), [0], 'a step beyond the range keeps the start');
  });

  it('month and weekday names, case-insensitive, in ranges and with steps', () => {
    assert.deepEqual(values(parseCronField('JAN-MAR', MONTH_BOUNDS)), [1, 2, 3]);
    assert.deepEqual(values(parseCronField('dec,Jun', MONTH_BOUNDS)), [6, 12]);
    assert.deepEqual(values(parseCronField('MON-FRI', DAY_OF_WEEK_BOUNDS)), [1, 2, 3, 4, 5]);
    assert.deepEqual(values(parseCronField('sun,Sat', DAY_OF_WEEK_BOUNDS)), [0, 6]);
    assert.deepEqual(values(parseCronField('Mon/2', DAY_OF_WEEK_BOUNDS)), [1, 3, 5]);
    assert.throws(() => parseCronField('MON', MONTH_BOUNDS), /failed to parse int from MON/, 'names belong to their field');
  });

  it('robfig quirks: *-5 is *, empty list elements are skipped', () => {
    assert.deepEqual(values(parseCronField('*-5', HOUR_BOUNDS)).length, 24);
    assert.deepEqual(values(parseCronField(',5,', MINUTE_BOUNDS)), [5]);
    assert.deepEqual(values(parseCronField(',', MINUTE_BOUNDS)), [], 'nothing at all: the schedule never fires');
  });

  it('refuses what robfig refuses, with its messages', () => {
    const cases: [string, typeof MINUTE_BOUNDS, string][] = [
      ['7', DAY_OF_WEEK_BOUNDS, 'end of range (7) above maximum (6): 7'],
      ['60', MINUTE_BOUNDS, 'end of range (60) above maximum (59): 60'],
      ['0', DAY_OF_MONTH_BOUNDS, 'beginning of range (0) below minimum (1): 0'],
      ['0', MONTH_BOUNDS, 'beginning of range (0) below minimum (1): 0'],
      ['5-3', MINUTE_BOUNDS, 'beginning of range (5) beyond end of range (3): 5-3'],
      ['1-2-3', MINUTE_BOUNDS, 'too many hyphens: 1-2-3'],
      ['*/2/3', MINUTE_BOUNDS, 'too many slashes: */2/3'],
      ['*/0', MINUTE_BOUNDS, 'step of range should be a positive number: */0'],
      ['x', MINUTE_BOUNDS, 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
      ['-5', MINUTE_BOUNDS, 'failed to parse int from : strconv.Atoi: parsing "": invalid syntax'],
      ['*/MON', DAY_OF_WEEK_BOUNDS, 'failed to parse int from MON: strconv.Atoi: parsing "MON": invalid syntax'],
      ['L', DAY_OF_MONTH_BOUNDS, 'failed to parse int from L: strconv.Atoi: parsing "L": invalid syntax'],
    ];
    for (const [text, bounds, message] of cases) {
      assert.throws(() => parseCronField(text, bounds), (error: unknown) => {
        assert.ok(error instanceof CronSyntaxError);
        assert.equal(error.message, message);
        return true;
      }, text);
    }
  });

  it('nextAllowed finds the next value at or after a point', () => {
    const field = parseCronField('10,20', MINUTE_BOUNDS);
    assert.equal(nextAllowed(field, 0), 10);
    assert.equal(nextAllowed(field, 10), 10);
    assert.equal(nextAllowed(field, 11), 20);
    assert.equal(nextAllowed(field, 21), undefined);
  });
});
