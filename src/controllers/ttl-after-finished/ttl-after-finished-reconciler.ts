// Deletes finished Jobs whose spec.ttlSecondsAfterFinished has run out (upstream:
// ttlafterfinished.Controller). The TTL runs from the moment the Job finished: the
// lastTransitionTime of its Complete or Failed condition. Example: ttlSecondsAfterFinished 100,
// Complete at 12:00:00 -> deleted at 12:01:40; a pass at 12:01:00 requeues for 40 s.
//
// The deletion is Foreground (the Job goes only after its pods are gone) with the uid as a
// precondition, and is decided on a fresh read of the Job: the cached one may carry an older TTL,
// or a Job deleted and recreated under the same name.
import type { Lister } from '../../client/informer/informer.js';
import type { ClientSet, ResourceClient } from '../../client/resource-client.js';
import { JOBS } from '../../client/resource-types.js';
import type { Clock } from '../../lib/clock.js';
import { NotFoundError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { splitObjectKey } from '../framework/object-key.js';
import type { ReconcileResult, Reconciler } from '../framework/reconciler.js';
import { finishedCondition } from '../job/job-conditions.js';
import type { JobObject } from '../job/job-types.js';

export interface TtlAfterFinishedReconcilerOptions {
  readonly clients: ClientSet;
  readonly jobs: Lister<JobObject>;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Whether the controller watches this Job: a TTL, finished, not already being deleted. */
export function needsCleanup(job: JobObject): boolean {
  return job.spec?.ttlSecondsAfterFinished !== undefined && finishedCondition(job) !== undefined && job.metadata?.deletionTimestamp === undefined;
}

/** When the Job finished and when its TTL runs out (epoch ms), or undefined if the finish time is unknown. */
function finishAndExpiry(job: JobObject): { readonly finishedAt: number; readonly expiresAt: number } | undefined {
  const finishedAt = Date.parse(finishedCondition(job)?.lastTransitionTime ?? '');
  if (Number.isNaN(finishedAt)) return undefined;
  return { finishedAt, expiresAt: finishedAt + (job.spec?.ttlSecondsAfterFinished ?? 0) * 1000 };
}

export class TtlAfterFinishedReconciler implements Reconciler {
  readonly name = 'ttl-after-finished';
  private readonly options: TtlAfterFinishedReconcilerOptions;
  private readonly jobClient: ResourceClient<JobObject>;

  constructor(options: TtlAfterFinishedReconcilerOptions) {
    this.options = options;
    this.jobClient = options.clients.resource<JobObject>(JOBS);
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const { namespace, name } = splitObjectKey(key);
    const cached = this.options.jobs.get(namespace, name);
    if (cached === undefined) return;
    const wait = this.msUntilExpiry(cached);
    if (wait === undefined || wait > 0) return wait === undefined ? undefined : { requeueAfterMs: wait };

    let fresh: JobObject;
    try {
      fresh = await this.jobClient.get(namespace, name);
    } catch (error) {
      if (error instanceof NotFoundError) return;
      throw error;
    }
    const freshWait = this.msUntilExpiry(fresh);
    if (freshWait === undefined || freshWait > 0) return freshWait === undefined ? undefined : { requeueAfterMs: freshWait };
    this.options.logger.info({ job: key }, 'deleting job after its ttl');
    try {
      await this.jobClient.delete(namespace, name, { propagationPolicy: 'Foreground', preconditions: { uid: fresh.metadata?.uid ?? '' } });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }

  /** Ms until the TTL runs out (<= 0: it has), or undefined when the Job is not to be cleaned up. */
  private msUntilExpiry(job: JobObject): number | undefined {
    if (!needsCleanup(job)) return undefined;
    const times = finishAndExpiry(job);
    const now = this.options.clock.now().getTime();
    if (times === undefined) {
      // Upstream retries this forever; a later update of the Job requeues it anyway.
      this.options.logger.warn({ job: job.metadata?.name }, 'finished job has no finish time');
      return undefined;
    }
    if (times.finishedAt > now) this.options.logger.info({ job: job.metadata?.name }, 'job finished in the future: clock skew, cleanup deferred');
    return times.expiresAt - now;
  }
}
