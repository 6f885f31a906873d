// Status and the Progressing/Available/ReplicaFailure conditions (upstream progress.go
// syncRolloutStatus, requeueStuckDeployment; sync.go syncDeploymentStatus, checkPausedConditions).
import type { DeploymentCondition, DeploymentStatus, ReplicaSetObject } from './deployment-types.js';
import { getCondition, newCondition, REASON, removeCondition, setCondition } from './deployment-conditions.js';
import {
  calculateStatus,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  hasProgressDeadline,
  progressDeadline,
} from './deployment-status.js';
import type { RolloutContext } from './rollout-context.js';

function describeTarget(newRS: ReplicaSetObject | undefined, deploymentName: string): string {
  return newRS ? `ReplicaSet ${JSON.stringify(newRS.metadata?.name ?? '')}` : `Deployment ${JSON.stringify(deploymentName)}`;
}

/** Counts and Available only (paused deployments and scaling events). */
export async function syncDeploymentStatus(
  ctx: RolloutContext,
  allSets: readonly ReplicaSetObject[],
  newRS: ReplicaSetObject | undefined,
): Promise<void> {
  await ctx.writeStatus(calculateStatus(ctx.deployment, allSets, newRS, ctx.now()));
}

/** A ReplicaFailure condition of the new RS first, then of the old ones (upstream getReplicaFailures). */
function replicaFailure(allSets: readonly ReplicaSetObject[], newRS: ReplicaSetObject | undefined, now: Date): DeploymentCondition | undefined {
  const ordered = newRS ? [newRS, ...allSets.filter((rs) => rs !== newRS)] : [...allSets];
  for (const rs of ordered) {
    const failure = (rs.status?.conditions ?? []).find((c) => c.type === 'ReplicaFailure');
    if (failure) return newCondition('ReplicaFailure', failure.status as 'True' | 'False' | 'Unknown', failure.reason ?? '', failure.message ?? '', now);
  }
  return undefined;
}

/**
 * The full status of a rollout pass. Progressing becomes NewReplicaSetAvailable when complete,
 * ReplicaSetUpdated (lastUpdateTime refreshed) whenever something moved, and
 * ProgressDeadlineExceeded once lastUpdateTime + progressDeadlineSeconds has passed.
 */
export async function syncRolloutStatus(
  ctx: RolloutContext,
  allSets: readonly ReplicaSetObject[],
  newRS: ReplicaSetObject | undefined,
): Promise<void> {
  const d = ctx.deployment;
  const now = ctx.now();
  const next: DeploymentStatus = calculateStatus(d, allSets, newRS, now);
  if (!hasProgressDeadline(d)) removeCondition(next, 'Progressing');
  const current = getCondition(d.status, 'Progressing');
  const alreadyComplete =
    next.replicas === next.updatedReplicas && current !== undefined && current.reason === REASON.newReplicaSetAvailable;
  if (hasProgressDeadline(d) && !alreadyComplete) {
    const target = describeTarget(newRS, ctx.name);
    if (deploymentComplete(d, next)) {
      setCondition(next, newCondition('Progressing', 'True', REASON.newReplicaSetAvailable, `${target} has successfully progressed.`, now));
    } else if (deploymentProgressing(d, next)) {
      const condition = newCondition('Progressing', 'True', REASON.replicaSetUpdated, `${target} is progressing.`, now);
      // Progress refreshes lastUpdateTime even when the reason stays ReplicaSetUpdated.
      if (current?.status === 'True' && current.lastTransitionTime !== undefined) condition.lastTransitionTime = current.lastTransitionTime;
      removeCondition(next, 'Progressing');
      setCondition(next, condition);
    } else if (deploymentTimedOut(d, next, now)) {
      setCondition(next, newCondition('Progressing', 'False', REASON.progressDeadlineExceeded, `${target} has timed out progressing.`, now));
    }
  }
  const failure = replicaFailure(allSets, newRS, now);
  if (failure) setCondition(next, failure);
  else removeCondition(next, 'ReplicaFailure');
  await ctx.writeStatus(next);
  requeueStuckDeployment(ctx, next);
}

/**
 * A rollout that stops moving produces no events, so nothing would wake us to notice the deadline:
 * ask to be reconciled just after it (upstream adds one second of slack).
 */
function requeueStuckDeployment(ctx: RolloutContext, status: DeploymentStatus): void {
  const d = ctx.deployment;
  const current = getCondition(status, 'Progressing');
  if (!hasProgressDeadline(d) || !current || deploymentComplete(d, status) || current.reason === REASON.progressDeadlineExceeded) return;
  const deadline = progressDeadline(d, status);
  if (deadline === undefined) return;
  const after = deadline - ctx.now().getTime();
  // Upstream requeues "now, rate-limited" when under a second is left; a plain 1 s wait is our
  // equivalent, and never spins (a Progressing reason of NewReplicaSetAvailable never times out).
  ctx.requeueAfter(after < 1000 ? 1000 : after + 1000);
}

/**
 * Paused deployments say so in Progressing (Unknown/DeploymentPaused), and say DeploymentResumed
 * once resumed, so time spent paused never counts against the progress deadline. A timed-out
 * condition is left alone.
 */
export async function checkPausedConditions(ctx: RolloutContext): Promise<void> {
  const d = ctx.deployment;
  if (!hasProgressDeadline(d)) return;
  const current = getCondition(d.status, 'Progressing');
  if (current?.reason === REASON.progressDeadlineExceeded) return;
  const pausedRecorded = current?.reason === REASON.paused;
  if (d.spec?.paused === true && !pausedRecorded) {
    setCondition(ctx.status(), newCondition('Progressing', 'Unknown', REASON.paused, 'Deployment is paused', ctx.now()));
  } else if (d.spec?.paused !== true && pausedRecorded) {
    setCondition(ctx.status(), newCondition('Progressing', 'Unknown', REASON.resumed, 'Deployment is resumed', ctx.now()));
  } else {
    return;
  }
  await ctx.persist();
}
