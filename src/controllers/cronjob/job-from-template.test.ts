import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SCHEDULED_TIMESTAMP_ANNOTATION, type CronJobObject } from './cronjob-types.js';
import { jobFromTemplate, jobNameFor } from './job-from-template.js';

function cronJob(timeZone?: string): CronJobObject {
  return {
    metadata: { name: 'backup', namespace: 'ops', uid: 'cj-uid' },
    spec: {
      schedule: '0 9 * * *',
      ...(timeZone === undefined ? {} : { timeZone }),
      jobTemplate: {
        metadata: { labels: { app: 'backup' }, annotations: { team: 'storage' } },
        spec: { backoffLimit: 2, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
      },
    },
  };
}

describe('jobFromTemplate', () => {
  const nineUtc = new Date('2025-01-01T09:00:00Z');

  it('names the job after the scheduled minute', () => {
    assert.equal(jobNameFor(cronJob(), nineUtc), 'backup-28928700');
    assert.equal(jobNameFor(cronJob(), new Date('2025-01-01T09:00:59Z')), 'backup-28928700');
    assert.equal(jobNameFor(cronJob(), new Date('2025-01-01T09:01:00Z')), 'backup-28928701');
  });

  it('copies labels, annotations and spec, adds the scheduled time and a controller reference', () => {
    const source = cronJob();
    const job = jobFromTemplate(source, nineUtc, 'Asia/Tokyo');
    assert.equal(job.metadata?.name, 'backup-28928700');
    assert.equal(job.metadata?.namespace, 'ops');
    assert.deepEqual(job.metadata?.labels, { app: 'backup' });
    assert.deepEqual(job.metadata?.annotations, { team: 'storage', [SCHEDULED_TIMESTAMP_ANNOTATION]: '2025-01-01T09:00:00Z' });
    assert.deepEqual(job.metadata?.ownerReferences, [
      { apiVersion: 'batch/v1', kind: 'CronJob', name: 'backup', uid: 'cj-uid', controller: true, blockOwnerDeletion: true },
    ]);
    assert.deepEqual(job.spec, source.spec?.jobTemplate.spec);
    job.spec!.backoffLimit = 9;
    assert.equal(source.spec?.jobTemplate.spec?.backoffLimit, 2, 'the spec is a copy');
  });

  it('the annotation is in spec.timeZone, else UTC whatever the controller zone', () => {
    const annotation = (zone?: string): string | undefined => jobFromTemplate(cronJob(zone), nineUtc, 'Asia/Tokyo').metadata?.annotations?.[SCHEDULED_TIMESTAMP_ANNOTATION];
    assert.equal(annotation('America/New_York'), '2025-01-01T04:00:00-05:00');
    assert.equal(annotation(), '2025-01-01T09:00:00Z');
  });
});
