// A DaemonSet's adoption and release writes for pods (the claiming itself:
// ../framework/claim-owned-pods.ts). Merge patches carrying the pod's resourceVersion, so a
// concurrent change (another controller adopting the pod first) conflicts instead of being
// overwritten.
import type { LabelSelectorRequirementSet } from '../../api/selectors/label-selector.js';
import type { ResourceClient } from '../../client/resource-client.js';
import { claimOwnedPods, type OwnedPodClaimResult } from '../framework/claim-owned-pods.js';
import { newControllerRef } from '../framework/controller-ref.js';
import { DAEMON_SET_TYPE, type DaemonSetObject, type PodObject } from './daemon-set-types.js';

export interface DaemonPodClaim {
  readonly ds: DaemonSetObject;
  readonly selector: LabelSelectorRequirementSet;
  readonly pods: ResourceClient<PodObject>;
  /** Resolves when the DaemonSet may adopt (re-read uncached: same uid, not being deleted). */
  readonly canAdopt: () => Promise<void>;
}

export async function claimDaemonPods(pods: readonly PodObject[], claim: DaemonPodClaim): Promise<OwnedPodClaimResult> {
  const { ds, pods: client } = claim;
  const uid = ds.metadata?.uid ?? '';
  return claimOwnedPods(pods, {
    ownerUid: uid,
    ownerDeleting: ds.metadata?.deletionTimestamp !== undefined,
    selector: claim.selector,
    canAdopt: claim.canAdopt,
    adopt: (pod) => {
      const ownerReferences = [...(pod.metadata?.ownerReferences ?? []), newControllerRef(ds, DAEMON_SET_TYPE)];
      return client.patch(pod.metadata?.namespace, pod.metadata?.name ?? '', 'merge', {
        metadata: { resourceVersion: pod.metadata?.resourceVersion, ownerReferences },
      });
    },
    release: async (pod) => {
      const kept = (pod.metadata?.ownerReferences ?? []).filter((ref) => ref.uid !== uid);
      await client.patch(pod.metadata?.namespace, pod.metadata?.name ?? '', 'merge', {
        metadata: { resourceVersion: pod.metadata?.resourceVersion, ownerReferences: kept.length > 0 ? kept : null },
      });
    },
  });
}
