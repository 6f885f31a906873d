// The objects the CronJob controller reads and writes, and the upstream facts it stamps on them.
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { Indexers } from '../../client/informer/informer.js';
import { getControllerOf } from '../framework/controller-ref.js';

export type CronJobObject = CronJob & KubeObject;
export type JobObject = Job & KubeObject;

export const CRON_JOB_TYPE = { apiVersion: 'batch/v1', kind: 'CronJob' } as const;
export const JOB_TYPE = { apiVersion: 'batch/v1', kind: 'Job' } as const;

/** Upstream's batchv1.CronJobScheduledTimestampAnnotation: the scheduled time, RFC 3339 in the job's zone. */
export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/**
 * The API server defaults these on batch/v1 CronJobs (upstream's SetDefaults_CronJob); applying
 * the same defaults here keeps an object that skipped defaulting behaving as it would upstream.
 */
export const DEFAULT_SUCCESSFUL_JOBS_HISTORY_LIMIT = 3;
export const DEFAULT_FAILED_JOBS_HISTORY_LIMIT = 1;

/**
 * The Job informer's index: jobs by the uid of their controller (the CronJob that made them).
 * Upstream lists every job of the namespace and keeps those whose controller has the CronJob's
 * name; going by uid leaves out the jobs of an earlier CronJob of the same name.
 */
export const JOBS_BY_CONTROLLER_UID = 'metadata.ownerReferences[controller].uid';

export const JOB_INDEXERS: Indexers<JobObject> = {
  [JOBS_BY_CONTROLLER_UID]: (job) => {
    const uid = getControllerOf(job)?.uid;
    return uid === undefined ? [] : [uid];
  },
};
