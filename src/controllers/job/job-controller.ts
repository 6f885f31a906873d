// The Job controller's wiring (upstream: job_controller.go's event handlers). Pods map to the Job
// that controls them (an orphan to every Job whose selector matches it) and record what the pod
// informer observed against the expectations: creations, deletions, and removals of the tracking
// finalizer. Job events sync at once; pod events and status-only Job updates sync after a 1 s
// batching delay (upstream's syncJobBatchPeriod), so a burst of pod updates costs one pass.
import { JOBS, PODS } from '../../client/resource-types.js';
import { componentLogger } from '../../lib/logger.js';
import type { ControllerFactory } from '../framework/controller-context.js';
import { getControllerOf, type OwnerReference } from '../framework/controller-ref.js';
import { Expectations } from '../framework/expectations.js';
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { objectKey } from '../framework/object-key.js';
import { cachedOwner, ownersSelecting, sameLabels } from '../framework/owner-lookup.js';
import { BackoffStore } from './backoff-record.js';
import { FinalizerRemovalExpectations } from './finalizer-expectations.js';
import { isJobFinished } from './job-conditions.js';
import { JobReconciler, SYNC_JOB_BATCH_PERIOD_MS } from './job-reconciler.js';
import { JOB_TYPE, type JobObject } from './job-types.js';
import { hasTrackingFinalizer } from './tracking-finalizer.js';




function sameRef(a: OwnerReference | undefined, b: OwnerReference | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export const jobController: ControllerFactory = (context) => {
  const podInformer = context.informers.informerFor<Pod>(PODS);
  const jobInformer = context.informers.informerFor<JobObject>(JOBS);
  const jobs = jobInformer.lister;
  const expectations = new Expectations({ clock: context.clock });
  const finalizerExpectations = new FinalizerRemovalExpectations();
  const reconciler = new JobReconciler({
    clients: context.clients,
    pods: podInformer.lister,
    jobs,
    expectations,
    finalizerExpectations,
    backoffStore: new BackoffStore(),
    clock: context.clock,
    logger: componentLogger(context.logger, 'job-controller'),
    recorder: context.recorder,
  });

  return {
    reconciler,
    connect(enqueue, enqueueAfter) {
      const enqueueBatched = (job: JobObject): void => enqueueAfter(objectKey(job), SYNC_JOB_BATCH_PERIOD_MS);
      /**
       * A pod that is gone (`final`) or being deleted: a deletion the Job may be waiting for, and
       * with `final` (or without the finalizer) a finalizer removal too. Pods of a Job that is gone
       * or finished are the orphan-pod controller's.
       */
      const podGone = (pod: Pod, final: boolean): void => {
        const job = cachedOwner(pod.metadata?.namespace, getControllerOf(pod), JOB_TYPE, jobs);
        if (job === undefined || isJobFinished(job)) return;
        const key = objectKey(job);
        const uid = pod.metadata?.uid ?? '';
        expectations.deletionObserved(key, uid);
        if (final || !hasTrackingFinalizer(pod)) finalizerExpectations.removalObserved(key, uid);
        enqueueBatched(job);
      };
      podInformer.addHandlers({
        add: (pod) => {
          if (pod.metadata?.deletionTimestamp !== undefined) {
            // Seen for the first time already terminating (e.g. after a restart): not a creation.
            podGone(pod, false);
            return;
          }
          const ref = getControllerOf(pod);
          if (ref !== undefined) {
            const job = cachedOwner(pod.metadata?.namespace, ref, JOB_TYPE, jobs);
            if (job === undefined) return;
            expectations.creationObserved(objectKey(job));
            enqueueBatched(job);
            return;
          }
          // An orphan: a Job whose selector matches may adopt it. No Job waits for its creation.
          for (const job of ownersSelecting(pod, jobs)) enqueueBatched(job);
        },
        update: (oldPod, newPod) => {
          if (oldPod.metadata?.resourceVersion === newPod.metadata?.resourceVersion) return; // resync
          if (newPod.metadata?.deletionTimestamp !== undefined) {
            podGone(newPod, false);
            return;
          }
          // The finalizer may have been removed and re-added in one collapsed update during an
          // ownership change: only the newest state counts.
          const finalizerRemoved = !hasTrackingFinalizer(newPod);
          const uid = newPod.metadata?.uid ?? '';
          const oldRef = getControllerOf(oldPod);
          const newRef = getControllerOf(newPod);
          const refChanged = !sameRef(oldRef, newRef);
          if (refChanged && oldRef !== undefined) {
            const oldJob = cachedOwner(oldPod.metadata?.namespace, oldRef, JOB_TYPE, jobs);
            if (oldJob !== undefined) {
              if (finalizerRemoved) finalizerExpectations.removalObserved(objectKey(oldJob), uid);
              enqueueBatched(oldJob);
            }
          }
          if (newRef !== undefined) {
            const job = cachedOwner(newPod.metadata?.namespace, newRef, JOB_TYPE, jobs);
            if (job === undefined) return;
            if (finalizerRemoved) finalizerExpectations.removalObserved(objectKey(job), uid);
            enqueueBatched(job);
            return;
          }
          if (refChanged || !sameLabels(oldPod, newPod)) for (const job of ownersSelecting(newPod, jobs)) enqueueBatched(job);
        },
        delete: (pod) => podGone(pod, true),
      });
      jobInformer.addHandlers({
        add: (job) => enqueue(objectKey(job)),
        update: (oldJob, job) => {
          // A spec change syncs at once; a status-only change (usually our own write) is batched.
          if (oldJob.metadata?.generation !== job.metadata?.generation) enqueue(objectKey(job));
          else enqueueBatched(job);
        },
        delete: (job) => enqueue(objectKey(job)),
      });
    },
  };
};
