// The arithmetic of a rolling update (upstream: deployment/util ResolveFenceposts, MaxSurge,
// MaxUnavailable, NewRSNewReplicas, GetProportion). Pure functions of plain numbers and objects.
//
// Worked example: replicas 10, maxSurge 25%, maxUnavailable 25%.
//   maxSurge       = ceil(10 * 25 / 100)  = ceil(2.5)  = 3  (surge rounds UP)
//   maxUnavailable = floor(10 * 25 / 100) = floor(2.5) = 2  (unavailability rounds DOWN)
//   => at most 10 + 3 = 13 pods exist, at least 10 - 2 = 8 are available, at every step.
// Starting from old=10 (all available), new=0:
//   1. scale up new:   13 - 10 = 3 room          -> new 3       (total 13); in the same pass:
//   2. scale down old: available 10, min 8; new has 3 unavailable; allPods 13:
//                      maxScaledDown = 13 - 8 - 3 = 2 -> old 8   (total 11, available 8)
//   3. next pass: 11 pods, 2 more fit -> new 5 (total 13); old may not drop: 13 - 8 - 5 = 0
//   4. once those 5 are available: available 8 + 5 = 13 -> old drops 13 - 8 = 5 -> old 3 ...
// and so on until new=10, old=0. With replicas 1 and both 0% (or 0), surge and unavailable both
// resolve to 0, which could never make progress: upstream then allows maxUnavailable = 1.
import type { DeploymentObject, ReplicaSetObject } from './deployment-types.js';
import { MAX_REPLICAS_ANNOTATION, specReplicas } from './deployment-types.js';

/**
 * An int-or-percent scaled against `total` (upstream GetScaledValueFromIntOrPercent): a number
 * is itself; `'25%'` is 25% of total, rounded up or down. Anything else is an error the API
 * validation should have rejected; treat it as 0.
 */
export function scaledValue(value: number | string | undefined, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return 0;
  const match = /^(\d+)%$/.exec(value);
  if (!match) return /^\d+$/.test(value) ? Number(value) : 0;
  const exact = (Number(match[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** Upstream ResolveFenceposts: [maxSurge, maxUnavailable] for `desired` replicas. */
export function resolveFenceposts(
  maxSurge: number | string | undefined,
  maxUnavailable: number | string | undefined,
  desired: number,
): [surge: number, unavailable: number] {
  const surge = scaledValue(maxSurge, desired, true);
  let unavailable = scaledValue(maxUnavailable, desired, false);
  // Both zero would freeze the rollout: nothing may be added and nothing may go away.
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

export function isRollingUpdate(d: DeploymentObject): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

function fenceposts(d: DeploymentObject): [number, number] {
  const rolling = d.spec?.strategy?.rollingUpdate;
  return resolveFenceposts(rolling?.maxSurge ?? '25%', rolling?.maxUnavailable ?? '25%', specReplicas(d));
}

/** Pods allowed above spec.replicas (0 for Recreate). */
export function maxSurge(d: DeploymentObject): number {
  return isRollingUpdate(d) ? fenceposts(d)[0] : 0;
}

/** Pods allowed to be unavailable (0 for Recreate or replicas 0; never more than replicas). */
export function maxUnavailable(d: DeploymentObject): number {
  const replicas = specReplicas(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  return Math.min(fenceposts(d)[1], replicas);
}

export function rsReplicas(rs: ReplicaSetObject | undefined): number {
  return rs?.spec?.replicas ?? 0;
}

/** Sum of spec.replicas. */
export function replicaCount(sets: readonly ReplicaSetObject[]): number {
  return sets.reduce((sum, rs) => sum + rsReplicas(rs), 0);
}

/** Sum of status.replicas (pods that exist). */
export function actualReplicaCount(sets: readonly ReplicaSetObject[]): number {
  return sets.reduce((sum, rs) => sum + (rs.status?.replicas ?? 0), 0);
}

export function readyReplicaCount(sets: readonly ReplicaSetObject[]): number {
  return sets.reduce((sum, rs) => sum + (rs.status?.readyReplicas ?? 0), 0);
}

export function availableReplicaCount(sets: readonly ReplicaSetObject[]): number {
  return sets.reduce((sum, rs) => sum + (rs.status?.availableReplicas ?? 0), 0);
}

/** Sets that want or have pods (upstream FilterActiveReplicaSets: spec.replicas > 0). */
export function activeReplicaSets(sets: readonly ReplicaSetObject[]): ReplicaSetObject[] {
  return sets.filter((rs) => rsReplicas(rs) > 0);
}

/**
 * The size the new ReplicaSet may grow to now (upstream NewRSNewReplicas). RollingUpdate: as far
 * as replicas + maxSurge pods in total allow, but never above replicas. Recreate: replicas.
 * Example: replicas 10, surge 3, old 10 + new 0 -> min(13 - 10, 10 - 0) = 3.
 */
export function newReplicaSetReplicas(d: DeploymentObject, allSets: readonly ReplicaSetObject[], newRS: ReplicaSetObject): number {
  const replicas = specReplicas(d);
  if (!isRollingUpdate(d)) return replicas;
  const current = replicaCount(allSets);
  const maxTotal = replicas + maxSurge(d);
  if (current >= maxTotal) return rsReplicas(newRS);
  return rsReplicas(newRS) + Math.min(maxTotal - current, replicas - rsReplicas(newRS));
}

/** Go's math.Round: half away from zero. */
function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

function annotatedInt(rs: ReplicaSetObject, key: string): number | undefined {
  const text = rs.metadata?.annotations?.[key];
  if (text === undefined || !/^-?\d+$/.test(text)) return undefined;
  return Number(text);
}

/**
 * How many replicas `rs` should gain (or lose, negative) when the deployment is resized during a
 * rollout (upstream getReplicaSetFraction): its share scaled by the ratio of the new allowed size
 * (replicas + maxSurge) to the size it was last sized for (its max-replicas annotation).
 * Example: rs 6 of max-replicas 13, deployment grows to 20 (+surge 5 = 25): round(6*25/13) - 6 = 6.
 */
export function replicaSetFraction(rs: ReplicaSetObject, d: DeploymentObject): number {
  const replicas = specReplicas(d);
  if (replicas === 0) return -rsReplicas(rs);
  const allowed = replicas + maxSurge(d);
  const annotated = annotatedInt(rs, MAX_REPLICAS_ANNOTATION) ?? d.status?.replicas ?? 0;
  if (annotated === 0) return 0;
  return roundHalfAway((rsReplicas(rs) * allowed) / annotated) - rsReplicas(rs);
}

/** Upstream GetProportion: the fraction, clamped to what is still left to add (or remove). */
export function replicaSetProportion(rs: ReplicaSetObject, d: DeploymentObject, toAdd: number, added: number): number {
  if (rsReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}
