// How many pods the canary and the stable ReplicaSet get (Argo Rollouts utils/replicaset/canary.go:
// CalculateReplicaCountsForBasicCanary, approximateWeightedCanaryStableReplicaCounts,
// CalculateReplicaCountsForTrafficRoutedCanary). Pure functions of plain numbers.
//
// Without traffic routing the weight IS the pod ratio: 10 replicas at setWeight 30 means 3 canary
// and 7 stable pods, reached within maxSurge/maxUnavailable like a rolling update.
// With traffic routing the route carries the weight; the canary only needs enough pods for its
// share: ceil(weight% x replicas), and the stable stays at 100% (unless dynamicStableScale).
import { scaledValue } from '../deployment/rollout-math.js';

/** The state of one ReplicaSet as the math needs it. */
export interface RSCounts {
  /** spec.replicas */
  readonly replicas: number;
  /** status.availableReplicas */
  readonly available: number;
}

/** Argo's MaxSurge / MaxUnavailable for a canary (same fencepost rule as a Deployment). */
export function canaryFenceposts(maxSurge: number | string | undefined, maxUnavailable: number | string | undefined, replicas: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge ?? '25%', replicas, true);
  let unavailable = scaledValue(maxUnavailable ?? '25%', replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable: Math.min(unavailable, replicas) };
}

/**
 * ceil(weight/maxWeight of replicas): the pods a `weight` share of traffic needs
 * (trafficWeightToReplicas). maxWeight is trafficRouting.maxTrafficWeight (default 100).
 */
export function trafficWeightToReplicas(replicas: number, weight: number, maxWeight = 100): number {
  return Math.ceil((weight * replicas) / maxWeight);
}

/**
 * The largest weight `available` pods can carry out of `replicas`: ceil(w/max x replicas) <=
 * available holds exactly when w <= available x max / replicas (max: maxTrafficWeight, default
 * 100). Example: 10 replicas, 3 ready -> 30; 3 replicas, 1 ready -> 33 (ceil(0.99) = 1 pod is
 * enough for 33%, not for 34%).
 */
export function maxWeightForPods(replicas: number, available: number, maxWeight = 100): number {
  if (replicas <= 0) return maxWeight;
  return Math.max(0, Math.min(maxWeight, Math.floor((available * maxWeight) / replicas)));
}

function floorCeilingTied(weight: number, total: number): boolean {
  const exact = (total * weight) / 100;
  return exact - Math.floor(exact) === 0.5;
}

function weightDelta(weight: number, canary: number, total: number): number {
  return Math.abs((canary * 100) / total - weight);
}

/**
 * The canary/stable split closest to `weight` (Argo's approximateWeightedCanaryStableReplicaCounts).
 * Candidates are ceil and floor of weight% x replicas, over replicas or (when surge is allowed)
 * replicas + 1; a 1..99 weight never rounds either side to 0 when there are 2+ pods.
 * Examples: 10 replicas at 30 -> 3 canary / 7 stable. 3 replicas at 50 with surge: 1.5 is a tie,
 * so the candidates are 2 of 3 (66.7%), 2 of 4 (50%) and 1 of 4 (25%) -> 2 canary + 2 stable.
 * 1 replica at 5 with surge -> (1,1): 1 canary and 1 stable (0 canary is not allowed).
 */
export function approximateCanaryStableCounts(replicas: number, weight: number, surge: number): { canary: number; stable: number } {
  if (replicas === 0) return { canary: 0, stable: 0 };
  const ceil = Math.ceil((replicas * weight) / 100);
  const floor = Math.floor((replicas * weight) / 100);
  const zeroAllowed = weight === 100 || weight === 0 || (replicas === 1 && surge === 0);
  const options: { canary: number; total: number }[] = [];
  if (ceil < replicas || zeroAllowed) options.push({ canary: ceil, total: replicas });
  if (!floorCeilingTied(weight, replicas) && (floor !== 0 || zeroAllowed)) options.push({ canary: floor, total: replicas });
  if (surge > 0) {
    options.push({ canary: ceil, total: replicas + 1 });
    if (!floorCeilingTied(weight, replicas + 1) && (floor !== 0 || zeroAllowed)) options.push({ canary: floor, total: replicas + 1 });
  }
  let best = options[0];
  if (best === undefined) return { canary: 0, stable: replicas };
  for (const option of options.slice(1)) {
    if (weightDelta(weight, option.canary, option.total) < weightDelta(weight, best.canary, best.total)) best = option;
  }
  return { canary: best.canary, stable: best.total - best.canary };
}

/** Argo's GetReplicasForScaleDown: pods that count as available, or all of them when ignoring availability. */
function replicasForScaleDown(rs: RSCounts | undefined, ignoreAvailability: boolean): number {
  if (!rs) return 0;
  if (rs.replicas < rs.available || ignoreAvailability) return rs.replicas;
  return rs.available;
}

/** Argo's adjustReplicaWithinLimits: keeps drain + adjust within maxSurge without breaking min availability. */
function adjustWithinLimits(drain: RSCounts | undefined, adjust: RSCounts | undefined, drainCount: number, adjustCount: number, maxTotal: number, minAvailable: number): [number, number] {
  let over = Math.max(0, adjustCount + drainCount - maxTotal);
  let available = drain ? Math.min(drain.available, drainCount) : 0;
  if (adjust) {
    adjustCount -= over;
    available += Math.min(adjust.available, adjustCount);
    const extra = Math.max(0, adjust.available - adjustCount);
    const needed = Math.max(0, minAvailable - available);
    adjustCount += Math.min(extra, needed);
    over = Math.max(0, adjustCount + drainCount - maxTotal);
    drainCount -= over;
  }
  return [drainCount, adjustCount];
}

export interface BasicCanaryInput {
  readonly replicas: number;
  readonly weight: number;
  readonly maxSurge?: number | string;
  readonly maxUnavailable?: number | string;
  readonly canary: RSCounts | undefined;
  /** Undefined when there is no stable or it is the canary (initial deploy, full promotion). */
  readonly stable: RSCounts | undefined;
  /** spec.replicas summed over every other ReplicaSet. */
  readonly othersReplicas: number;
}

/**
 * Canary and stable sizes for one step of a canary without traffic routing
 * (CalculateReplicaCountsForBasicCanary). First grow (stable before canary) while the total stays
 * within replicas + maxSurge; then, only once older ReplicaSets are gone, shrink the side that has
 * too many while keeping replicas - maxUnavailable pods available.
 *
 * Worked example: replicas 10, setWeight 30, maxSurge 25% (3), maxUnavailable 25% (2 -> min 8
 * available); stable 10 available, canary 0. Target 3 canary / 7 stable.
 *   grow:   room = 13 - 10 = 3 -> canary 0 -> 3 (stable needs no growth)
 *   shrink: the canary is increasing, so count stable availability only: 10 + 0 (the new canary
 *           pods are not available yet) = 10 > 8 -> 2 may go -> stable 10 -> max(7, 8) = 8
 *   result: canary 3, stable 8 (11 pods). Next pass, 3 canary available: 8 + 3 = 11 ... stable 7.
 */
export function basicCanaryCounts(input: BasicCanaryInput): { canary: number; stable: number } {
  const { replicas } = input;
  const { surge, unavailable } = canaryFenceposts(input.maxSurge, input.maxUnavailable, replicas);
  let { canary: desiredCanary, stable: desiredStable } = approximateCanaryStableCounts(replicas, input.weight, surge);
  const hasStable = input.stable !== undefined;
  if (!hasStable) {
    desiredCanary = replicas;
    desiredStable = 0;
  }
  let canaryCount = input.canary?.replicas ?? 0;
  let stableCount = input.stable?.replicas ?? 0;
  const maxTotal = replicas + surge;
  let scaleUp = maxTotal - (input.othersReplicas + canaryCount + stableCount);
  if (input.stable && input.stable.replicas < desiredStable && scaleUp > 0) {
    stableCount = Math.min(desiredStable, input.stable.replicas + scaleUp);
    scaleUp -= stableCount - input.stable.replicas;
  }
  if (input.canary && input.canary.replicas < desiredCanary && scaleUp > 0) {
    canaryCount = Math.min(desiredCanary, input.canary.replicas + scaleUp);
  }
  if (input.othersReplicas > 0) return { canary: canaryCount, stable: stableCount };

  const minAvailable = replicas - unavailable;
  const increasing = input.canary === undefined || desiredCanary >= input.canary.replicas;
  const scalable = replicasForScaleDown(input.canary, !increasing) + replicasForScaleDown(input.stable, increasing);
  if (scalable <= minAvailable) return { canary: canaryCount, stable: stableCount };
  const scaleDown = scalable - minAvailable;
  if (!increasing) {
    if (input.canary && input.canary.replicas > desiredCanary) canaryCount = Math.max(desiredCanary, input.canary.replicas - scaleDown);
    [canaryCount, stableCount] = adjustWithinLimits(input.canary, input.stable, canaryCount, stableCount, maxTotal, minAvailable);
  } else if (hasStable) {
    if (input.stable && input.stable.replicas > desiredStable) stableCount = Math.max(desiredStable, input.stable.replicas - scaleDown);
    [stableCount, canaryCount] = adjustWithinLimits(input.stable, input.canary, stableCount, canaryCount, maxTotal, minAvailable);
  }
  return { canary: canaryCount, stable: stableCount };
}

export interface RoutedCanaryInput {
  readonly replicas: number;
  /** The step's weight (the route may still be behind it), out of maxWeight. */
  readonly weight: number;
  /** trafficRouting.maxTrafficWeight (default 100): the weight of all traffic. */
  readonly maxWeight?: number;
  /** canary.minPodsPerReplicaSet: a side sized from a weight above 0 gets at least this many pods. */
  readonly minPods?: number;
  /** setCanaryScale.replicas in force, if any. */
  readonly canaryReplicas?: number;
  readonly dynamicStableScale: boolean;
  /** The weights the route carries now (status.canary.weights), if known. */
  readonly currentCanaryWeight?: number;
  readonly currentStableWeight?: number;
  readonly aborted: boolean;
}

/**
 * Sizes with traffic routing (CalculateReplicaCountsForTrafficRoutedCanary). The canary gets
 * ceil(weight% x replicas) (or setCanaryScale); the stable stays at replicas unless
 * dynamicStableScale, where it follows the larger of its desired and its actual traffic share, so
 * it never shrinks under traffic it still receives. Example: 10 replicas, step 40 while the
 * route still sends 80% to stable: canary ceil(4) = 4, stable max(ceil(6), ceil(8)) = 8.
 */
export function routedCanaryCounts(input: RoutedCanaryInput): { canary: number; stable: number } {
  const { replicas } = input;
  const max = input.maxWeight ?? 100;
  // Argo's CheckMinPodsPerReplicaSet: 0 stays 0, anything else is raised to the minimum.
  const atLeastMin = (count: number): number => (count === 0 ? 0 : Math.max(count, input.minPods ?? 0));
  let canary = input.canaryReplicas ?? atLeastMin(trafficWeightToReplicas(replicas, input.weight, max));
  if (!input.dynamicStableScale) return { canary, stable: replicas };
  let stable = atLeastMin(trafficWeightToReplicas(replicas, max - input.weight, max));
  if (input.currentStableWeight !== undefined) stable = Math.max(stable, trafficWeightToReplicas(replicas, input.currentStableWeight, max));
  if (input.aborted && input.currentCanaryWeight !== undefined) {
    // The canary keeps the pods for the traffic it still has until the route has moved.
    canary = Math.max(canary, trafficWeightToReplicas(replicas, input.currentCanaryWeight, max));
  }
  return { canary, stable };
}
