// Finished jobs and the history limits (upstream's IsJobFinished/FinishedCondition/IsJobSucceeded
// and cleanupFinishedJobs' choice of victims). A job is finished once it has a Complete or Failed
// condition with status True; until then it counts as active, whatever its pods do.
import {
  DEFAULT_FAILED_JOBS_HISTORY_LIMIT, DEFAULT_SUCCESSFUL_JOBS_HISTORY_LIMIT, type CronJobObject, type JobObject,
} from './cronjob-types.js';

export type FinishedCondition = 'Complete' | 'Failed';

/** `Complete` or `Failed` when the job has finished (the first such True condition), else undefined. */
export function finishedCondition(job: JobObject): FinishedCondition | undefined {
  for (const condition of job.status?.conditions ?? []) {
    if ((condition.type === 'Complete' || condition.type === 'Failed') && condition.status === 'True') return condition.type;
  }
  return undefined;
}

export function isJobFinished(job: JobObject): boolean {
  return finishedCondition(job) !== undefined;
}

/** A True Complete condition, wherever it sits among the conditions. */
export function isJobSucceeded(job: JobObject): boolean {
  return (job.status?.conditions ?? []).some((condition) => condition.type === 'Complete' && condition.status === 'True');
}

/** Oldest start first; jobs that never started go last; equal starts by name (upstream's byJobStartTime). */
export function compareByStartTime(a: JobObject, b: JobObject): number {
  const aStart = a.status?.startTime === undefined ? undefined : Date.parse(a.status.startTime);
  const bStart = b.status?.startTime === undefined ? undefined : Date.parse(b.status.startTime);
  if (aStart === undefined || bStart === undefined) {
    if (aStart !== bStart) return aStart === undefined ? 1 : -1;
  } else if (aStart !== bStart) {
    return aStart - bStart;
  }
  const aName = a.metadata?.name ?? '';
  const bName = b.metadata?.name ?? '';
  return aName < bName ? -1 : aName > bName ? 1 : 0;
}

/**
 * The finished jobs to delete so that at most successfulJobsHistoryLimit complete and
 * failedJobsHistoryLimit failed ones remain, oldest first. With limits 3 and 1, five complete
 * and two failed jobs give the two oldest complete ones and the older failed one.
 */
export function jobsBeyondHistoryLimits(cronJob: CronJobObject, jobs: readonly JobObject[]): JobObject[] {
  const successfulLimit = cronJob.spec?.successfulJobsHistoryLimit ?? DEFAULT_SUCCESSFUL_JOBS_HISTORY_LIMIT;
  const failedLimit = cronJob.spec?.failedJobsHistoryLimit ?? DEFAULT_FAILED_JOBS_HISTORY_LIMIT;
  const oldest = (condition: FinishedCondition, limit: number): JobObject[] => {
    const finished = jobs.filter((job) => finishedCondition(job) === condition).sort(compareByStartTime);
    return finished.slice(0, Math.max(0, finished.length - limit));
  };
  return [...oldest('Complete', successfulLimit), ...oldest('Failed', failedLimit)];
}
