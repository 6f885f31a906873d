// batch/v1 CronJob defaults (upstream: SetDefaults_CronJob). Its job template gets the pod
// template defaults, not a Job's own (no backoffLimit, completions, ...): those are filled in
// when a Job is made from it.
import type { KubeObject } from '../object.js';
import { ensureRecord, isUnset } from '../validation/json-access.js';
import { defaultJobTemplateParts } from './job.js';

export function defaultCronJob(obj: KubeObject): void {
  const spec = ensureRecord(obj, 'spec');
  if (isUnset(spec.concurrencyPolicy)) spec.concurrencyPolicy = 'Allow';
  if (spec.suspend === undefined || spec.suspend === null) spec.suspend = false;
  if (spec.successfulJobsHistoryLimit === undefined || spec.successfulJobsHistoryLimit === null) spec.successfulJobsHistoryLimit = 3;
  if (spec.failedJobsHistoryLimit === undefined || spec.failedJobsHistoryLimit === null) spec.failedJobsHistoryLimit = 1;
  // jobTemplate and its spec are Go structs, not pointers: they are always there upstream.
  defaultJobTemplateParts(ensureRecord(ensureRecord(spec, 'jobTemplate'), 'spec'));
}
