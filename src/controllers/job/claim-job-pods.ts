// A Job's adoption and release writes (the claiming itself: ../framework/claim-owned-pods.ts): an
// adopted pod gets the tracking finalizer with the reference, so it is counted like one the Job
// created, and a released one loses both again. Writes are merge patches carrying the pod's
// resourceVersion: a concurrent change makes them conflict instead of overwriting someone else's
// ownerReferences or finalizers.
import type { LabelSelectorRequirementSet } from '../../api/selectors/label-selector.js';
import { isInvalidError } from '../../client/api-status-error.js';
import type { ResourceClient } from '../../client/resource-client.js';
import { claimOwnedPods, type OwnedPodClaimResult } from '../framework/claim-owned-pods.js';
import { newControllerRef } from '../framework/controller-ref.js';
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { JOB_TRACKING_FINALIZER, JOB_TYPE, type JobObject } from './job-types.js';
import { withTrackingFinalizer } from './tracking-finalizer.js';

export interface ClaimJobPodsOptions {
  readonly job: JobObject;
  readonly selector: LabelSelectorRequirementSet;
  readonly pods: ResourceClient<Pod>;
  /**
   * Resolves when the Job may adopt (upstream re-reads it uncached: same uid, not being deleted),
   * rejects otherwise; called at most once, and only when there is an orphan to adopt.
   */
  readonly canAdopt: () => Promise<void>;
}

export type ClaimJobPodsResult = OwnedPodClaimResult;

/** Claims among `pods` (every pod of the Job's namespace). */
export async function claimJobPods(pods: readonly Pod[], options: ClaimJobPodsOptions): Promise<ClaimJobPodsResult> {
  const { job } = options;
  const uid = job.metadata?.uid ?? '';
  return claimOwnedPods(pods, {
    ownerUid: uid,
    ownerDeleting: job.metadata?.deletionTimestamp !== undefined,
    selector: options.selector,
    canAdopt: options.canAdopt,
    adopt: (pod) => adopt(pod, job, options.pods),
    release: (pod) => release(pod, uid, options.pods),
  });
}

async function adopt(pod: Pod, job: JobObject, client: ResourceClient<Pod>): Promise<Pod> {
  const patch = {
    metadata: {
      resourceVersion: pod.metadata?.resourceVersion,
      ownerReferences: [...(pod.metadata?.ownerReferences ?? []), newControllerRef(job, JOB_TYPE)],
      finalizers: withTrackingFinalizer(pod.metadata?.finalizers),
    },
  };
  return client.patch(pod.metadata?.namespace, pod.metadata?.name ?? '', 'merge', patch);
}

async function release(pod: Pod, jobUid: string, client: ResourceClient<Pod>): Promise<void> {
  const refs = (pod.metadata?.ownerReferences ?? []).filter((r) => r.uid !== jobUid);
  const finalizers = (pod.metadata?.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER);
  const patch = {
    metadata: {
      resourceVersion: pod.metadata?.resourceVersion,
      ownerReferences: refs.length > 0 ? refs : null,
      finalizers: finalizers.length > 0 ? finalizers : null,
    },
  };
  try {
    await client.patch(pod.metadata?.namespace, pod.metadata?.name ?? '', 'merge', patch);
  } catch (error) {
    // Upstream ignores Invalid too: the pod was recreated under the same name, or lost the reference.
    if (!isInvalidError(error)) throw error;
  }
}
