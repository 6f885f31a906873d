import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cronScheduleSyntaxError } from './cron-schedule-syntax.js';

describe('cronScheduleSyntaxError (robfig/cron v3 ParseStandard, as upstream validates spec.schedule)', () => {
  it('accepts standard five-field schedules, names, steps, lists and ranges', () => {
    for (const schedule of [
      '*/5 * * * *', '0 0 * * *', '0 9 * * mon-fri', '0 9 * * MON,wed,Fri', '15 3 1 jan,jul *', '0-59/15 0-23 1-31 1-12 0-6',
      '5/10 * * * *', '* * ? * ?', '1,,2 * * * *', '  0   12 * * *  ', '+5 * * * *',
    ]) {
      assert.equal(cronScheduleSyntaxError(schedule), undefined, schedule);
    }
  });

  it('accepts the descriptors and @every with a Go duration', () => {
    for (const schedule of ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly', '@every 1h30m', '@every 90s']) {
      assert.equal(cronScheduleSyntaxError(schedule), undefined, schedule);
    }
    assert.equal(cronScheduleSyntaxError('@fortnightly'), 'unrecognized descriptor: @fortnightly');
    assert.equal(cronScheduleSyntaxError('@daily '), 'unrecognized descriptor: @daily ');
    assert.equal(cronScheduleSyntaxError('@every 5'), 'failed to parse duration @every 5: time: missing unit in duration "5"');
  });

  it('counts fields as upstream prints them', () => {
    assert.equal(cronScheduleSyntaxError(''), 'empty spec string');
    assert.equal(cronScheduleSyntaxError('* * * *'), 'expected exactly 5 fields, found 4: [* * * *]');
    assert.equal(cronScheduleSyntaxError('0 * * * * *'), 'expected exactly 5 fields, found 6: [0 * * * * *]');
    assert.equal(cronScheduleSyntaxError('   '), 'expected exactly 5 fields, found 0: []');
  });

  it('reports each bound and syntax error with robfig wording', () => {
    const cases: [string, string][] = [
      ['61 * * * *', 'end of range (61) above maximum (59): 61'],
      ['* 24 * * *', 'end of range (24) above maximum (23): 24'],
      ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
      ['* * * 13 *', 'end of range (13) above maximum (12): 13'],
      ['* * * * 7', 'end of range (7) above maximum (6): 7'],
      ['5-2 * * * *', 'beginning of range (5) beyond end of range (2): 5-2'],
      ['*/0 * * * *', 'step of range should be a positive number: */0'],
      ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
      ['*/2/3 * * * *', 'too many slashes: */2/3'],
      ['*/-1 * * * *', 'negative number (-1) not allowed: -1'],
      ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
      ['* * * foo *', 'failed to parse int from foo: strconv.Atoi: parsing "foo": invalid syntax'],
      ['*/ * * * *', 'failed to parse int from : strconv.Atoi: parsing "": invalid syntax'],
      ['99999999999999999999 * * * *', 'failed to parse int from 99999999999999999999: strconv.Atoi: parsing "99999999999999999999": value out of range'],
      ['constructor * * * *', 'failed to parse int from constructor: strconv.Atoi: parsing "constructor": invalid syntax'],
    ];
    for (const [schedule, message] of cases) assert.equal(cronScheduleSyntaxError(schedule), message, schedule);
  });

  it('reads a TZ= / CRON_TZ= prefix like the parser (validation refuses it separately)', () => {
    assert.equal(cronScheduleSyntaxError('TZ=UTC */5 * * * *'), undefined);
    assert.equal(cronScheduleSyntaxError('CRON_TZ=Europe/Berlin 0 9 * * *'), undefined);
    assert.equal(cronScheduleSyntaxError('TZ=Mars/Olympus 0 9 * * *'), 'provided bad location Mars/Olympus: unknown time zone Mars/Olympus');
    assert.equal(cronScheduleSyntaxError('TZ=UTC'), 'invalid schedule format: runtime error: slice bounds out of range [3:-1]');
    assert.equal(cronScheduleSyntaxError('TZ=UTC 61 * * * *'), 'end of range (61) above maximum (59): 61');
  });
});
