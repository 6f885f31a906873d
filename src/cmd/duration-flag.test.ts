import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDurationMs } from './duration-flag.js';

describe('parseDurationMs', () => {
  it('reads Go durations', () => {
    assert.equal(parseDurationMs('--x', '50s'), 50_000);
    assert.equal(parseDurationMs('--x', '1m30s'), 90_000);
    assert.equal(parseDurationMs('--x', '1.5s'), 1500);
    assert.equal(parseDurationMs('--x', '500ms'), 500);
    assert.equal(parseDurationMs('--x', '1h'), 3_600_000);
    assert.equal(parseDurationMs('--x', '0'), 0);
  });

  it('rejects anything else, naming the flag', () => {
    for (const bad of ['', '50', 's', '5 s', '5sec', '-1s', '5s3']) {
      assert.throws(() => parseDurationMs('--node-monitor-grace-period', bad), /invalid --node-monitor-grace-period/, bad);
    }
  });
});
