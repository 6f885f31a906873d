// Scaling without rolling (upstream sync.go sync/scale/isScalingEvent): used while paused and when
// only spec.replicas changed. During a rollout with several active ReplicaSets the change is
// spread over them in proportion to their size ("proportional scaling"), so a resize does not
// silently finish or undo a rollout.
//
// Worked example: replicas 10, maxSurge 3, mid-rollout old 8 + new 5 = 13, both annotated
// max-replicas 13. Scale to 20 (surge 5): allowed 25, toAdd 25 - 13 = 12.
//   largest first: old 8 -> round(8*25/13)=15, +7 (min(7, 12)); new 5 -> round(5*25/13)=10, +5
//   added 12 = toAdd, no leftover => old 15, new 10 (total 25 = 20 + 5).
import type { DeploymentObject, ReplicaSetObject } from './deployment-types.js';
import { specReplicas } from './deployment-types.js';
import { syncDeploymentStatus } from './progress.js';
import { cleanupDeployment } from './history-cleanup.js';
import { getAllReplicaSetsAndSyncRevision } from './new-replica-set.js';
import { desiredReplicasAnnotation } from './replica-set-annotations.js';
import { largestNewerFirst, largestOlderFirst, oldestFirst } from './replica-set-order.js';
import type { RolloutContext } from './rollout-context.js';
import { activeReplicaSets, isRollingUpdate, maxSurge, replicaCount, replicaSetProportion, rsReplicas } from './rollout-math.js';

/** A ReplicaSet with pods was sized for a different spec.replicas than the deployment's now. */
export function isScalingEvent(d: DeploymentObject, sets: readonly ReplicaSetObject[]): boolean {
  return activeReplicaSets(sets).some((rs) => {
    const desired = desiredReplicasAnnotation(rs);
    return desired !== undefined && desired !== specReplicas(d);
  });
}

/** The only active ReplicaSet, or else the newest when none is active; undefined when several are. */
function activeOrLatest(newRS: ReplicaSetObject | undefined, oldRSs: readonly ReplicaSetObject[]): ReplicaSetObject | undefined {
  const ordered = oldestFirst(oldRSs);
  const active = activeReplicaSets(newRS ? [...ordered, newRS] : ordered);
  if (active.length === 0) return newRS ?? ordered[ordered.length - 1];
  return active.length === 1 ? active[0] : undefined;
}

/** The new ReplicaSet has all the wanted pods, available: nothing else needs to keep any. */
function isSaturated(d: DeploymentObject, rs: ReplicaSetObject | undefined): boolean {
  if (!rs) return false;
  const replicas = specReplicas(d);
  return rsReplicas(rs) === replicas && desiredReplicasAnnotation(rs) === replicas && (rs.status?.availableReplicas ?? 0) === replicas;
}

async function scale(ctx: RolloutContext, newRS: ReplicaSetObject | undefined, oldRSs: readonly ReplicaSetObject[]): Promise<void> {
  const d = ctx.deployment;
  const replicas = specReplicas(d);
  const single = activeOrLatest(newRS, oldRSs);
  if (single) {
    if (rsReplicas(single) !== replicas) await ctx.scaleTo(single, replicas);
    return;
  }
  if (isSaturated(d, newRS)) {
    for (const rs of activeReplicaSets(oldRSs)) await ctx.scaleTo(rs, 0);
    return;
  }
  if (!isRollingUpdate(d)) return;

  const active = activeReplicaSets(newRS ? [...oldRSs, newRS] : oldRSs);
  const allowed = replicas > 0 ? replicas + maxSurge(d) : 0;
  const toAdd = allowed - replicaCount(active);
  // Growth goes to the largest (newest on ties) first; shrinking takes from the largest (oldest).
  const ordered = toAdd > 0 ? largestNewerFirst(active) : toAdd < 0 ? largestOlderFirst(active) : active;
  const operation = toAdd > 0 ? 'up' : 'down';
  const sizes = new Map<ReplicaSetObject, number>();
  let added = 0;
  for (const rs of ordered) {
    const proportion = toAdd !== 0 ? replicaSetProportion(rs, d, toAdd, added) : 0;
    sizes.set(rs, rsReplicas(rs) + proportion);
    added += proportion;
  }
  for (const [i, rs] of ordered.entries()) {
    let size = sizes.get(rs) ?? rsReplicas(rs);
    // Rounding leftovers go to the largest ReplicaSet.
    if (i === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added);
    await ctx.scaleReplicaSet(rs, size, operation);
  }
}

/** Upstream sync(): scale, clean up history when paused, and record counts. */
export async function syncScaling(ctx: RolloutContext, sets: readonly ReplicaSetObject[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, sets, false);
  await scale(ctx, newRS, oldRSs);
  if (ctx.deployment.spec?.paused === true) await cleanupDeployment(ctx, oldRSs);
  // Counts come from the ReplicaSets' status, which scaling has not changed yet.
  await syncDeploymentStatus(ctx, newRS ? [...oldRSs, newRS] : oldRSs, newRS);
}
