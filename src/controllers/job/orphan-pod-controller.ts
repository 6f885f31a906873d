// The wiring of the orphan-pod reconciler (upstream: the Job controller's orphanQueue, a queue of
// pod keys beside its Job queue; here a registration of its own, so each reconciler has one kind
// of key). A pod is enqueued when it carries the tracking finalizer and nothing will count it;
// the Job's finishing or deletion enqueues every pod it still controls with the finalizer.
import type { Lister } from '../../client/informer/informer.js';
import { JOBS, PODS } from '../../client/resource-types.js';
import type { ControllerFactory } from '../framework/controller-context.js';
import { isControlledBy } from '../framework/controller-ref.js';
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { objectKey } from '../framework/object-key.js';
import { isJobFinished } from './job-conditions.js';
import type { JobObject } from './job-types.js';
import { isUncountablePod, OrphanPodReconciler } from './orphan-pod-reconciler.js';
import { hasTrackingFinalizer } from './tracking-finalizer.js';

function trackedPodsOf(job: JobObject, pods: Lister<Pod>): Pod[] {
  const namespace = job.metadata?.namespace;
  return pods.list(namespace === undefined ? {} : { namespace }).filter((pod) => isControlledBy(pod, job) && hasTrackingFinalizer(pod));
}

export const jobOrphanPodController: ControllerFactory = (context) => {
  const podInformer = context.informers.informerFor<Pod>(PODS);
  const jobInformer = context.informers.informerFor<JobObject>(JOBS);
  const reconciler = new OrphanPodReconciler({ clients: context.clients, pods: podInformer.lister, jobs: jobInformer.lister });

  return {
    reconciler,
    // Upstream runs one orphan worker.
    workers: 1,
    connect(enqueue) {
      const enqueueIfUncountable = (pod: Pod): void => {
        if (hasTrackingFinalizer(pod) && isUncountablePod(pod, jobInformer.lister)) enqueue(objectKey(pod));
      };
      const enqueuePodsOf = (job: JobObject): void => {
        for (const pod of trackedPodsOf(job, podInformer.lister)) enqueue(objectKey(pod));
      };
      podInformer.addHandlers({
        add: enqueueIfUncountable,
        update: (_old, pod) => enqueueIfUncountable(pod),
      });
      jobInformer.addHandlers({
        add: (job) => {
          if (isJobFinished(job)) enqueuePodsOf(job);
        },
        // Upstream's backup: a finished Job should have no tracked pods left.
        update: (_old, job) => {
          if (isJobFinished(job)) enqueuePodsOf(job);
        },
        delete: enqueuePodsOf,
      });
    },
  };
};
