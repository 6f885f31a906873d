// Adoption and release of a controller's pods (upstream: PodControllerRefManager.ClaimPods), the
// part every pod-owning controller shares: a controller owns the pods whose controllerRef has its
// uid; it adopts orphans its selector matches and releases pods it owns that no longer match.
// What an adoption or release writes is the caller's (a ReplicaSet sets only the ownerReference, a
// Job also its tracking finalizer); writes should carry the pod's resourceVersion, so a concurrent
// change (someone else adopting the pod first) conflicts instead of being overwritten.
import { matchesLabels, type LabelSelectorRequirementSet } from '../../api/selectors/label-selector.js';
import { NotFoundError } from '../../lib/errors.js';
import { getControllerOf } from './controller-ref.js';
import type { PodObject as Pod } from './kube-object-types.js';

export interface OwnedPodClaim {
  /** The owner's uid and whether it is being deleted (then it neither adopts nor releases). */
  readonly ownerUid: string;
  readonly ownerDeleting: boolean;
  readonly selector: LabelSelectorRequirementSet;
  /**
   * Resolves when the owner may adopt (upstream re-reads it uncached: same uid and not being
   * deleted), rejects otherwise; called at most once, only when there is an orphan to adopt.
   */
  readonly canAdopt: () => Promise<void>;
  /** Makes the owner the pod's controller; returns the pod as written. */
  readonly adopt: (pod: Pod) => Promise<Pod>;
  /** Removes the owner's reference from the pod. */
  readonly release: (pod: Pod) => Promise<void>;
}

export interface OwnedPodClaimResult {
  /** The pods the owner has after the pass (adopted ones included). */
  readonly claimed: Pod[];
  /** Failures of adopt/release writes (NotFound is not one: the pod is simply gone). */
  readonly errors: unknown[];
}

export async function claimOwnedPods(pods: readonly Pod[], claim: OwnedPodClaim): Promise<OwnedPodClaimResult> {
  const claimed: Pod[] = [];
  const errors: unknown[] = [];
  let adoptCheck: Promise<void> | undefined;
  const matches = (pod: Pod): boolean => matchesLabels(claim.selector, pod.metadata?.labels);

  await Promise.all(pods.map(async (pod) => {
    const ref = getControllerOf(pod);
    try {
      if (ref !== undefined) {
        if (ref.uid !== claim.ownerUid) return; // another controller's
        // Ours. A pod that stops matching is released, unless the owner is being deleted (the
        // garbage collector then decides its fate through the ownerReference).
        if (matches(pod)) claimed.push(pod);
        else if (!claim.ownerDeleting) await claim.release(pod);
        return;
      }
      // An orphan: adopt it if it matches and neither side is being deleted.
      if (claim.ownerDeleting || !matches(pod) || pod.metadata?.deletionTimestamp !== undefined) return;
      adoptCheck ??= claim.canAdopt();
      await adoptCheck;
      claimed.push(await claim.adopt(pod));
    } catch (error) {
      if (!(error instanceof NotFoundError)) errors.push(error);
    }
  }));
  return { claimed, errors };
}
