// One pass of a canary Rollout (Argo rollout/canary.go rolloutCanary + syncRolloutStatusCanary):
// services -> analysis -> traffic (the route moves before any pod is removed, so an abort shifts
// traffic to stable first) -> ReplicaSet sizes -> step progress -> full promotion.
import { basicCanaryCounts, canaryFenceposts, routedCanaryCounts } from './canary-replicas.js';
import { reconcileCanaryAnalysis } from './canary-analysis.js';
import { canaryScaleInForce, canarySteps, currentStep, maxTrafficWeight, pauseDurationMs, stepString, stepWeight } from './canary-steps.js';
import { desiredCanaryWeight, reconcileTraffic, trafficTargets } from './canary-traffic.js';
import type { AnalysisOutcome } from './rollout-analysis.js';
import { addPause, clearPauses, pauseCondition, removePause, resumedByUser } from './rollout-pause.js';
import type { RolloutPass } from './rollout-pass.js';
import { scaleDownAfterDelay } from './rollout-replica-sets.js';
import { pointServiceAt } from './rollout-services.js';
import { promoteStable } from './rollout-promotion.js';
import { DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS, DEFAULT_SCALE_DOWN_DELAY_SECONDS } from './rollout-types.js';

export async function reconcileCanary(pass: RolloutPass): Promise<void> {
  const s = pass.status;
  const canary = pass.rollout.spec?.strategy?.canary ?? {};
  const steps = canarySteps(pass.rollout);

  // Initial deploy: nothing to compare with, the first revision is stable at once (Argo).
  if (!pass.stableRS) promoteStable(pass, 'Initial deploy');

  if (canary.stableService && s.stableRS) await pointServiceAt(pass, canary.stableService, s.stableRS);
  if (canary.canaryService) await pointServiceAt(pass, canary.canaryService, pass.hash);

  if (s.promoteFull === true || s.abort === true) clearPauses(pass);
  if (s.abort === true && steps.length > 0) s.currentStepIndex = s.stableRS === pass.hash ? steps.length : 0;
  const stepOutcome = await reconcileCanaryAnalysis(pass);

  const routed = pass.router?.routesTraffic === true && trafficTargets(pass) !== undefined;
  const trafficAtDesired = await reconcileTraffic(pass);
  if (routed && (s.stableRS === pass.hash || s.abort === true)) {
    const targets = trafficTargets(pass);
    if (targets && steps.some((step) => step.setHeaderRoute !== undefined)) await pass.router?.removeManagedRoutes(targets);
  }

  const atDesired = await scaleCanary(pass, routed);
  if (s.abort !== true && s.stableRS !== pass.hash) {
    await advanceStep(pass, { atDesired, trafficAtDesired, stepOutcome });
    maybePromote(pass);
  }
}

/** Sizes the new, stable and older ReplicaSets; true when new and stable are at their targets. */
async function scaleCanary(pass: RolloutPass, routed: boolean): Promise<boolean> {
  const s = pass.status;
  const canary = pass.rollout.spec?.strategy?.canary ?? {};
  const replicas = pass.replicas;
  const newRS = pass.newRS;
  if (!newRS) return false;
  const fullyPromoted = s.stableRS === pass.hash || !pass.stableRS || pass.stableRS === newRS;
  const olderDelay = routed ? (canary.scaleDownDelaySeconds ?? DEFAULT_SCALE_DOWN_DELAY_SECONDS) : 0;

  if (fullyPromoted) {
    await pass.scaleReplicaSet(newRS, replicas);
    await scaleDownOthers(pass, routed, olderDelay);
    return true;
  }
  const stable = pass.stableRS;
  if (!stable) return false;
  let targets: { canary: number; stable: number };
  const max = maxTrafficWeight(pass.rollout);
  if (routed) {
    const scale = canaryScaleInForce(pass.rollout, s);
    // setCanaryScale.weight is a percentage of spec.replicas whatever maxTrafficWeight is.
    const scaleWeight = scale?.weight !== undefined ? (scale.weight * max) / 100 : undefined;
    const weight = s.promoteFull === true ? max : scaleWeight ?? (s.abort === true ? 0 : stepWeight(pass.rollout, s));
    targets = routedCanaryCounts({
      replicas,
      weight,
      maxWeight: max,
      ...(canary.minPodsPerReplicaSet !== undefined ? { minPods: canary.minPodsPerReplicaSet } : {}),
      ...(scale?.replicas !== undefined && s.abort !== true ? { canaryReplicas: scale.replicas } : {}),
      dynamicStableScale: canary.dynamicStableScale === true,
      ...(s.canary?.weights ? { currentCanaryWeight: s.canary.weights.canary.weight, currentStableWeight: s.canary.weights.stable.weight } : {}),
      aborted: s.abort === true,
    });
  } else {
    const weight = s.promoteFull === true ? 100 : (desiredCanaryWeight(pass) * 100) / max;
    targets = basicCanaryCounts({
      replicas,
      weight,
      ...(canary.maxSurge !== undefined ? { maxSurge: canary.maxSurge } : {}),
      ...(canary.maxUnavailable !== undefined ? { maxUnavailable: canary.maxUnavailable } : {}),
      canary: { replicas: newRS.spec?.replicas ?? 0, available: newRS.status?.availableReplicas ?? 0 },
      stable: { replicas: stable.spec?.replicas ?? 0, available: stable.status?.availableReplicas ?? 0 },
      othersReplicas: pass.otherRSs.reduce((n, rs) => n + (rs.spec?.replicas ?? 0), 0),
    });
  }
  // The stable grows before the canary shrinks; an aborted routed canary waits its delay at full size.
  await pass.scaleReplicaSet(stable, targets.stable);
  if (routed && s.abort === true && (s.canary?.weights?.canary.weight ?? 0) === 0) {
    await scaleDownAfterDelay(pass, newRS, canary.abortScaleDownDelaySeconds ?? DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS);
  } else if (!(routed && s.abort === true)) {
    await pass.scaleReplicaSet(newRS, targets.canary);
  }
  await scaleDownOthers(pass, routed, olderDelay);
  const canaryNow = pass.newRS;
  const stableNow = pass.stableRS;
  return (canaryNow?.spec?.replicas ?? 0) === targets.canary && (canaryNow?.status?.availableReplicas ?? 0) >= targets.canary
    && (stableNow?.spec?.replicas ?? 0) === targets.stable && (stableNow?.status?.replicas ?? 0) === targets.stable
    && (routed || pass.otherRSs.every((rs) => (rs.status?.availableReplicas ?? 0) === 0));
}

/**
 * ReplicaSets that are neither new nor stable go to 0: after scaleDownDelaySeconds with a route
 * (they may still be in the route's memory for a moment), otherwise as fast as availability
 * allows (at least replicas - maxUnavailable pods stay available).
 */
async function scaleDownOthers(pass: RolloutPass, routed: boolean, delaySeconds: number): Promise<void> {
  if (routed) {
    for (const rs of pass.otherRSs) await scaleDownAfterDelay(pass, rs, delaySeconds);
    return;
  }
  const canary = pass.rollout.spec?.strategy?.canary ?? {};
  const { unavailable } = canaryFenceposts(canary.maxSurge, canary.maxUnavailable, pass.replicas);
  const availableAll = pass.allRSs.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
  let room = availableAll - (pass.replicas - unavailable);
  for (const rs of pass.otherRSs) {
    const size = rs.spec?.replicas ?? 0;
    if (size === 0) continue;
    // Pods that are not available can go at once; available ones only within the budget.
    const unavailablePods = Math.max(0, size - (rs.status?.availableReplicas ?? 0));
    const cut = Math.min(size, unavailablePods + Math.max(0, room));
    room -= Math.max(0, cut - unavailablePods);
    if (cut > 0) await pass.scaleReplicaSet(rs, size - cut);
  }
}

interface StepState {
  readonly atDesired: boolean;
  readonly trafficAtDesired: boolean;
  readonly stepOutcome: AnalysisOutcome | undefined;
}

/** Argo's completedCurrentCanaryStep + the pause bookkeeping of reconcileCanaryPause. */
async function advanceStep(pass: RolloutPass, state: StepState): Promise<void> {
  const s = pass.status;
  const steps = canarySteps(pass.rollout);
  const { step, index } = currentStep(pass.rollout, s);
  if (!step || pass.rollout.spec?.paused === true || s.promoteFull === true) return;
  if ((s.pauseConditions ?? []).some((c) => c.reason === 'InconclusiveAnalysisRun')) return;
  let done = false;
  if (step.pause !== undefined) {
    const cond = pauseCondition(pass, 'CanaryPauseStep');
    const durationMs = pauseDurationMs(step.pause.duration);
    if (resumedByUser(pass)) {
      done = true;
      pass.decide({ kind: 'resume', step: index, message: 'pause step promoted' });
    } else if (!cond) {
      if (addPause(pass, 'CanaryPauseStep')) {
        pass.decide({ kind: 'pause', step: index, message: durationMs !== undefined ? `pause for ${String(step.pause.duration)}` : 'pause until promoted' });
      }
      if (durationMs !== undefined) pass.requeueAfter(durationMs);
    } else if (durationMs !== undefined) {
      const left = Date.parse(cond.startTime) + durationMs - pass.now().getTime();
      if (left < 0) {
        done = true;
        pass.decide({ kind: 'resume', step: index, message: `pause of ${String(step.pause.duration)} elapsed` });
      } else {
        pass.requeueAfter(left + 1);
      }
    }
  } else if (step.setWeight !== undefined) {
    done = state.atDesired && state.trafficAtDesired;
  } else if (step.setCanaryScale !== undefined) {
    done = state.atDesired;
  } else if (step.analysis !== undefined) {
    done = state.stepOutcome?.phase === 'Successful' || (state.stepOutcome?.phase === 'Inconclusive' && resumedByUser(pass));
  } else if (step.setHeaderRoute !== undefined) {
    const targets = trafficTargets(pass);
    if (pass.router?.routesTraffic === true && targets) await pass.router.setHeaderRoute({ ...step.setHeaderRoute, name: step.setHeaderRoute.name ?? '' }, targets);
    done = true;
  } else {
    pass.event('Warning', 'StepNotSupported', `Step ${index} (${stepString(step)}) is not supported by k8ts and is skipped`);
    done = true;
  }
  if (!done) return;
  removePause(pass, 'CanaryPauseStep');
  if ((s.pauseConditions?.length ?? 0) === 0) delete s.controllerPause;
  s.currentStepIndex = index + 1;
  if (s.canary) delete s.canary.currentStepAnalysisRunStatus;
  const message = `Rollout step ${index + 1}/${steps.length} completed (${stepString(step)})`;
  pass.event('Normal', 'RolloutStepCompleted', message);
  const metrics = step.analysis !== undefined && state.stepOutcome ? { analysisRun: state.stepOutcome.name, metrics: [...state.stepOutcome.metrics] } : {};
  pass.decide({ kind: 'step', step: index, message, ...metrics });
  pass.requeueAfter(0);
}

/** Argo's shouldFullPromote for a canary: every step done (or promoteFull) and the new RS available. */
function maybePromote(pass: RolloutPass): void {
  const s = pass.status;
  const steps = canarySteps(pass.rollout);
  const available = pass.newRS?.status?.availableReplicas ?? 0;
  if (available < pass.replicas) return;
  if (s.promoteFull === true) {
    promoteStable(pass, 'Full promotion requested');
  } else if (steps.length === 0 || (s.currentStepIndex ?? 0) >= steps.length) {
    promoteStable(pass, `Completed all ${steps.length} canary steps`);
  }
}
