import assert from 'node:assert/strict';
import { it } from 'node:test';
import { goDurationSeconds, pauseDurationSeconds } from './pause-duration.js';

void it('reads pause durations as Argo does', () => {
  assert.equal(pauseDurationSeconds({}), undefined);
  assert.equal(pauseDurationSeconds({ duration: 30 }), 30);
  assert.equal(pauseDurationSeconds({ duration: '45' }), 45);
  assert.equal(pauseDurationSeconds({ duration: '1m30s' }), 90);
  assert.equal(pauseDurationSeconds({ duration: '1.5m' }), 90);
  assert.equal(pauseDurationSeconds({ duration: '1h' }), 3600);
  assert.equal(pauseDurationSeconds({ duration: '1500ms' }), 1);
  assert.equal(pauseDurationSeconds({ duration: 'soon' }), -1);
  assert.equal(pauseDurationSeconds({ duration: '10x' }), -1);
  assert.equal(pauseDurationSeconds({ duration: 1.5 }), -1);
});

void it('parses Go durations', () => {
  assert.equal(goDurationSeconds('0'), 0);
  assert.equal(goDurationSeconds('-2s'), -2);
  assert.equal(goDurationSeconds('2h45m'), 9900);
  assert.equal(goDurationSeconds('30'), undefined);
  assert.equal(goDurationSeconds(''), undefined);
});
