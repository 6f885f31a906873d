import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultCronJob } from '../defaults/cron-job.js';
import { formatFieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { validateCronJob } from './cron-job.js';

/** What `kubectl create cronjob c --image=busybox --schedule=... -- echo hi` stores, with `spec` overrides. */
function cronJob(spec: Record<string, unknown> = {}, name = 'c'): KubeObject {
  const obj: KubeObject = {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name, namespace: 'default', uid: 'u1' },
    spec: {
      schedule: '*/5 * * * *',
      jobTemplate: { metadata: { name }, spec: { template: { spec: { containers: [{ name, image: 'busybox', command: ['echo', 'hi'] }], restartPolicy: 'OnFailure' } } } },
      ...spec,
    },
  };
  defaultCronJob(obj);
  return obj;
}

function messages(obj: KubeObject, old?: KubeObject): string[] {
  return validateCronJob(obj, old).map(formatFieldError);
}

describe('batch/v1 CronJob validation', () => {
  it('accepts what kubectl create cronjob sends, descriptors and a time zone', () => {
    assert.deepEqual(messages(cronJob()), []);
    assert.deepEqual(messages(cronJob({ schedule: '@hourly', timeZone: 'Europe/Berlin', concurrencyPolicy: 'Forbid' })), []);
  });

  it('refuses a schedule that does not parse, naming the field', () => {
    assert.deepEqual(messages(cronJob({ schedule: 'every five minutes' })), [
      'spec.schedule: Invalid value: "every five minutes": expected exactly 5 fields, found 3: [every five minutes]',
    ]);
    assert.deepEqual(messages(cronJob({ schedule: '0 25 * * *' })), ['spec.schedule: Invalid value: "0 25 * * *": end of range (25) above maximum (23): 25']);
    assert.deepEqual(messages(cronJob({ schedule: '' })), ['spec.schedule: Required value']);
  });

  it('refuses TZ= in the schedule on create, in favour of spec.timeZone', () => {
    assert.deepEqual(messages(cronJob({ schedule: 'CRON_TZ=UTC 0 * * * *' })), [
      'spec.schedule: Invalid value: "CRON_TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
    ]);
  });

  it('lets an old CronJob keep its TZ= schedule, but not together with timeZone', () => {
    const old = cronJob({ schedule: 'TZ=UTC 0 * * * *' });
    assert.deepEqual(messages(cronJob({ schedule: 'TZ=UTC 30 * * * *' }), old), []);
    assert.deepEqual(messages(cronJob({ schedule: 'TZ=UTC 30 * * * *', timeZone: 'UTC' }), old), [
      'spec.schedule: Invalid value: "TZ=UTC 30 * * * *": cannot use both timeZone field and TZ or CRON_TZ in schedule',
    ]);
  });

  it('refuses unknown, empty and Local time zones', () => {
    assert.deepEqual(messages(cronJob({ timeZone: 'Mars/Olympus' })), ['spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus']);
    assert.deepEqual(messages(cronJob({ timeZone: '../etc/passwd' })), ['spec.timeZone: Invalid value: "../etc/passwd": unknown time zone ../etc/passwd']);
    assert.deepEqual(messages(cronJob({ timeZone: '' })), ['spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string']);
    assert.deepEqual(messages(cronJob({ timeZone: 'Local' })), [
      'spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones',
    ]);
  });

  it('knows the concurrency policies, and limits that may not be negative', () => {
    assert.deepEqual(messages(cronJob({ concurrencyPolicy: 'Sometimes' })), [
      'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
    ]);
    for (const field of ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit']) {
      assert.deepEqual(messages(cronJob({ [field]: -1 })), [`spec.${field}: Invalid value: -1: must be greater than or equal to 0`], field);
    }
  });

  it('validates the job template as a Job spec whose selector the server generates', () => {
    const template = (spec: Record<string, unknown>) => cronJob({ jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'OnFailure' } }, ...spec } } });
    assert.deepEqual(messages(template({ backoffLimit: -1 })), ['spec.jobTemplate.spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0']);
    assert.deepEqual(messages(template({ selector: { matchLabels: { a: 'b' } } })), [
      'spec.jobTemplate.spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"a":"b"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` will be auto-generated',
    ]);
    assert.deepEqual(messages(template({ manualSelector: true })), ['spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: "nil", "false"']);
    const always = cronJob({ jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } } } });
    assert.deepEqual(messages(always), ['spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']);
  });

  it('limits a new CronJob\'s name to 52 characters (its Jobs add 11), not an existing one\'s', () => {
    const long = 'c'.repeat(53);
    assert.deepEqual(messages(cronJob({}, long)), [`metadata.name: Invalid value: "${long}": must be no more than 52 characters`]);
    assert.deepEqual(messages(cronJob({}, 'c'.repeat(52))), []);
    assert.deepEqual(messages(cronJob({ suspend: true }, long), cronJob({}, long)), []);
  });
});
