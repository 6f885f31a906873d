// Making the new revision stable (Argo sync.go promoteStable): pauses and abort cleared, step index
// at the end, status.stableRS = currentPodHash, a RolloutCompleted Event and a decision.
import { clearPauses } from './rollout-pause.js';
import type { RolloutPass } from './rollout-pass.js';

export function promoteStable(pass: RolloutPass, reason: string): void {
  const s = pass.status;
  clearPauses(pass);
  delete s.abort;
  delete s.abortedAt;
  delete s.promoteFull;
  if (s.blueGreen) delete s.blueGreen.scaleUpPreviewCheckPoint;
  const steps = pass.rollout.spec?.strategy?.canary?.steps ?? [];
  if (pass.rollout.spec?.strategy?.canary) {
    if (steps.length > 0) s.currentStepIndex = steps.length;
    else delete s.currentStepIndex;
  }
  if (s.stableRS === pass.hash) return;
  const initial = s.stableRS === undefined || s.stableRS === '';
  s.stableRS = pass.hash;
  pass.event('Normal', 'RolloutCompleted', `Rollout completed update to revision ${pass.revision()} (${pass.hash}): ${reason}`);
  if (!initial) pass.decide({ kind: 'promote', message: reason });
  pass.promoted = true;
  pass.requeueAfter(0);
}
