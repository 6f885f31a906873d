// The Recreate strategy (upstream recreate.go): scale every old ReplicaSet to 0, wait until none
// of their pods is left running, and only then create/scale up the new ReplicaSet. Old and new
// pods never run at the same time.
import type { PodObject, ReplicaSetObject } from './deployment-types.js';
import { specReplicas } from './deployment-types.js';
import { deploymentComplete } from './deployment-status.js';
import { cleanupDeployment } from './history-cleanup.js';
import { getAllReplicaSetsAndSyncRevision } from './new-replica-set.js';
import { syncRolloutStatus } from './progress.js';
import type { RolloutContext } from './rollout-context.js';
import { activeReplicaSets, actualReplicaCount } from './rollout-math.js';

/** Pods of the deployment by the uid of the ReplicaSet controlling them. */
export type PodsByReplicaSet = ReadonlyMap<string, readonly PodObject[]>;

/**
 * Whether old pods may still be running: an old RS still reports pods, or a pod of any RS but the
 * new one is in a phase other than Succeeded/Failed (Unknown counts as running: it may be).
 */
function oldPodsRunning(newRS: ReplicaSetObject | undefined, oldRSs: readonly ReplicaSetObject[], pods: PodsByReplicaSet): boolean {
  if (actualReplicaCount(oldRSs) > 0) return true;
  const newUid = newRS?.metadata?.uid;
  for (const [uid, list] of pods) {
    if (uid === newUid) continue;
    if (list.some((pod) => pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed')) return true;
  }
  return false;
}

export async function rolloutRecreate(ctx: RolloutContext, sets: readonly ReplicaSetObject[], pods: PodsByReplicaSet): Promise<void> {
  let { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, sets, false);
  let allSets = newRS ? [...oldRSs, newRS] : [...oldRSs];

  let scaledDown = false;
  const remainingOld: ReplicaSetObject[] = [];
  for (const rs of oldRSs) {
    if (activeReplicaSets([rs]).length === 0) {
      remainingOld.push(rs);
      continue;
    }
    const result = await ctx.scaleTo(rs, 0);
    scaledDown ||= result.scaled;
    remainingOld.push(result.rs);
  }
  if (scaledDown) return syncRolloutStatus(ctx, newRS ? [...remainingOld, newRS] : remainingOld, newRS);

  // Wait: the status of the old ReplicaSets and the pod informer bring us back when pods go.
  if (oldPodsRunning(newRS, oldRSs, pods)) return syncRolloutStatus(ctx, allSets, newRS);

  if (!newRS) {
    ({ newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, sets, true));
    if (!newRS) throw new Error('recreate: no new ReplicaSet after create');
    allSets = [...oldRSs, newRS];
  }
  const scaledUp = await ctx.scaleTo(newRS, specReplicas(ctx.deployment));
  newRS = scaledUp.rs;
  allSets = [...oldRSs, newRS];

  if (deploymentComplete(ctx.deployment, ctx.deployment.status)) await cleanupDeployment(ctx, oldRSs);
  return syncRolloutStatus(ctx, allSets, newRS);
}
