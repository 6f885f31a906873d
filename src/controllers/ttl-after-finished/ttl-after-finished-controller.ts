// The TTL-after-finished controller's wiring: a Job is enqueued when it is added or updated and is
// finished with a TTL; the reconciler requeues it until the TTL runs out.
import { JOBS } from '../../client/resource-types.js';
import { componentLogger } from '../../lib/logger.js';
import type { ControllerFactory } from '../framework/controller-context.js';
import { objectKey } from '../framework/object-key.js';
import type { JobObject } from '../job/job-types.js';
import { needsCleanup, TtlAfterFinishedReconciler } from './ttl-after-finished-reconciler.js';

export const ttlAfterFinishedController: ControllerFactory = (context) => {
  const jobInformer = context.informers.informerFor<JobObject>(JOBS);
  const reconciler = new TtlAfterFinishedReconciler({
    clients: context.clients,
    jobs: jobInformer.lister,
    clock: context.clock,
    logger: componentLogger(context.logger, 'ttl-after-finished-controller'),
  });
  return {
    reconciler,
    connect(enqueue) {
      const enqueueIfDue = (job: JobObject): void => {
        if (needsCleanup(job)) enqueue(objectKey(job));
      };
      jobInformer.addHandlers({ add: enqueueIfDue, update: (_old, job) => enqueueIfDue(job) });
    },
  };
};
