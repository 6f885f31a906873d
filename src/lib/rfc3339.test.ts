import assert from 'node:assert/strict';
import { it } from 'node:test';
import { rfc3339 } from './rfc3339.js';

void it('formats whole seconds in UTC, the same text within a second and a new one after it', () => {
  assert.equal(rfc3339(new Date('2026-11-27T05:00:00.123Z')), '2026-11-27T05:00:00Z');
  assert.equal(rfc3339(new Date('2026-11-27T05:00:00.999Z')), '2026-11-27T05:00:00Z');
  assert.equal(rfc3339(new Date('2026-11-27T05:00:01.000Z')), '2026-11-27T05:00:01Z');
  assert.equal(rfc3339(new Date('2026-11-27T04:59:59.500Z')), '2026-11-27T04:59:59Z', 'a clock that goes back');
});
