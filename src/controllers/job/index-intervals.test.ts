import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { firstFreeIndexes, formatIndexIntervals, hasIndex, mergeIndexIntervals, parseIndexIntervals, totalIndexes, withIndexes } from './index-intervals.js';

describe('index intervals', () => {
  it('formats ranges of three or more with a dash and pairs as two singles', () => {
    assert.equal(formatIndexIntervals(withIndexes([], [8, 1, 3, 5, 4, 7])), '1,3-5,7,8');
    assert.equal(formatIndexIntervals([]), '');
  });

  it('parses, merging adjacent pieces, skipping junk and cutting at completions', () => {
    assert.deepEqual(parseIndexIntervals('0,2-3,4,9', 6), [{ first: 0, last: 0 }, { first: 2, last: 4 }]);
    assert.deepEqual(parseIndexIntervals('1-9', 5), [{ first: 1, last: 4 }]);
    assert.deepEqual(parseIndexIntervals('x,2,3-', 5), [{ first: 2, last: 2 }]);
    assert.deepEqual(parseIndexIntervals(undefined, 5), []);
  });

  it('merges, counts and looks up', () => {
    const merged = mergeIndexIntervals([{ first: 0, last: 2 }, { first: 7, last: 7 }], [{ first: 3, last: 4 }, { first: 6, last: 6 }]);
    assert.equal(formatIndexIntervals(merged), '0-4,6,7');
    assert.equal(totalIndexes(merged), 7);
    assert.equal(hasIndex(merged, 5), false);
    assert.equal(hasIndex(merged, 6), true);
    assert.equal(hasIndex(merged, 0), true);
    assert.equal(hasIndex(merged, 8), false);
  });

  it('finds the first free indexes below completions', () => {
    assert.deepEqual(firstFreeIndexes([{ first: 0, last: 1 }, { first: 3, last: 3 }], 5, 6), [2, 4, 5]);
    assert.deepEqual(firstFreeIndexes([{ first: 0, last: 1 }, { first: 3, last: 3 }], 2, 6), [2, 4]);
    assert.deepEqual(firstFreeIndexes([{ first: 0, last: 5 }], 3, 6), []);
  });
});
