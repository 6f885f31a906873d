// Which pods a StatefulSet owns (upstream: getPodsForStatefulSet). Besides the selector, a pod must
// be named like a member (`<set>-<ordinal>`): a pod the selector matches under another name is
// never adopted, and one the set owns but that is not named like a member is released.
// Writes are merge patches carrying the pod's resourceVersion, so a concurrent adoption by someone
// else conflicts instead of being overwritten.
import type { LabelSelectorRequirementSet } from '../../api/selectors/label-selector.js';
import type { ResourceClient } from '../../client/resource-client.js';
import { NotFoundError } from '../../lib/errors.js';
import { claimOwnedPods, type OwnedPodClaimResult } from '../framework/claim-owned-pods.js';
import { isControlledBy, newControllerRef } from '../framework/controller-ref.js';
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { isMemberOf } from './stateful-pod-identity.js';
import { STATEFUL_SET_TYPE, type StatefulSetObject } from './stateful-set-spec.js';

export interface StatefulPodClaim {
  readonly set: StatefulSetObject;
  readonly selector: LabelSelectorRequirementSet;
  readonly pods: ResourceClient<Pod>;
  /** Resolves when the set may adopt (re-read uncached: same uid, not being deleted). */
  readonly canAdopt: () => Promise<void>;
}

export async function claimStatefulPods(pods: readonly Pod[], claim: StatefulPodClaim): Promise<OwnedPodClaimResult> {
  const { set } = claim;
  const uid = set.metadata?.uid ?? '';
  const deleting = set.metadata?.deletionTimestamp !== undefined;
  const release = (pod: Pod): Promise<void> => releasePod(pod, uid, claim.pods);
  const result = await claimOwnedPods(pods.filter((pod) => isMemberOf(set, pod)), {
    ownerUid: uid,
    ownerDeleting: deleting,
    selector: claim.selector,
    canAdopt: claim.canAdopt,
    adopt: (pod) => adoptPod(pod, set, claim.pods),
    release,
  });
  if (deleting) return result;
  const strays = pods.filter((pod) => !isMemberOf(set, pod) && isControlledBy(pod, set));
  const errors = [...result.errors];
  await Promise.all(strays.map(async (pod) => {
    try {
      await release(pod);
    } catch (error) {
      if (!(error instanceof NotFoundError)) errors.push(error);
    }
  }));
  return { claimed: result.claimed, errors };
}

async function adoptPod(pod: Pod, set: StatefulSetObject, client: ResourceClient<Pod>): Promise<Pod> {
  const refs = [...(pod.metadata?.ownerReferences ?? []), newControllerRef(set, STATEFUL_SET_TYPE)];
  const patch = { metadata: { resourceVersion: pod.metadata?.resourceVersion, ownerReferences: refs } };
  return client.patch(pod.metadata?.namespace, pod.metadata?.name ?? '', 'merge', patch);
}

async function releasePod(pod: Pod, ownerUid: string, client: ResourceClient<Pod>): Promise<void> {
  const refs = (pod.metadata?.ownerReferences ?? []).filter((ref) => ref.uid !== ownerUid);
  const patch = { metadata: { resourceVersion: pod.metadata?.resourceVersion, ownerReferences: refs.length > 0 ? refs : null } };
  await client.patch(pod.metadata?.namespace, pod.metadata?.name ?? '', 'merge', patch);
}
