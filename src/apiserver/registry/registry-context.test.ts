import assert from 'node:assert/strict';
import { it } from 'node:test';
import { rfc3339 } from './registry-context.js';

void it('rfc3339: whole seconds in UTC, right for every second even when calls go back and forth', () => {
  assert.equal(rfc3339(new Date('2026-11-27T05:00:00.000Z')), '2026-11-27T05:00:00Z');
  assert.equal(rfc3339(new Date('2026-11-27T05:00:00.999Z')), '2026-11-27T05:00:00Z');
  assert.equal(rfc3339(new Date('2026-11-27T05:00:01.001Z')), '2026-11-27T05:00:01Z');
  assert.equal(rfc3339(new Date('2026-11-27T04:59:59.500Z')), '2026-11-27T04:59:59Z');
  assert.equal(rfc3339(new Date('2026-11-27T05:00:01.000Z')), '2026-11-27T05:00:01Z');
  assert.equal(rfc3339(new Date(0)), '1970-01-01T00:00:00Z');
  assert.equal(rfc3339(new Date(-1)), '1969-12-31T23:59:59Z');
  assert.throws(() => rfc3339(new Date(NaN)), RangeError);
});
