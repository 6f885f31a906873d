import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseIndexIntervals } from './index-intervals.js';
import { matchSuccessPolicy } from './success-policy.js';

describe('matchSuccessPolicy', () => {
  const succeeded = parseIndexIntervals('1-2,4', 10);

  it('indexes and count: enough of the listed indexes', () => {
    assert.equal(matchSuccessPolicy({ rules: [{ succeededIndexes: '0,2-4', succeededCount: 2 }] }, 10, succeeded), 'Matched rules at index 0');
    assert.equal(matchSuccessPolicy({ rules: [{ succeededIndexes: '0,2-4', succeededCount: 3 }] }, 10, succeeded), undefined);
  });

  it('indexes only: all of them; count only: that many', () => {
    assert.equal(matchSuccessPolicy({ rules: [{ succeededIndexes: '1,2' }] }, 10, succeeded), 'Matched rules at index 0');
    assert.equal(matchSuccessPolicy({ rules: [{ succeededIndexes: '1-3' }, { succeededCount: 3 }] }, 10, succeeded), 'Matched rules at index 1');
    assert.equal(matchSuccessPolicy({ rules: [{ succeededCount: 4 }] }, 10, succeeded), undefined);
  });

  it('nothing succeeded or no policy: no match', () => {
    assert.equal(matchSuccessPolicy({ rules: [{ succeededCount: 0 }] }, 10, []), undefined);
    assert.equal(matchSuccessPolicy(undefined, 10, succeeded), undefined);
  });
});
