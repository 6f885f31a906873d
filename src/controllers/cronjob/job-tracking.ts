// Bringing `status.active` and `status.lastSuccessfulTime` up to date with the jobs the CronJob
// owns (the first half of upstream's syncCronJob), and deleting jobs (cleanupFinishedJobs,
// deleteJob). The job cache can lag either way, so before believing it the live API is asked.
import { NotFoundError } from '../../lib/errors.js';
import { isActiveByUid, removeActive } from './active-jobs.js';
import type { CronJobPass } from './cronjob-pass.js';
import type { JobObject } from './cronjob-types.js';
import { errorMessage } from './error-message.js';
import { finishedCondition, isJobSucceeded, jobsBeyondHistoryLimits } from './finished-jobs.js';

/**
 * Deletes `job` (its pods go in the background) and drops it from `status.active`. Returns the
 * error when the delete failed: the FailedDelete event reports it and the caller decides whether
 * it matters (history cleanup carries on, Replace stops).
 */
export async function deleteJob(pass: CronJobPass, job: JobObject): Promise<unknown> {
  const name = job.metadata?.name ?? '';
  try {
    await pass.deps.jobClient.delete(job.metadata?.namespace, name, { propagationPolicy: 'Background' });
  } catch (error) {
    pass.event('Warning', 'FailedDelete', `Deleted job: ${errorMessage(error)}`);
    pass.deps.logger.warn({ job: name, err: error }, 'cronjob could not delete job');
    return error;
  }
  removeActive(pass.status, job.metadata?.uid);
  pass.event('Normal', 'SuccessfulDelete', `Deleted job ${name}`);
  return undefined;
}

/** Deletes the finished jobs beyond the history limits, oldest first. */
export async function cleanupFinishedJobs(pass: CronJobPass, jobs: readonly JobObject[]): Promise<void> {
  for (const job of jobsBeyondHistoryLimits(pass.cronJob, jobs)) await deleteJob(pass, job);
}

/**
 * For each owned job: a finished one leaves `status.active` (SawCompletedJob) and a succeeded one
 * moves lastSuccessfulTime forward; a running one missing from `status.active` is reported
 * (UnexpectedJob), unless the live CronJob lists it, which means our cached copy is behind our
 * own last status write: then the pass continues from the live copy. Last, references to jobs
 * that are gone from the API (not just from the cache) are dropped (MissingJob), or the CronJob
 * would look busy forever.
 */
export async function trackOwnedJobs(pass: CronJobPass, jobs: readonly JobObject[]): Promise<void> {
  const ownedUids = new Set(jobs.map((job) => job.metadata?.uid));
  for (const job of jobs) {
    const uid = job.metadata?.uid;
    const name = job.metadata?.name ?? '';
    const listed = isActiveByUid(pass.status, uid);
    const finished = finishedCondition(job);
    if (finished === undefined) {
      if (listed) continue;
      const live = await pass.deps.cronJobClient.get(pass.namespace, pass.cronJob.metadata?.name ?? '');
      if (isActiveByUid(live.status ?? {}, uid)) {
        pass.restartFrom(live);
        continue;
      }
      // Crashed between creating a job and recording it, or someone made a job for us to adopt.
      pass.event('Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${name}`);
      continue;
    }
    if (listed) {
      removeActive(pass.status, uid);
      pass.event('Normal', 'SawCompletedJob', `Saw completed job: ${name}, condition: ${finished}`);
    }
    if (isJobSucceeded(job)) recordSuccess(pass, job);
  }
  await dropVanishedJobs(pass, ownedUids);
}

/** A succeeded job need not be in `status.active`: any completion counts (upstream does the same). */
function recordSuccess(pass: CronJobPass, job: JobObject): void {
  const completed = job.status?.completionTime;
  const last = pass.status.lastSuccessfulTime;
  if (last === undefined) {
    if (completed !== undefined) pass.status.lastSuccessfulTime = completed;
  } else if (completed !== undefined && Date.parse(completed) > Date.parse(last)) {
    pass.status.lastSuccessfulTime = completed;
  }
}

async function dropVanishedJobs(pass: CronJobPass, ownedUids: ReadonlySet<string | undefined>): Promise<void> {
  for (const ref of [...(pass.status.active ?? [])]) {
    if (ownedUids.has(ref.uid)) continue;
    try {
      // Still there: only the cache has not seen it yet.
      await pass.deps.jobClient.get(ref.namespace, ref.name ?? '');
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      pass.event('Normal', 'MissingJob', `Active job went missing: ${ref.name ?? ''}`);
      removeActive(pass.status, ref.uid);
    }
  }
}
