// The RollingUpdate strategy (upstream rolling.go). Each pass makes one kind of move: grow the new
// ReplicaSet as far as maxSurge allows, else shrink old ones as far as maxUnavailable allows, then
// records status. Bounds held at every step (see rollout-math.ts for a worked example):
//   sum of spec.replicas over all ReplicaSets <= replicas + maxSurge
//   available pods                             >= replicas - maxUnavailable (once reached)
import type { ReplicaSetObject } from './deployment-types.js';
import { specReplicas } from './deployment-types.js';
import { deploymentComplete } from './deployment-status.js';
import { cleanupDeployment } from './history-cleanup.js';
import { getAllReplicaSetsAndSyncRevision } from './new-replica-set.js';
import { syncRolloutStatus } from './progress.js';
import { oldestFirst } from './replica-set-order.js';
import type { RolloutContext } from './rollout-context.js';
import { activeReplicaSets, availableReplicaCount, maxUnavailable, newReplicaSetReplicas, replicaCount, rsReplicas } from './rollout-math.js';

export async function rolloutRolling(ctx: RolloutContext, sets: readonly ReplicaSetObject[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, sets, true);
  if (!newRS) throw new Error('rolling update: no new ReplicaSet after create');
  let allSets = [...oldRSs, newRS];

  const scaledUp = await reconcileNewReplicaSet(ctx, allSets, newRS);
  if (scaledUp.scaled) {
    allSets = [...oldRSs, scaledUp.rs];
    return syncRolloutStatus(ctx, allSets, scaledUp.rs);
  }

  const scaledDown = await reconcileOldReplicaSets(ctx, allSets, activeReplicaSets(oldRSs), newRS);
  if (scaledDown.scaled) return syncRolloutStatus(ctx, [...scaledDown.oldRSs, newRS], newRS);

  if (deploymentComplete(ctx.deployment, ctx.deployment.status)) await cleanupDeployment(ctx, oldRSs);
  return syncRolloutStatus(ctx, allSets, newRS);
}

/** Grows (or, above replicas, shrinks) the new ReplicaSet. */
async function reconcileNewReplicaSet(
  ctx: RolloutContext,
  allSets: readonly ReplicaSetObject[],
  newRS: ReplicaSetObject,
): Promise<{ scaled: boolean; rs: ReplicaSetObject }> {
  const replicas = specReplicas(ctx.deployment);
  if (rsReplicas(newRS) === replicas) return { scaled: false, rs: newRS };
  if (rsReplicas(newRS) > replicas) return ctx.scaleTo(newRS, replicas);
  return ctx.scaleTo(newRS, newReplicaSetReplicas(ctx.deployment, allSets, newRS));
}

/**
 * Shrinks old ReplicaSets without going below minAvailable = replicas - maxUnavailable.
 * maxScaledDown = allPods - minAvailable - (new RS pods not yet available): new pods that are not
 * available cannot be counted on, so they reduce what may go. Example: replicas 10, maxUnavailable
 * 2, old 10 (all available) + new 3 (none available): 13 - 8 - 3 = 2 old pods may go.
 */
async function reconcileOldReplicaSets(
  ctx: RolloutContext,
  allSets: readonly ReplicaSetObject[],
  oldRSs: readonly ReplicaSetObject[],
  newRS: ReplicaSetObject,
): Promise<{ scaled: boolean; oldRSs: ReplicaSetObject[] }> {
  if (replicaCount(oldRSs) === 0) return { scaled: false, oldRSs: [...oldRSs] };
  const minAvailable = specReplicas(ctx.deployment) - maxUnavailable(ctx.deployment);
  const newUnavailable = rsReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = replicaCount(allSets) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return { scaled: false, oldRSs: [...oldRSs] };

  const cleaned = await cleanupUnhealthyReplicas(ctx, oldRSs, maxScaledDown);
  const scaledDown = await scaleDownOldReplicaSets(ctx, [...cleaned.oldRSs, newRS], cleaned.oldRSs);
  return { scaled: cleaned.count + scaledDown.count > 0, oldRSs: scaledDown.oldRSs };
}

/**
 * First removes old pods that are not available anyway (they cost no availability), oldest
 * ReplicaSets first, at most `maxCleanup` of them. This also unsticks a rollout whose old pods
 * are crash-looping.
 */
async function cleanupUnhealthyReplicas(
  ctx: RolloutContext,
  oldRSs: readonly ReplicaSetObject[],
  maxCleanup: number,
): Promise<{ oldRSs: ReplicaSetObject[]; count: number }> {
  const result = oldestFirst(oldRSs);
  let total = 0;
  for (let i = 0; i < result.length && total < maxCleanup; i++) {
    const rs = result[i];
    if (!rs || rsReplicas(rs) === 0) continue;
    const unhealthy = rsReplicas(rs) - (rs.status?.availableReplicas ?? 0);
    if (unhealthy <= 0) continue;
    const count = Math.min(maxCleanup - total, unhealthy);
    result[i] = (await ctx.scaleTo(rs, rsReplicas(rs) - count)).rs;
    total += count;
  }
  return { oldRSs: result, count: total };
}

/** Then removes available old pods down to minAvailable, oldest ReplicaSets first. */
async function scaleDownOldReplicaSets(
  ctx: RolloutContext,
  allSets: readonly ReplicaSetObject[],
  oldRSs: readonly ReplicaSetObject[],
): Promise<{ oldRSs: ReplicaSetObject[]; count: number }> {
  const minAvailable = specReplicas(ctx.deployment) - maxUnavailable(ctx.deployment);
  const available = availableReplicaCount(allSets);
  const result = oldestFirst(oldRSs);
  if (available <= minAvailable) return { oldRSs: result, count: 0 };
  const budget = available - minAvailable;
  let total = 0;
  for (let i = 0; i < result.length && total < budget; i++) {
    const rs = result[i];
    if (!rs || rsReplicas(rs) === 0) continue;
    const count = Math.min(rsReplicas(rs), budget - total);
    result[i] = (await ctx.scaleTo(rs, rsReplicas(rs) - count)).rs;
    total += count;
  }
  return { oldRSs: result, count: total };
}
