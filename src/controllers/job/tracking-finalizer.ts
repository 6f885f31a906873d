// The tracking finalizer on a Job's pods. While a pod carries it, the pod object outlives its
// containers and its deletion, so the controller is sure to see how it ended; the controller
// removes it only after the pod is recorded in the Job's status (status.uncountedTerminatedPods,
// then the counters), or once no Job will ever count the pod.
import type { ResourceClient } from '../../client/resource-client.js';
import { NotFoundError } from '../../lib/errors.js';
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { JOB_TRACKING_FINALIZER } from './job-types.js';

export function hasTrackingFinalizer(pod: Pod): boolean {
  return (pod.metadata?.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);
}

/** `finalizers` with the tracking finalizer appended when missing. */
export function withTrackingFinalizer(finalizers: readonly string[] | undefined): string[] {
  const list = [...(finalizers ?? [])];
  return list.includes(JOB_TRACKING_FINALIZER) ? list : [...list, JOB_TRACKING_FINALIZER];
}

/**
 * Removes the finalizer from the live pod. A JSON patch that first tests the finalizer's position
 * removes exactly that entry however the pod's status changes meanwhile (a merge patch of the
 * whole list would need the resourceVersion and conflict with every kubelet status write); if
 * the list itself changed, the test fails and the caller retries from a fresh cache.
 * A pod that is already gone counts as done.
 */
export async function removeTrackingFinalizer(client: ResourceClient<Pod>, pod: Pod): Promise<void> {
  const at = (pod.metadata?.finalizers ?? []).indexOf(JOB_TRACKING_FINALIZER);
  if (at < 0) return;
  const path = `/metadata/finalizers/${at}`;
  try {
    await client.patch(pod.metadata?.namespace, pod.metadata?.name ?? '', 'json', [
      { op: 'test', path, value: JOB_TRACKING_FINALIZER },
      { op: 'remove', path },
    ]);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
}
