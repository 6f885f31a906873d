// The delay before a Job replaces failed pods (upstream: backoff_utils.go). The controller
// remembers, per Job, how many pods failed since the last success and when the last one failed;
// the delay doubles with each consecutive failure:
//
//   failures since the last success:  1     2     3     4      5      6      7       8 ...
//   delay:                            10 s  20 s  40 s  80 s   160 s  320 s  600 s   600 s
//
// (10 s base, capped at 10 min: upstream 1.32's DefaultJobPodFailureBackOff and
// MaxJobPodFailureBackOff; older documentation still says 6 min.) The delay runs from the last
// failure: 3 failures, the last at 12:00:00, seen at 12:00:15 -> wait 40 - 15 = 25 s more.
//
// The record lives in memory, as upstream's does: after a controller restart a Job starts again
// from zero consecutive failures.
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { podFinishedTime } from './job-pod-states.js';

export const POD_FAILURE_BACKOFF_BASE_MS = 10_000;
export const POD_FAILURE_BACKOFF_MAX_MS = 10 * 60_000;

export interface BackoffRecord {
  readonly failuresAfterLastSuccess: number;
  /** When the newest of those failures happened, epoch ms; undefined with no failures. */
  readonly lastFailureTime: number | undefined;
}

export const NO_FAILURES: BackoffRecord = { failuresAfterLastSuccess: 0, lastFailureTime: undefined };

/** Records by Job key. A pass computes the next record and stores it only once its status write landed. */
export class BackoffStore {
  private readonly records = new Map<string, BackoffRecord>();

  get(jobKey: string): BackoffRecord {
    return this.records.get(jobKey) ?? NO_FAILURES;
  }

  set(jobKey: string, record: BackoffRecord): void {
    this.records.set(jobKey, record);
  }

  remove(jobKey: string): void {
    this.records.delete(jobKey);
  }
}

/**
 * The record after this pass's newly finished pods (those not yet counted in status). With no new
 * success, new failures add up. A new success resets the count; failures that finished after the
 * newest success then count again. Example: record {2 failures}; new pods: succeeded at 12:00:10,
 * failed at 12:00:05 and 12:00:20 -> {1 failure, last at 12:00:20}.
 */
export function nextBackoffRecord(previous: BackoffRecord, newSucceeded: readonly Pod[], newFailed: readonly Pod[]): BackoffRecord {
  const failedTimes = newFailed.map(podFinishedTime).sort((a, b) => a - b);
  if (newSucceeded.length === 0) {
    const last = failedTimes.at(-1);
    if (last === undefined) return previous;
    return { failuresAfterLastSuccess: previous.failuresAfterLastSuccess + failedTimes.length, lastFailureTime: last };
  }
  const lastSuccess = Math.max(...newSucceeded.map(podFinishedTime));
  const after = failedTimes.filter((time) => time > lastSuccess);
  return { failuresAfterLastSuccess: after.length, lastFailureTime: after.at(-1) };
}

/** 10 s doubled for each failure after the first, at most 10 min (see the table above). */
export function podFailureBackoffMs(failures: number): number {
  let delay = POD_FAILURE_BACKOFF_BASE_MS;
  for (let i = 1; i < failures && delay < POD_FAILURE_BACKOFF_MAX_MS; i++) delay = Math.min(delay * 2, POD_FAILURE_BACKOFF_MAX_MS);
  return delay;
}

/** How long pod creation must still wait at `now` (0: create now). */
export function remainingBackoffMs(failures: number, lastFailureTime: number | undefined, now: Date): number {
  if (failures <= 0 || lastFailureTime === undefined) return 0;
  const elapsed = now.getTime() - lastFailureTime;
  return Math.max(0, podFailureBackoffMs(failures) - elapsed);
}
