// Traffic of a canary (Argo rollout/trafficrouting.go), with k8ts's capacity safety (issue 6 §5):
// the route never gives a revision a share its Ready pods cannot carry.
//
// Worked example: 10 replicas, the step asks for 50% and 3 canary pods are available. 50% needs
// ceil(5) = 5 pods; 3 pods carry at most floor(3 x 100 / 10) = 30%. The route goes to 30% (never
// backwards below what it already has), the hold is recorded, and the weight follows as pods
// become available. On abort the same rule protects the stable: with 6 of 10 stable pods
// available the canary keeps 40% until more stable pods are ready, instead of overloading 6 pods
// with 100%.
//
// Weights are out of trafficRouting.maxTrafficWeight (default 100), as in Argo: with 1000, a
// setWeight of 5 sends 0.5% to the canary, the route carries 5 and 995, and the end is 1000.
import { maxWeightForPods } from './canary-replicas.js';
import { maxTrafficWeight, stepWeight } from './canary-steps.js';
import type { RolloutPass } from './rollout-pass.js';
import type { TrafficTargets } from '../../rollouts/traffic/traffic-router.js';

export function trafficTargets(pass: RolloutPass): TrafficTargets | undefined {
  const canary = pass.rollout.spec?.strategy?.canary;
  if (!canary?.canaryService || !canary.stableService) return undefined;
  return {
    namespace: pass.namespace,
    stableService: canary.stableService,
    canaryService: canary.canaryService,
    ...(pass.status.stableRS !== undefined ? { stableHash: pass.status.stableRS } : {}),
    canaryHash: pass.hash,
    maxWeight: maxTrafficWeight(pass.rollout),
  };
}

/** The canary weight the rollout's state asks for (before capacity safety). */
export function desiredCanaryWeight(pass: RolloutPass): number {
  const s = pass.status;
  if (s.stableRS === pass.hash) return 0; // fully promoted: stable is the new revision
  if (s.abort === true) return 0;
  if (s.promoteFull === true) return maxTrafficWeight(pass.rollout);
  return stepWeight(pass.rollout, s);
}

/**
 * The weight that is safe to set now: moving toward `desired` only as far as the receiving side's
 * available pods allow. Returns the weight and, when it differs from `desired`, why.
 */
export function safeCanaryWeight(pass: RolloutPass, current: number, desired: number): { weight: number; held?: string } {
  const replicas = pass.replicas;
  const max = maxTrafficWeight(pass.rollout);
  if (desired > current) {
    const available = pass.newRS?.status?.availableReplicas ?? 0;
    const cap = maxWeightForPods(replicas, available, max);
    const weight = Math.max(current, Math.min(desired, cap));
    if (weight === desired) return { weight };
    const needed = Math.ceil((desired * replicas) / max);
    return { weight, held: `capacity: canary weight held at ${weight} (wanted ${desired}): ${available} of ${needed} canary pods available` };
  }
  if (desired < current) {
    const stable = pass.stableRS;
    if (!stable || stable === pass.newRS) return { weight: desired };
    const available = stable.status?.availableReplicas ?? 0;
    const minCanary = max - maxWeightForPods(replicas, available, max);
    const weight = Math.min(current, Math.max(desired, minCanary));
    if (weight === desired) return { weight };
    const needed = Math.ceil(((max - desired) * replicas) / max);
    return { weight, held: `capacity: canary weight held at ${weight} (wanted ${desired}): ${available} of ${needed} stable pods available` };
  }
  return { weight: desired };
}

/**
 * Points the route at the weight the rollout wants (as far as capacity allows) and records it in
 * status.canary.weights. Returns true when the route carries the desired weight.
 */
export async function reconcileTraffic(pass: RolloutPass): Promise<boolean> {
  const router = pass.router;
  const targets = trafficTargets(pass);
  if (!router?.routesTraffic || !targets) return true;
  const s = pass.status;
  const canaryStatus = (s.canary ??= {});
  const current = canaryStatus.weights?.canary.weight ?? 0;
  const desired = desiredCanaryWeight(pass);
  const { weight, held } = safeCanaryWeight(pass, current, desired);
  if (held !== undefined) {
    pass.decide({ kind: 'hold', message: held });
    pass.event('Normal', 'TrafficWeightHeld', held);
    pass.requeueAfter(5000);
  }
  await router.setWeight(weight, targets);
  const before = canaryStatus.weights;
  canaryStatus.weights = {
    canary: { weight, serviceName: targets.canaryService, podTemplateHash: pass.hash },
    stable: { weight: (targets.maxWeight ?? 100) - weight, serviceName: targets.stableService, ...(s.stableRS !== undefined ? { podTemplateHash: s.stableRS } : {}) },
  };
  if (before?.canary.weight !== weight) {
    const from = before ? `from ${before.canary.weight} ` : '';
    pass.event('Normal', 'TrafficWeightUpdated', `Traffic weight updated ${from}to ${weight}`);
  }
  return weight === desired;
}
