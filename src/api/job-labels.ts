// The labels that tie a Job to its pods (k8s.io/api/batch/v1). The API server puts them on a Job's
// pod template and selects on the uid one, unless the Job asks for a manual selector; the Job
// controller copies them onto each pod. Upstream still writes the unprefixed legacy pair too, so
// selectors written for older clusters (`-l job-name=x`) keep matching.

export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const LEGACY_JOB_NAME_LABEL = 'job-name';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';
