// One pass of a blue/green Rollout (Argo rollout/bluegreen.go): the new ReplicaSet comes up beside
// the active one (previewReplicaCount pods, behind previewService), pre-promotion analysis runs,
// the rollout pauses unless autoPromotionEnabled (or for autoPromotionSeconds), then the active
// Service switches to the new pods at once. Post-promotion analysis judges the switched release:
// failure switches the active Service back to the old ReplicaSet (instant rollback, it is still
// running for scaleDownDelaySeconds). Abort keeps (or puts back) the active Service on stable.
import { judgeOutcome, runStatus, terminateRuns } from './canary-analysis.js';
import { addPause, clearPauses, pauseCondition, resumedByUser } from './rollout-pause.js';
import type { RolloutPass } from './rollout-pass.js';
import { promoteStable } from './rollout-promotion.js';
import { clearScaleDownDeadline, scaleDownAfterDelay } from './rollout-replica-sets.js';
import { pointServiceAt } from './rollout-services.js';
import type { AnalysisOutcome } from './rollout-analysis.js';
import type { RolloutAnalysis } from './rollout-types.js';
import { DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS, DEFAULT_SCALE_DOWN_DELAY_SECONDS } from './rollout-types.js';

async function ensureRun(pass: RolloutPass, kind: 'prePromotion' | 'postPromotion', analysis: RolloutAnalysis): Promise<AnalysisOutcome> {
  return pass.deps.analysis.ensure({
    // The status as this pass has it: the launcher reuses a finished run only while it is named there.
    rollout: { ...pass.rollout, status: pass.status },
    kind,
    analysis,
    podHashes: { ...(pass.status.stableRS !== undefined ? { stable: pass.status.stableRS } : {}), canary: pass.hash },
    revision: String(pass.revision()),
  });
}

export async function reconcileBlueGreen(pass: RolloutPass): Promise<void> {
  const s = pass.status;
  const bg = pass.rollout.spec?.strategy?.blueGreen;
  const newRS = pass.newRS;
  if (!bg || !newRS) return;
  const bgStatus = (s.blueGreen ??= {});
  const replicas = pass.replicas;
  const newAvailable = (): number => pass.newRS?.status?.availableReplicas ?? 0;

  // Initial deploy: the first revision is stable and active once it exists (Argo's chicken and egg).
  if (!pass.stableRS) promoteStable(pass, 'Initial deploy');
  const fullyPromoted = s.stableRS === pass.hash;
  const aborted = s.abort === true;
  if (aborted || s.promoteFull === true) clearPauses(pass);

  // 1. The active Service: stable until promotion; back to stable on abort (rollback).
  let active = bgStatus.activeSelector;
  if (active === undefined || active === '' || aborted || pass.replicaSetByHash(active) === undefined) active = s.stableRS ?? pass.hash;
  // 2. Size the new ReplicaSet: preview size until promotion is under way, then full.
  const promoting = fullyPromoted || active === pass.hash || s.promoteFull === true || bgStatus.scaleUpPreviewCheckPoint === true;
  const previewSize = bg.previewReplicaCount !== undefined && !promoting ? bg.previewReplicaCount : replicas;
  if (aborted && !fullyPromoted) {
    await scaleDownAfterDelay(pass, newRS, bg.abortScaleDownDelaySeconds ?? DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS);
  } else {
    await pass.scaleReplicaSet(await clearScaleDownDeadline(pass, newRS), previewSize);
  }
  const activeRS = pass.replicaSetByHash(active);
  if (activeRS && activeRS !== pass.newRS && (activeRS.spec?.replicas ?? 0) < replicas) await pass.scaleReplicaSet(await clearScaleDownDeadline(pass, activeRS), replicas);
  // 3. Preview Service: the new pods once they are all available (capacity safety).
  if (bg.previewService) {
    const target = !aborted && newAvailable() >= previewSize && previewSize > 0 ? pass.hash : active;
    await pointServiceAt(pass, bg.previewService, target);
    bgStatus.previewSelector = target;
  }

  if (!aborted && !fullyPromoted && active !== pass.hash && newAvailable() >= previewSize) {
    await beforeSwitch(pass, bg, previewSize);
    if (bgStatus.scaleUpPreviewCheckPoint === true && newAvailable() >= replicas) {
      // 4. The switch: all traffic to the new pods at once.
      active = pass.hash;
      pass.decide({ kind: 'promote', message: `active service switched to ${pass.hash}` });
    }
  }
  await pointServiceAt(pass, bg.activeService, active);
  bgStatus.activeSelector = active;

  // 5. After the switch: post-promotion analysis, then the new revision is stable.
  if (!aborted && !fullyPromoted && active === pass.hash) {
    let ok = true;
    if (bg.postPromotionAnalysis && s.promoteFull !== true) {
      const outcome = await ensureRun(pass, 'postPromotion', bg.postPromotionAnalysis);
      bgStatus.postPromotionAnalysisRunStatus = runStatus(outcome);
      judgeOutcome(pass, outcome);
      if (pass.status.abort === true) {
        // Instant rollback: the previous pods are still up; point the active Service back at them.
        const back = s.stableRS ?? pass.hash;
        await pointServiceAt(pass, bg.activeService, back);
        bgStatus.activeSelector = back;
        pass.decide({ kind: 'rollback', message: `active service switched back to ${back}` });
        return;
      }
      ok = outcome.phase === 'Successful';
    }
    if (ok) promoteStable(pass, 'Completed blue-green update');
  }
  if (pass.status.abort === true) await terminateRuns(pass, [bgStatus.prePromotionAnalysisRunStatus, bgStatus.postPromotionAnalysisRunStatus]);

  // 6. Old ReplicaSets (not active, not new) go to 0 after scaleDownDelaySeconds.
  const keep = new Set([bgStatus.activeSelector, pass.hash]);
  for (const rs of pass.allRSs) {
    const hash = rs.metadata?.labels?.['rollouts-pod-template-hash'];
    if (hash !== undefined && keep.has(hash)) continue;
    if (rs === pass.stableRS && !fullyPromoted && !pass.promoted) continue;
    await scaleDownAfterDelay(pass, rs, bg.scaleDownDelaySeconds ?? DEFAULT_SCALE_DOWN_DELAY_SECONDS);
  }
}

/** Pre-promotion analysis and the pause before the switch; sets scaleUpPreviewCheckPoint when clear. */
async function beforeSwitch(pass: RolloutPass, bg: NonNullable<NonNullable<NonNullable<RolloutPass['rollout']['spec']>['strategy']>['blueGreen']>, _previewSize: number): Promise<void> {
  const s = pass.status;
  const bgStatus = (s.blueGreen ??= {});
  if (bgStatus.scaleUpPreviewCheckPoint === true) return;
  if (bg.prePromotionAnalysis && s.promoteFull !== true) {
    const outcome = await ensureRun(pass, 'prePromotion', bg.prePromotionAnalysis);
    bgStatus.prePromotionAnalysisRunStatus = runStatus(outcome);
    judgeOutcome(pass, outcome);
    if (outcome.phase !== 'Successful') return;
  }
  if (pass.rollout.spec?.paused === true) return;
  const auto = bg.autoPromotionEnabled ?? true;
  const cond = pauseCondition(pass, 'BlueGreenPause');
  if (s.promoteFull !== true && !resumedByUser(pass)) {
    if (!auto) {
      if (addPause(pass, 'BlueGreenPause')) pass.decide({ kind: 'pause', message: 'waiting for promotion (autoPromotionEnabled: false)' });
      return;
    }
    if (bg.autoPromotionSeconds !== undefined && bg.autoPromotionSeconds > 0) {
      if (!cond) {
        if (addPause(pass, 'BlueGreenPause')) pass.decide({ kind: 'pause', message: `auto-promotion in ${bg.autoPromotionSeconds}s` });
        pass.requeueAfter(bg.autoPromotionSeconds * 1000);
        return;
      }
      const left = Date.parse(cond.startTime) + bg.autoPromotionSeconds * 1000 - pass.now().getTime();
      if (left >= 0) {
        pass.requeueAfter(left + 1);
        return;
      }
    }
  }
  clearPauses(pass);
  bgStatus.scaleUpPreviewCheckPoint = true;
  pass.requeueAfter(0);
}
