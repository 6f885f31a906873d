// Which ReplicaSets a Deployment owns (upstream ControllerRefManager.ClaimReplicaSets): those
// whose controller reference names it and that its selector still matches. An orphan the selector
// matches is adopted; an owned set the selector no longer matches is released. Both are patches
// guarded by the RS's uid, so they never touch a recreated namesake.
import type { LabelSelectorRequirementSet } from '../../api/selectors/label-selector.js';
import { matchesLabels } from '../../api/selectors/label-selector.js';
import { NotFoundError } from '../../lib/errors.js';
import { getControllerOf, newControllerRef } from '../framework/controller-ref.js';
import type { DeploymentObject, ReplicaSetObject } from './deployment-types.js';
import type { RolloutContext } from './rollout-context.js';

async function adopt(ctx: RolloutContext, rs: ReplicaSetObject): Promise<ReplicaSetObject | undefined> {
  // Upstream re-reads the owner first: never adopt for a deployment that is going away.
  const fresh = await ctx.deps.deployments.get(ctx.namespace, ctx.name);
  if (fresh.metadata?.uid !== ctx.deployment.metadata?.uid || fresh.metadata?.deletionTimestamp !== undefined) return undefined;
  const copy = structuredClone(rs);
  const metadata = (copy.metadata ??= {});
  metadata.ownerReferences = [...(metadata.ownerReferences ?? []), newControllerRef(ctx.deployment, { apiVersion: 'apps/v1', kind: 'Deployment' })];
  try {
    return await ctx.deps.replicaSets.update(ctx.namespace, copy);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

async function release(ctx: RolloutContext, rs: ReplicaSetObject): Promise<void> {
  const uid = ctx.deployment.metadata?.uid;
  const copy = structuredClone(rs);
  const metadata = (copy.metadata ??= {});
  metadata.ownerReferences = (metadata.ownerReferences ?? []).filter((ref) => ref.uid !== uid);
  try {
    await ctx.deps.replicaSets.update(ctx.namespace, copy);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
}

/** The ReplicaSets of the namespace this deployment controls after adopting and releasing. */
export async function claimReplicaSets(
  ctx: RolloutContext,
  candidates: readonly ReplicaSetObject[],
  selector: LabelSelectorRequirementSet,
): Promise<ReplicaSetObject[]> {
  const d: DeploymentObject = ctx.deployment;
  const uid = d.metadata?.uid;
  const deleting = d.metadata?.deletionTimestamp !== undefined;
  const claimed: ReplicaSetObject[] = [];
  for (const rs of candidates) {
    const owner = getControllerOf(rs);
    const matches = matchesLabels(selector, rs.metadata?.labels);
    if (owner) {
      if (owner.uid !== uid) continue;
      if (matches) claimed.push(rs);
      else if (!deleting) await release(ctx, rs);
      continue;
    }
    if (!matches || deleting || rs.metadata?.deletionTimestamp !== undefined) continue;
    const adopted = await adopt(ctx, rs);
    if (adopted) claimed.push(adopted);
  }
  return claimed;
}
