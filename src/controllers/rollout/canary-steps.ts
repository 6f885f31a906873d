// Reading a canary's steps (Argo utils/replicaset/canary.go GetCurrentCanaryStep,
// GetCurrentSetWeight, UseSetCanaryScale; rolloututil.CanaryStepString).
import { parseGoDuration } from '../../rollouts/analysis/go-duration.js';
import type { CanaryStep, RolloutObject, RolloutStatus } from './rollout-types.js';

export function canarySteps(ro: RolloutObject): CanaryStep[] {
  return ro.spec?.strategy?.canary?.steps ?? [];
}

/** The step at status.currentStepIndex, or undefined once every step ran. */
export function currentStep(ro: RolloutObject, status: RolloutStatus): { step: CanaryStep | undefined; index: number } {
  const index = status.currentStepIndex ?? 0;
  return { step: canarySteps(ro)[index], index };
}

/**
 * The weight of all traffic (Argo's weightutil.MaxTrafficWeight): trafficRouting.maxTrafficWeight,
 * default 100. setWeight values and route weights are out of it: with 1000, setWeight 5 is 0.5%.
 */
export function maxTrafficWeight(ro: RolloutObject): number {
  const max = ro.spec?.strategy?.canary?.trafficRouting?.maxTrafficWeight;
  return typeof max === 'number' && Number.isInteger(max) && max > 0 ? max : 100;
}

/**
 * The weight the steps ask for now: the last setWeight at or before the current step (0 before
 * any), maxTrafficWeight (100) after the last step. Example: steps [setWeight 20, pause,
 * setWeight 50, pause]: at index 1 -> 20, at index 3 -> 50, at index 4 -> 100.
 */
export function stepWeight(ro: RolloutObject, status: RolloutStatus): number {
  const steps = canarySteps(ro);
  const index = status.currentStepIndex ?? 0;
  if (index >= steps.length) return maxTrafficWeight(ro);
  for (let i = index; i >= 0; i--) {
    const weight = steps[i]?.setWeight;
    if (weight !== undefined) return weight;
  }
  return 0;
}

/** The setCanaryScale in force (last one at or before the current step), unless matchTrafficWeight. */
export function canaryScaleInForce(ro: RolloutObject, status: RolloutStatus): CanaryStep['setCanaryScale'] {
  const steps = canarySteps(ro);
  const index = status.currentStepIndex ?? 0;
  if (index >= steps.length) return undefined;
  for (let i = index; i >= 0; i--) {
    const scale = steps[i]?.setCanaryScale;
    if (scale === undefined) continue;
    return scale.matchTrafficWeight === true ? undefined : scale;
  }
  return undefined;
}

/** Argo's CanaryStepString, for events: `setWeight: 20`, `pause: 30s`, `analysis`... */
export function stepString(step: CanaryStep): string {
  if (step.setWeight !== undefined) return `setWeight: ${step.setWeight}`;
  if (step.pause !== undefined) return step.pause.duration !== undefined ? `pause: ${String(step.pause.duration)}` : 'pause';
  if (step.setCanaryScale !== undefined) {
    const scale = step.setCanaryScale;
    if (scale.replicas !== undefined) return `setCanaryScale{replicas: ${scale.replicas}}`;
    if (scale.weight !== undefined) return `setCanaryScale{weight: ${scale.weight}}`;
    return 'setCanaryScale{matchTrafficWeight: true}';
  }
  if (step.setHeaderRoute !== undefined) return `setHeaderRoute: ${step.setHeaderRoute.name ?? ''}`;
  if (step.analysis !== undefined) return 'analysis';
  if (step.experiment !== undefined) return 'experiment';
  if (step.setMirrorRoute !== undefined) return 'setMirrorRoute';
  return 'plugin';
}

/** Go duration or integer seconds (Argo's pause.duration) in ms; undefined when absent or invalid. */
export function pauseDurationMs(duration: string | number | undefined): number | undefined {
  if (duration === undefined) return undefined;
  if (typeof duration === 'number') return duration * 1000;
  if (/^\d+$/.test(duration)) return Number(duration) * 1000;
  try {
    return parseGoDuration(duration);
  } catch {
    return undefined;
  }
}
