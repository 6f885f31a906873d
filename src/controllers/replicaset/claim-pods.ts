// Adoption and release (upstream: PodControllerRefManager.ClaimPods). A ReplicaSet owns the pods
// whose controllerRef has its uid; it adopts orphans its selector matches and releases pods it
// owns that no longer match. Writes are merge patches carrying the pod's resourceVersion, so a
// concurrent change (someone else adopting the pod first) makes the patch fail with a conflict
// instead of silently overwriting ownerReferences.
import type { PodObject as Pod, ReplicaSetObject as ReplicaSet } from '../framework/kube-object-types.js';
import type { LabelSelectorRequirementSet } from '../../api/selectors/label-selector.js';
import { matchesLabels } from '../../api/selectors/label-selector.js';
import type { ResourceClient } from '../../client/resource-client.js';
import { NotFoundError } from '../../lib/errors.js';
import { getControllerOf, newControllerRef } from '../framework/controller-ref.js';

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

export interface ClaimResult {
  /** The pods this ReplicaSet owns after the pass (adopted ones included). */
  readonly claimed: Pod[];
  /** Failures of adopt/release patches (NotFound is not one: the pod is simply gone). */
  readonly errors: unknown[];
}

export async function claimPods(pods: readonly Pod[], options: ClaimOptions): Promise<ClaimResult> {
  const { rs, selector } = options;
  const uid = rs.metadata?.uid ?? '';
  const ownerDeleting = rs.metadata?.deletionTimestamp !== undefined;
  const claimed: Pod[] = [];
  const errors: unknown[] = [];
  let adoptCheck: Promise<void> | undefined;
  const matches = (pod: Pod): boolean => matchesLabels(selector, pod.metadata?.labels);

  await Promise.all(pods.map(async (pod) => {
    const ref = getControllerOf(pod);
    try {
      if (ref !== undefined) {
        if (ref.uid !== uid) return; // someone else's
        // Ours. A pod that stops matching is released, unless we are being deleted (the GC then
        // decides its fate through the ownerReference).
        if (matches(pod) || ownerDeleting) {
          claimed.push(pod);
          return;
        }
        await release(pod, uid, options.pods);
        return;
      }
      // An orphan: adopt it if it matches and neither side is being deleted.
      if (ownerDeleting || !matches(pod) || pod.metadata?.deletionTimestamp !== undefined) return;
      adoptCheck ??= options.canAdopt();
      await adoptCheck;
      claimed.push(await adopt(pod, rs, options.pods));
    } catch (error) {
      if (!(error instanceof NotFoundError)) errors.push(error);
    }
  }));
  return { claimed, errors };
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
