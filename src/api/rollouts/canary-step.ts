// Where a canary Rollout stands in its steps, as Argo computes it (utils/replicaset/canary.go
// GetCurrentCanaryStep / GetCurrentSetWeight). Shared by the table, the controller and the CLI.
//
// Worked example, steps [setWeight 20, pause {}, setWeight 50, pause 30s]:
//   currentStepIndex 0 or 1 -> set weight 20; 2 or 3 -> 50; 4 (= steps.length, done) -> 100
//   (trafficRouting.maxTrafficWeight when set: weights are out of it);
//   aborted -> 0 whatever the index.
import type { CanaryStep } from './v1alpha1/canary-strategy.js';
import type { Rollout } from './v1alpha1/rollout.js';

/** The current step and its index; undefined when there are no steps or all are done. */
export function currentCanaryStep(rollout: Rollout): { step: CanaryStep; index: number } | undefined {
  const steps = rollout.spec.strategy?.canary?.steps ?? [];
  const index = rollout.status?.currentStepIndex ?? 0;
  const step = steps[index];
  return step === undefined ? undefined : { step, index };
}

/** The weight the steps ask for now: the last setWeight at or before the current step. */
export function currentSetWeight(rollout: Rollout): number {
  if (rollout.status?.abort === true) return 0;
  const current = currentCanaryStep(rollout);
  if (current === undefined) return rollout.spec.strategy?.canary?.trafficRouting?.maxTrafficWeight ?? 100;
  const steps = rollout.spec.strategy?.canary?.steps ?? [];
  for (let i = current.index; i >= 0; i--) {
    const weight = steps[i]?.setWeight;
    if (weight !== undefined) return weight;
  }
  return 0;
}
