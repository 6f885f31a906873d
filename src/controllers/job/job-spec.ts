// Reading a Job's spec the way the controller needs it. The API server defaults these fields on
// create; the fallbacks repeat upstream's defaults so an undefaulted object behaves the same.
import { JOB_CONTROLLER_NAME, type JobObject } from './job-types.js';

/** Upstream's default backoffLimit. */
export const DEFAULT_BACKOFF_LIMIT = 6;
const MAX_INT32 = 2_147_483_647;

export function parallelismOf(job: JobObject): number {
  return job.spec?.parallelism ?? 1;
}

/** Defaults to 6, or to "unlimited" when backoffLimitPerIndex limits failures instead. */
export function backoffLimitOf(job: JobObject): number {
  return job.spec?.backoffLimit ?? (job.spec?.backoffLimitPerIndex === undefined ? DEFAULT_BACKOFF_LIMIT : MAX_INT32);
}

export function isIndexed(job: JobObject): boolean {
  return job.spec?.completionMode === 'Indexed';
}

/** Indexes run 0..completions-1; validation requires completions on an Indexed Job. */
export function indexedCompletions(job: JobObject): number {
  return job.spec?.completions ?? 0;
}

export function isSuspended(job: JobObject): boolean {
  return job.spec?.suspend === true;
}

export function hasBackoffLimitPerIndex(job: JobObject): boolean {
  return job.spec?.backoffLimitPerIndex !== undefined;
}

/**
 * Whether a terminating pod waits to be replaced until it has actually failed. True for
 * podReplacementPolicy Failed, and always with a podFailurePolicy (whose rules need the final
 * exit codes, so the API server defaults the policy to Failed then).
 */
export function onlyReplaceFailedPods(job: JobObject): boolean {
  return job.spec?.podReplacementPolicy === 'Failed' || job.spec?.podFailurePolicy !== undefined;
}

/** The other controller named in spec.managedBy, if the Job is not ours to sync. */
export function externalManager(job: JobObject): string | undefined {
  const managedBy = job.spec?.managedBy;
  return managedBy !== undefined && managedBy !== JOB_CONTROLLER_NAME ? managedBy : undefined;
}
