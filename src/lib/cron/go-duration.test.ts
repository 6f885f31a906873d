import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GoDurationError, parseGoDuration } from './go-duration.js';

const SECOND = 1_000_000_000n;

describe('parseGoDuration', () => {
  it('reads what Go reads', () => {
    assert.equal(parseGoDuration('1h30m'), 5400n * SECOND);
    assert.equal(parseGoDuration('1.5h'), 5400n * SECOND);
    assert.equal(parseGoDuration('.5m'), 30n * SECOND);
    assert.equal(parseGoDuration('1.s'), SECOND);
    assert.equal(parseGoDuration('300ms'), 300_000_000n);
    assert.equal(parseGoDuration('2us'), 2000n);
    assert.equal(parseGoDuration('2µs'), 2000n);
    assert.equal(parseGoDuration('2μs'), 2000n);
    assert.equal(parseGoDuration('7ns'), 7n);
    assert.equal(parseGoDuration('+5s'), 5n * SECOND);
    assert.equal(parseGoDuration('-1.5h'), -5400n * SECOND);
    assert.equal(parseGoDuration('0'), 0n);
    assert.equal(parseGoDuration('1h1h'), 7200n * SECOND, 'repeated units add up');
  });

  it("refuses what Go refuses, with Go's messages", () => {
    const cases: [string, string][] = [
      ['', 'time: invalid duration ""'],
      ['1', 'time: missing unit in duration "1"'],
      ['1x', 'time: unknown unit "x" in duration "1x"'],
      ['1h 30m', 'time: unknown unit "h " in duration "1h 30m"'],
      ['.s', 'time: invalid duration ".s"'],
      ['h', 'time: invalid duration "h"'],
      ['3000000h', 'time: invalid duration "3000000h"'],
    ];
    for (const [text, message] of cases) {
      assert.throws(() => parseGoDuration(text), (error: unknown) => error instanceof GoDurationError && error.message === message, text);
    }
  });
});

describe('parseGoDuration accepts and refuses as Go time.ParseDuration', () => {
  const errorOf = (text: string): string | undefined => {
    try {
      parseGoDuration(text);
      return undefined;
    } catch (error) {
      if (error instanceof GoDurationError) return error.message;
      throw error;
    }
  };

  it('accepts what Go accepts', () => {
    for (const text of ['0', '-0', '1h30m', '1.5s', '.5m', '2.m', '-2m', '+3h', '500ms', '10us', '10µs', '7ns']) {
      assert.equal(errorOf(text), undefined, text);
    }
  });

  it('answers Go wording otherwise', () => {
    assert.equal(errorOf(''), 'time: invalid duration ""');
    assert.equal(errorOf('abc'), 'time: invalid duration "abc"');
    assert.equal(errorOf('.s'), 'time: invalid duration ".s"');
    assert.equal(errorOf('30'), 'time: missing unit in duration "30"');
    assert.equal(errorOf('1h30'), 'time: missing unit in duration "1h30"');
    assert.equal(errorOf('5d'), 'time: unknown unit "d" in duration "5d"');
    assert.equal(errorOf('3000000h'), 'time: invalid duration "3000000h"');
  });
});
