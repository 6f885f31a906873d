// Slow start (upstream: controller.slowStartBatch). Creating N objects that may all fail the same
// way (quota, an invalid template) should not send N doomed requests: run them in batches of
// 1, 2, 4, 8, ... and stop after the first batch with a failure.
//
// Worked example: count 10, initial 1 -> batches of 1, 2, 4, 3 (the rest). If the batch of 4
// has a failure, the remaining 3 are never attempted: successes = 1 + 2 + (successes of that 4).

export interface SlowStartResult {
  /** Calls that resolved. */
  readonly successes: number;
  /** The first error of the first failing batch, if any. */
  readonly error: unknown;
  readonly failed: boolean;
}

/** Calls `fn(index)` `count` times in doubling batches; stops after a batch with an error. */
export async function slowStartBatch(count: number, initialBatchSize: number, fn: (index: number) => Promise<void>): Promise<SlowStartResult> {
  let remaining = count;
  let successes = 0;
  let started = 0;
  let batchSize = Math.min(remaining, Math.max(1, initialBatchSize));
  while (batchSize > 0) {
    const batch = Array.from({ length: batchSize }, (_, i) => fn(started + i));
    started += batchSize;
    const results = await Promise.allSettled(batch);
    let firstError: PromiseRejectedResult | undefined;
    for (const result of results) {
      if (result.status === 'fulfilled') successes += 1;
      else firstError ??= result;
    }
    if (firstError !== undefined) return { successes, error: firstError.reason, failed: true };
    remaining -= batchSize;
    batchSize = Math.min(2 * batchSize, remaining);
  }
  return { successes, error: undefined, failed: false };
}
