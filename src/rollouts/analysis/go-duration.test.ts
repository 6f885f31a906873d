import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MetricSpecError } from './analysis-errors.js';
import { parseGoDuration } from './go-duration.js';

describe('parseGoDuration', () => {
  it('parses Go durations', () => {
    assert.equal(parseGoDuration('30s'), 30_000);
    assert.equal(parseGoDuration('1h30m'), 5_400_000);
    assert.equal(parseGoDuration('1.5s'), 1500);
    assert.equal(parseGoDuration('500ms'), 500);
    assert.equal(parseGoDuration('0'), 0);
    assert.equal(parseGoDuration('-1m'), -60_000);
    assert.equal(parseGoDuration('1000us'), 1);
  });
  it('rejects what Go rejects', () => {
    assert.throws(() => parseGoDuration('30'), (e) => e instanceof MetricSpecError && e.message === 'time: missing unit in duration "30"');
    assert.throws(() => parseGoDuration('1d'), /time: unknown unit "d" in duration "1d"/);
    assert.throws(() => parseGoDuration(''), /time: invalid duration ""/);
    assert.throws(() => parseGoDuration('1m x'), /unknown unit "m x" in duration "1m x"/);
  });
});
