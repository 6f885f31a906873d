// A ReplicaSet's adoption and release writes (the claiming itself: ../framework/claim-owned-pods.ts).
// Writes are merge patches carrying the pod's resourceVersion, so a concurrent change (someone else
// adopting the pod first) makes the patch fail with a conflict instead of silently overwriting
// ownerReferences.
import type { PodObject as Pod, ReplicaSetObject as ReplicaSet } from '../framework/kube-object-types.js';
import type { LabelSelectorRequirementSet } from '../../api/selectors/label-selector.js';
import type { ResourceClient } from '../../client/resource-client.js';
import { claimOwnedPods, type OwnedPodClaimResult } from '../framework/claim-owned-pods.js';
import { newControllerRef } from '../framework/controller-ref.js';

export const REPLICA_SET_TYPE = { apiVersion: 'apps/v1', kind: 'ReplicaSet' } as const;

export interface ClaimOptions {
  readonly rs: ReplicaSet;
  readonly selector: LabelSelectorRequirementSet;
  readonly pods: ResourceClient<Pod>;
  /**
   * Resolves when the ReplicaSet may adopt (upstream re-reads it uncached: same uid and not being
   * deleted), rejects otherwise; called at most once, only when there is an orphan to adopt.
   */
  readonly canAdopt: () => Promise<void>;
}

export type ClaimResult = OwnedPodClaimResult;

export async function claimPods(pods: readonly Pod[], options: ClaimOptions): Promise<ClaimResult> {
  const { rs } = options;
  const uid = rs.metadata?.uid ?? '';
  return claimOwnedPods(pods, {
    ownerUid: uid,
    ownerDeleting: rs.metadata?.deletionTimestamp !== undefined,
    selector: options.selector,
    canAdopt: options.canAdopt,
    adopt: (pod) => adopt(pod, rs, options.pods),
    release: (pod) => release(pod, uid, options.pods),
  });
}

async function adopt(pod: Pod, rs: ReplicaSet, client: ResourceClient<Pod>): Promise<Pod> {
  const refs = [...(pod.metadata?.ownerReferences ?? []), newControllerRef(rs, REPLICA_SET_TYPE)];
  const patch = { metadata: { resourceVersion: pod.metadata?.resourceVersion, ownerReferences: refs } };
  return client.patch(pod.metadata?.namespace, pod.metadata?.name ?? '', 'merge', patch);
}

async function release(pod: Pod, ownerUid: string, client: ResourceClient<Pod>): Promise<void> {
  const refs = (pod.metadata?.ownerReferences ?? []).filter((r) => r.uid !== ownerUid);
  const patch = { metadata: { resourceVersion: pod.metadata?.resourceVersion, ownerReferences: refs.length > 0 ? refs : null } };
  await client.patch(pod.metadata?.namespace, pod.metadata?.name ?? '', 'merge', patch);
}
