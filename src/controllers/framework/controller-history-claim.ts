// Which ControllerRevisions a StatefulSet or DaemonSet owns (upstream: ClaimControllerRevisions,
// the revision twin of claim-owned-pods.ts): those whose controllerRef has its uid. It adopts
// orphans its selector matches and releases revisions it owns that no longer match, so a revision
// a user relabels leaves its history, and one left behind by an orphaning delete comes back.
import type { KubeObject } from '../../api/object.js';
import { matchesLabels, type LabelSelectorRequirementSet } from '../../api/selectors/label-selector.js';
import { NotFoundError } from '../../lib/errors.js';
import type { ControllerHistory, ControllerRevisionObject } from './controller-history.js';
import { getControllerOf } from './controller-ref.js';

export interface RevisionClaim {
  readonly parent: KubeObject;
  readonly parentType: { readonly apiVersion: string; readonly kind: string };
  readonly selector: LabelSelectorRequirementSet;
  readonly history: ControllerHistory;
  /**
   * Resolves when the parent may adopt (upstream re-reads it uncached: same uid and not being
   * deleted), rejects otherwise; called at most once, only when there is an orphan to adopt.
   */
  readonly canAdopt: () => Promise<void>;
}

export interface RevisionClaimResult {
  /** The revisions the parent has after the pass (adopted ones included). */
  readonly claimed: ControllerRevisionObject[];
  /** Failures of adopt/release writes (NotFound is not one: the revision is simply gone). */
  readonly errors: unknown[];
}

export async function claimControllerRevisions(
  revisions: readonly ControllerRevisionObject[],
  claim: RevisionClaim,
): Promise<RevisionClaimResult> {
  const parentUid = claim.parent.metadata?.uid;
  const parentDeleting = claim.parent.metadata?.deletionTimestamp !== undefined;
  const claimed: ControllerRevisionObject[] = [];
  const errors: unknown[] = [];
  let adoptCheck: Promise<void> | undefined;

  await Promise.all(revisions.map(async (revision) => {
    const ref = getControllerOf(revision);
    const matches = matchesLabels(claim.selector, revision.metadata?.labels);
    try {
      if (ref !== undefined) {
        if (ref.uid !== parentUid) return; // another controller's
        if (matches) claimed.push(revision);
        else if (!parentDeleting) await claim.history.releaseControllerRevision(claim.parent, revision);
        return;
      }
      if (parentDeleting || !matches || revision.metadata?.deletionTimestamp !== undefined) return;
      adoptCheck ??= claim.canAdopt();
      await adoptCheck;
      claimed.push(await claim.history.adoptControllerRevision(claim.parent, claim.parentType, revision));
    } catch (error) {
      if (!(error instanceof NotFoundError)) errors.push(error);
    }
  }));
  return { claimed, errors };
}
