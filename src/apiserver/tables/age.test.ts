import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { humanDuration, translateTimestampSince } from './age.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const Y = 365 * D;

void describe('humanDuration', () => {
  const cases: [number, string][] = [
    [-2 * S, '<invalid>'],
    [-1999, '0s'],
    [-1 * S, '0s'],
    [0, '0s'],
    [999, '0s'],
    [59 * S, '59s'],
    [60 * S, '60s'],
    [119 * S + 999, '119s'],
    [2 * M, '2m'],
    [2 * M + 3 * S, '2m3s'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M, '10m'],
    [10 * M + 59 * S, '10m'],
    [179 * M + 59 * S, '179m'],
    [3 * H, '3h'],
    [3 * H + 5 * M, '3h5m'],
    [7 * H + 59 * M, '7h59m'],
    [8 * H, '8h'],
    [47 * H + 59 * M, '47h'],
    [48 * H, '2d'],
    [2 * D + 3 * H, '2d3h'],
    [7 * D + 23 * H, '7d23h'],
    [8 * D, '8d'],
    [8 * D + 23 * H, '8d'],
    [200 * D, '200d'],
    [2 * Y - 1, '729d'],
    [2 * Y, '2y'],
    [3 * Y + 45 * D, '3y45d'],
    [8 * Y - H, '7y364d'],
    [8 * Y, '8y'],
    [12 * Y + 100 * D, '12y'],
  ];
  for (const [ms, expected] of cases) {
    void it(`${ms}ms -> ${expected}`, () => assert.equal(humanDuration(ms), expected));
  }
});

void describe('translateTimestampSince', () => {
  const now = new Date('2024-05-01T12:00:00Z');
  void it('formats the time since a timestamp', () => {
    assert.equal(translateTimestampSince('2024-05-01T11:57:57Z', now), '2m3s');
    assert.equal(translateTimestampSince('2024-04-29T09:00:00Z', now), '2d3h');
  });
  void it('prints <unknown> for a missing or unparsable timestamp', () => {
    assert.equal(translateTimestampSince(undefined, now), '<unknown>');
    assert.equal(translateTimestampSince(null, now), '<unknown>');
    assert.equal(translateTimestampSince('', now), '<unknown>');
    assert.equal(translateTimestampSince('yesterday-ish', now), '<unknown>');
  });
});
