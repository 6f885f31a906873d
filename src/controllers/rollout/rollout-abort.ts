// Abort and retry as a person asks for them through the status subresource (what `k8ts rollout
// abort` / `retry` and the Argo plugin patch):
//   abort: status.abort = true   -> the controller notes when it saw it (status.abortedAt, Argo's
//                                   "the controller reconciled an aborted rollout"), records the
//                                   decision, and the strategy sends traffic back to stable;
//   retry: status.abort = false  -> abortedAt is dropped and the analysis runs of the aborted
//                                   attempt are forgotten, so the steps start again with fresh runs
//                                   instead of finding the Failed run and aborting at once.
// An abort the controller decides itself (a failed analysis) goes through pass.abort(), which
// sets both fields in the same pass.
import type { RolloutPass } from './rollout-pass.js';

export function reconcileAbortRequests(pass: RolloutPass): void {
  const s = pass.status;
  if (s.abort === true) {
    if (s.abortedAt !== undefined) return;
    s.abortedAt = pass.nowText();
    pass.decide({ kind: 'abort', message: 'aborted by user (status.abort)' });
    return;
  }
  if (s.abortedAt === undefined) return;
  delete s.abortedAt;
  if (s.canary) {
    delete s.canary.currentStepAnalysisRunStatus;
    delete s.canary.currentBackgroundAnalysisRunStatus;
  }
  if (s.blueGreen) {
    delete s.blueGreen.prePromotionAnalysisRunStatus;
    delete s.blueGreen.postPromotionAnalysisRunStatus;
  }
  pass.decide({ kind: 'resume', message: 'retrying the update after abort (status.abort=false)' });
  pass.event('Normal', 'RolloutRetry', 'Retrying Rollout after abort');
}
