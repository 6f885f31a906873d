// The Job kind as the Job controller handles it, and the names upstream gives to what the
// controller writes on pods (k8s.io/api/batch/v1). kubernetes-types 1.30 already has every
// JobSpec/JobStatus field 1.32 reads (managedBy, successPolicy, podReplacementPolicy,
// backoffLimitPerIndex, status.terminating), so nothing is declared here beyond the names.
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { KubeObject } from '../../api/object.js';

export type { JobCondition, JobSpec, JobStatus } from 'kubernetes-types/batch/v1.js';

export type JobObject = Job & KubeObject;

export const JOB_TYPE = { apiVersion: 'batch/v1', kind: 'Job' } as const;

/**
 * On every pod the controller creates or adopts: the pod cannot disappear before the controller
 * has counted it into the Job's status (upstream: batch.JobTrackingFinalizer).
 */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';

/** Annotation and label of an Indexed Job's pods: their completion index. */
export const JOB_COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';

/** The env var every container of an Indexed Job's pod gets, read from the label above. */
export const COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';

/** With backoffLimitPerIndex: failures of this index before this pod (counted ones). */
export const JOB_INDEX_FAILURE_COUNT = 'batch.kubernetes.io/job-index-failure-count';

/** With backoffLimitPerIndex: failures of this index a podFailurePolicy Ignore rule matched. */
export const JOB_INDEX_IGNORED_FAILURE_COUNT = 'batch.kubernetes.io/job-index-ignored-failure-count';

/** spec.managedBy of Jobs this controller syncs (absent means the same). */
export const JOB_CONTROLLER_NAME = 'kubernetes.io/job-controller';
