// batch/v1 CronJob validation (upstream: ValidateCronJobCreate / ValidateCronJobUpdate, 1.32): a
// schedule and time zone (cron-job-schedule.ts), a known concurrency policy, history limits and a
// starting deadline that are not negative, and a job template valid as a Job's spec except that
// its selector is always generated (so it may not set one).
import { invalid, notSupported, required, type FieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { validateSchedule, validateTimeZone } from './cron-job-schedule.js';
import { goLabelSelector, invalidRendered } from './go-value.js';
import { isRecord, jsonEqual, recordOf, stringOf, type JsonRecord } from './json-access.js';
import { validateJobSpecFields } from './job-spec.js';
import { DNS1123_LABEL_MAX_LENGTH, maxLenError } from './name-rules.js';
import { validateObjectMeta } from './object-meta.js';
import { validateNonNegative } from './probe.js';

const CONCURRENCY_POLICIES = ['Allow', 'Forbid', 'Replace'];

/**
 * The controller names each Job `<cronjob>-<11 characters of schedule time>`, and a Job's name
 * must fit a 63-character label (its pods' job-name label): 52 is what is left.
 */
const MAX_NAME_LENGTH = DNS1123_LABEL_MAX_LENGTH - 11;

export function validateCronJob(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, { namespaced: true, nameRule: 'dns1123Subdomain' }, old?.metadata);
  errs.push(...validateCronJobSpec(recordOf(obj.spec) ?? {}, old === undefined ? undefined : recordOf(old.spec) ?? {}));
  // Not on update: CronJobs named before the limit existed can still be changed and deleted.
  const name = obj.metadata?.name ?? '';
  if (old === undefined && name.length > MAX_NAME_LENGTH) errs.push(invalid('metadata.name', name, maxLenError(MAX_NAME_LENGTH)));
  return errs;
}

function validateCronJobSpec(spec: JsonRecord, oldSpec: JsonRecord | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const schedule = stringOf(spec.schedule);
  if (schedule === '') errs.push(required('spec.schedule'));
  else errs.push(...validateSchedule(schedule, 'spec.schedule', stringOf(oldSpec?.schedule).includes('TZ'), spec.timeZone));
  errs.push(...validateNonNegative(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
  // A zone that was accepted once stays acceptable, even if the zone database drops it later.
  if (oldSpec === undefined || !jsonEqual(oldSpec.timeZone ?? null, spec.timeZone ?? null))
    errs.push(...validateTimeZone(spec.timeZone, 'spec.timeZone'));
  errs.push(...validateConcurrencyPolicy(stringOf(spec.concurrencyPolicy)));
  errs.push(...validateJobTemplateSpec(recordOf(recordOf(spec.jobTemplate)?.spec) ?? {}));
  errs.push(...validateNonNegative(spec.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'));
  errs.push(...validateNonNegative(spec.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
  return errs;
}

function validateConcurrencyPolicy(policy: string): FieldError[] {
  if (policy === '') return [required('spec.concurrencyPolicy')];
  return CONCURRENCY_POLICIES.includes(policy) ? [] : [notSupported('spec.concurrencyPolicy', policy, CONCURRENCY_POLICIES)];
}

function validateJobTemplateSpec(spec: JsonRecord): FieldError[] {
  const path = 'spec.jobTemplate.spec';
  const errs = validateJobSpecFields(spec, path);
  if (isRecord(spec.selector)) errs.push(invalidRendered(`${path}.selector`, goLabelSelector(spec.selector), '`selector` will be auto-generated'));
  if (spec.manualSelector === true) errs.push(notSupported(`${path}.manualSelector`, true, ['nil', 'false']));
  return errs;
}
