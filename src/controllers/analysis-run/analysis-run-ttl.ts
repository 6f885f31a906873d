// spec.ttlStrategy (Argo: isAnalysisRunTtlExceeded): a completed run is deleted once it has been
// complete for longer than its time to live. Which TTL applies: secondsAfterSuccess for a
// Successful run and secondsAfterFailure for a Failed one when set, else secondsAfterCompletion.
//
// Argo compares whole seconds, `int32(secondsCompleted) > ttl`, so with ttl 30 a run completed at
// 12:00:00 is kept at 12:00:30.9 (30 > 30 is false) and deleted from 12:00:31 on: it expires
// (ttl + 1) s after completedAt.
import type { AnalysisRun } from '../../api/rollouts/v1alpha1/analysis-run.js';

/** Milliseconds until the run expires (0: now), or undefined when it never does. */
export function ttlRemainingMs(run: AnalysisRun, now: Date): number | undefined {
  const ttl = run.spec.ttlStrategy;
  const phase = run.status?.phase;
  const completedAt = run.status?.completedAt;
  if (ttl === undefined || completedAt === undefined) return undefined;
  if (phase !== 'Successful' && phase !== 'Failed' && phase !== 'Error' && phase !== 'Inconclusive') return undefined;
  let seconds = ttl.secondsAfterCompletion;
  if (phase === 'Successful' && ttl.secondsAfterSuccess !== undefined) seconds = ttl.secondsAfterSuccess;
  else if (phase === 'Failed' && ttl.secondsAfterFailure !== undefined) seconds = ttl.secondsAfterFailure;
  if (seconds === undefined) return undefined;
  const completed = Date.parse(completedAt);
  if (Number.isNaN(completed)) return undefined;
  return Math.max(0, completed + (seconds + 1) * 1000 - now.getTime());
}
