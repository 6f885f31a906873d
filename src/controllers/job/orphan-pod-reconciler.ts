// Removes the tracking finalizer from pods no Job will count any more (upstream: syncOrphanPod):
// pods without a controller (released, or orphaned by `kubectl delete job --cascade=orphan`),
// and pods whose Job is gone or finished. Without this they would stay Terminating forever once
// deleted. Keys are pod keys (`namespace/name`).
import type { Lister } from '../../client/informer/informer.js';
import type { ClientSet, ResourceClient } from '../../client/resource-client.js';
import { PODS } from '../../client/resource-types.js';
import { getControllerOf } from '../framework/controller-ref.js';
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { splitObjectKey } from '../framework/object-key.js';
import type { Reconciler } from '../framework/reconciler.js';
import { isJobFinished } from './job-conditions.js';
import { externalManager } from './job-spec.js';
import { JOB_TYPE, type JobObject } from './job-types.js';
import { hasTrackingFinalizer, removeTrackingFinalizer } from './tracking-finalizer.js';

export interface OrphanPodReconcilerOptions {
  readonly clients: ClientSet;
  readonly pods: Lister<Pod>;
  readonly jobs: Lister<JobObject>;
}

/**
 * Whether nothing will count `pod` any more: it has no controller, or its controller is a batch/v1
 * Job that is gone (by uid) or finished, and not managed by another controller. A pod controlled
 * by anything else is left alone: the finalizer is not ours to judge there.
 */
export function isUncountablePod(pod: Pod, jobs: Lister<JobObject>): boolean {
  const ref = getControllerOf(pod);
  if (ref === undefined) return true;
  if (ref.kind !== JOB_TYPE.kind || ref.apiVersion !== JOB_TYPE.apiVersion) return false;
  const job = jobs.get(pod.metadata?.namespace, ref.name);
  if (job === undefined || job.metadata?.uid !== ref.uid) return true;
  if (externalManager(job) !== undefined) return false;
  return isJobFinished(job);
}

export class OrphanPodReconciler implements Reconciler {
  readonly name = 'job-orphan-pod';
  private readonly options: OrphanPodReconcilerOptions;
  private readonly podClient: ResourceClient<Pod>;

  constructor(options: OrphanPodReconcilerOptions) {
    this.options = options;
    this.podClient = options.clients.resource<Pod>(PODS);
  }

  async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitObjectKey(key);
    const pod = this.options.pods.get(namespace, name);
    if (pod === undefined || !hasTrackingFinalizer(pod)) return;
    // Checked again now: the pod may have been adopted, or its Job may still be running.
    if (!isUncountablePod(pod, this.options.jobs)) return;
    await removeTrackingFinalizer(this.podClient, pod);
  }
}
