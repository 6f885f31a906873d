// revisionHistoryLimit (upstream sync.go cleanupDeployment): once more old ReplicaSets exist than
// the limit, delete the surplus, lowest revisions first, but only ones that are fully scaled down
// and settled (no pods, spec 0, status observed, not already being deleted).
import { NotFoundError } from '../../lib/errors.js';
import type { ReplicaSetObject } from './deployment-types.js';
import { lowestRevisionFirst } from './replica-set-order.js';
import type { RolloutContext } from './rollout-context.js';

export async function cleanupDeployment(ctx: RolloutContext, oldRSs: readonly ReplicaSetObject[]): Promise<void> {
  const limit = ctx.deployment.spec?.revisionHistoryLimit;
  if (limit === undefined) return;
  const alive = oldRSs.filter((rs) => rs.metadata?.deletionTimestamp === undefined);
  const surplus = alive.length - limit;
  if (surplus <= 0) return;
  for (const rs of lowestRevisionFirst(alive).slice(0, surplus)) {
    const settled =
      (rs.status?.replicas ?? 0) === 0 &&
      (rs.spec?.replicas ?? 0) === 0 &&
      (rs.metadata?.generation ?? 0) <= (rs.status?.observedGeneration ?? 0);
    if (!settled) continue;
    try {
      await ctx.deps.replicaSets.delete(ctx.namespace, rs.metadata?.name ?? '', {
        ...(rs.metadata?.uid !== undefined ? { preconditions: { uid: rs.metadata.uid } } : {}),
      });
    } catch (error) {
      // Already gone (the garbage collector or a user got there first) is the goal reached.
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
}
