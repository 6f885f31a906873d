// Everything `k8ts rollout get` and `undo` read about one rollout: the Rollout, the ReplicaSets it
// owns, their pods, and the AnalysisRuns it owns, listed once from the API (owner references by
// uid, as the Argo plugin matches them).
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { ClientSet } from '../../client/resource-client.js';
import { ANALYSIS_RUNS, PODS, REPLICASETS, ROLLOUTS } from '../../client/resource-types.js';
import type { AnalysisRunObject, PodObject, ReplicaSetObject, RolloutObject } from './cli-object-types.js';
import { orRolloutNotFound } from './rollout-not-found.js';

/** Argo's revision annotation on a Rollout's ReplicaSets and AnalysisRuns. */
export const REVISION_ANNOTATION = 'rollout.argoproj.io/revision';

export interface RolloutObjects {
  readonly rollout: RolloutObject;
  readonly replicaSets: readonly ReplicaSetObject[];
  readonly pods: readonly PodObject[];
  readonly analysisRuns: readonly AnalysisRunObject[];
}

export function isOwnedBy(owners: readonly OwnerReference[] | undefined, uids: ReadonlySet<string>): boolean {
  return (owners ?? []).some((owner) => uids.has(owner.uid));
}

/** The revision annotation as a number; 0 when absent or not a number, as Argo reads it. */
export function revisionOf(annotations: Readonly<Record<string, string>> | undefined): number {
  const value = Number.parseInt(annotations?.[REVISION_ANNOTATION] ?? '', 10);
  return Number.isNaN(value) ? 0 : value;
}

/** Picks the objects that belong to `rollout` out of everything in its namespace. */
export function ownedObjects(
  rollout: RolloutObject,
  all: { replicaSets: readonly ReplicaSetObject[]; pods: readonly PodObject[]; analysisRuns: readonly AnalysisRunObject[] },
): RolloutObjects {
  const rolloutUid = new Set([rollout.metadata?.uid ?? '']);
  const replicaSets = all.replicaSets.filter((rs) => isOwnedBy(rs.metadata?.ownerReferences, rolloutUid));
  const rsUids = new Set(replicaSets.map((rs) => rs.metadata?.uid ?? ''));
  return {
    rollout,
    replicaSets,
    pods: all.pods.filter((pod) => isOwnedBy(pod.metadata?.ownerReferences, rsUids)),
    analysisRuns: all.analysisRuns.filter((run) => isOwnedBy(run.metadata?.ownerReferences, rolloutUid)),
  };
}

export async function loadRolloutObjects(clients: ClientSet, namespace: string, name: string): Promise<RolloutObjects> {
  const rollout = await orRolloutNotFound({ namespace, name }, () => clients.resource<RolloutObject>(ROLLOUTS).get(namespace, name));
  const [replicaSets, pods, analysisRuns] = await Promise.all([
    clients.resource<ReplicaSetObject>(REPLICASETS).list(namespace),
    clients.resource<PodObject>(PODS).list(namespace),
    clients.resource<AnalysisRunObject>(ANALYSIS_RUNS).list(namespace),
  ]);
  return ownedObjects(rollout, { replicaSets: replicaSets.items, pods: pods.items, analysisRuns: analysisRuns.items });
}
