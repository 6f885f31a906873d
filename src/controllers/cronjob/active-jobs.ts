// `status.active`: references to the jobs a CronJob started that have not finished. The
// reconciler edits its private copy of the status with these; an empty list is dropped, as the
// API omits it.
import type { CronJobStatus } from 'kubernetes-types/batch/v1.js';
import type { ObjectReference } from 'kubernetes-types/core/v1.js';
import { JOB_TYPE, type JobObject } from './cronjob-types.js';

export function isActiveByUid(status: CronJobStatus, uid: string | undefined): boolean {
  return uid !== undefined && (status.active ?? []).some((ref) => ref.uid === uid);
}

export function isActiveByName(status: CronJobStatus, namespace: string | undefined, name: string): boolean {
  return (status.active ?? []).some((ref) => ref.name === name && ref.namespace === namespace);
}

export function removeActive(status: CronJobStatus, uid: string | undefined): void {
  const remaining = (status.active ?? []).filter((ref) => ref.uid !== uid);
  if (remaining.length > 0) status.active = remaining;
  else delete status.active;
}

export function addActive(status: CronJobStatus, job: JobObject): void {
  status.active = [...(status.active ?? []), jobReference(job)];
}

/** The reference upstream's ref.GetReference makes of a job. */
export function jobReference(job: JobObject): ObjectReference {
  const reference: ObjectReference = { kind: JOB_TYPE.kind, apiVersion: JOB_TYPE.apiVersion };
  const { name, namespace, uid, resourceVersion } = job.metadata ?? {};
  if (namespace !== undefined) reference.namespace = namespace;
  if (name !== undefined) reference.name = name;
  if (uid !== undefined) reference.uid = uid;
  if (resourceVersion !== undefined) reference.resourceVersion = resourceVersion;
  return reference;
}
