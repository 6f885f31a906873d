// Phase and message of a Rollout (Argo utils/rollout/rolloututil.go CalculateRolloutPhase), a pure
// function of spec and the status being written: what `kubectl argo rollouts get` and
// `k8ts rollout get` show.
import type { RolloutObject, RolloutStatus } from './rollout-types.js';
import { rolloutReplicas } from './rollout-types.js';

export type RolloutPhase = NonNullable<RolloutStatus['phase']>;

export function calculateRolloutPhase(ro: RolloutObject, status: RolloutStatus): { phase: RolloutPhase; message: string } {
  for (const cond of status.conditions ?? []) {
    if (cond.type === 'InvalidSpec') return { phase: 'Degraded', message: `InvalidSpec: ${cond.message}` };
    if (cond.reason === 'RolloutAborted' || cond.reason === 'ProgressDeadlineExceeded') {
      return { phase: 'Degraded', message: `${cond.reason}: ${cond.message}` };
    }
  }
  if (ro.spec?.paused === true) return { phase: 'Paused', message: 'manually paused' };
  const pause = status.pauseConditions?.[0];
  if (pause) return { phase: 'Paused', message: pause.reason };
  if (ro.spec?.restartAt !== undefined && ro.spec.restartAt !== status.restartedAt) return { phase: 'Progressing', message: 'rollout is restarting' };
  if ((status.updatedReplicas ?? 0) < rolloutReplicas(ro)) return { phase: 'Progressing', message: 'more replicas need to be updated' };
  if ((status.availableReplicas ?? 0) < (status.updatedReplicas ?? 0)) return { phase: 'Progressing', message: 'updated replicas are still becoming available' };
  const fullyPromoted = status.stableRS !== undefined && status.stableRS !== '' && status.stableRS === status.currentPodHash;
  const blueGreen = ro.spec?.strategy?.blueGreen;
  if (blueGreen) {
    const active = status.blueGreen?.activeSelector;
    if (active === undefined || active === '' || active !== status.currentPodHash) return { phase: 'Progressing', message: 'active service cutover pending' };
    if (!fullyPromoted) {
      const post = status.blueGreen?.postPromotionAnalysisRunStatus?.status;
      if (blueGreen.postPromotionAnalysis && (post === undefined || !['Successful', 'Failed', 'Error', 'Inconclusive'].includes(post))) {
        return { phase: 'Progressing', message: 'waiting for analysis to complete' };
      }
      return { phase: 'Progressing', message: 'waiting for post-promotion verification to complete' };
    }
  } else if (ro.spec?.strategy?.canary) {
    if (ro.spec.strategy.canary.trafficRouting === undefined && (status.replicas ?? 0) > (status.updatedReplicas ?? 0)) {
      return { phase: 'Progressing', message: 'old replicas are pending termination' };
    }
    if (!fullyPromoted) return { phase: 'Progressing', message: 'waiting for all steps to complete' };
  }
  return { phase: 'Healthy', message: '' };
}
