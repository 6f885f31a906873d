import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { NO_FAILURES, nextBackoffRecord, podFailureBackoffMs, remainingBackoffMs } from './backoff-record.js';

function finishedAt(time: string): Pod {
  return { metadata: { name: time }, status: { containerStatuses: [{ name: 'c', image: 'i', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 1, finishedAt: time } } }] } };
}

const at = (time: string): number => Date.parse(time);

describe('pod failure backoff', () => {
  it('doubles from 10 s per consecutive failure, capped at 10 minutes', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 20].map(podFailureBackoffMs), [10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 600_000, 600_000, 600_000]);
  });

  it('counts from the last failure', () => {
    const now = new Date('2025-01-01T12:00:15Z');
    assert.equal(remainingBackoffMs(3, at('2025-01-01T12:00:00Z'), now), 25_000);
    assert.equal(remainingBackoffMs(1, at('2025-01-01T11:00:00Z'), now), 0);
    assert.equal(remainingBackoffMs(0, undefined, now), 0);
  });

  it('adds new failures up; a new success resets, keeping only failures after it', () => {
    const two = nextBackoffRecord(NO_FAILURES, [], [finishedAt('2025-01-01T12:00:05Z'), finishedAt('2025-01-01T12:00:01Z')]);
    assert.deepEqual(two, { failuresAfterLastSuccess: 2, lastFailureTime: at('2025-01-01T12:00:05Z') });
    const after = nextBackoffRecord(two, [finishedAt('2025-01-01T12:00:10Z')], [finishedAt('2025-01-01T12:00:06Z'), finishedAt('2025-01-01T12:00:20Z')]);
    assert.deepEqual(after, { failuresAfterLastSuccess: 1, lastFailureTime: at('2025-01-01T12:00:20Z') });
    assert.deepEqual(nextBackoffRecord(two, [finishedAt('2025-01-01T12:00:10Z')], []), NO_FAILURES);
    assert.equal(nextBackoffRecord(two, [], []), two);
  });
});
