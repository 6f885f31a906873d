import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../object.js';
import { defaultCronJob } from './cron-job.js';
import { defaultJob } from './job.js';

const podTemplateDefaults = {
  dnsPolicy: 'ClusterFirst',
  restartPolicy: 'Never',
  schedulerName: 'default-scheduler',
  securityContext: {},
  terminationGracePeriodSeconds: 30,
};
const defaultedContainer = {
  name: 'j', image: 'busybox', command: ['echo', 'hi'], imagePullPolicy: 'Always', resources: {},
  terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File',
};

/** What `kubectl create job j --image=busybox -- echo hi` sends. */
function kubectlCreateJob(spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'default' },
    spec: { template: { spec: { containers: [{ name: 'j', image: 'busybox', command: ['echo', 'hi'] }], restartPolicy: 'Never' } }, ...spec },
  };
}

function defaulted(spec: Record<string, unknown> = {}): Record<string, unknown> {
  const job = kubectlCreateJob(spec);
  defaultJob(job);
  return job['spec'] as Record<string, unknown>;
}

describe('batch/v1 Job defaults (SetDefaults_Job)', () => {
  it('gives a minimal Job exactly upstream 1.32 defaults', () => {
    assert.deepEqual(defaulted(), {
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      completions: 1,
      manualSelector: false,
      parallelism: 1,
      podReplacementPolicy: 'TerminatingOrFailed',
      suspend: false,
      template: { spec: { containers: [defaultedContainer], ...podTemplateDefaults } },
    });
  });

  it('defaults completions only when parallelism is unset too', () => {
    const workQueue = defaulted({ parallelism: 3 });
    assert.equal(workQueue.completions, undefined);
    assert.equal(workQueue.parallelism, 3);
    const fixed = defaulted({ completions: 5 });
    assert.deepEqual([fixed.completions, fixed.parallelism], [5, 1]);
    const zero = defaulted({ parallelism: 0 });
    assert.deepEqual([zero.completions, zero.parallelism], [undefined, 0]);
  });

  it('keeps what the client set, including a Go pointer zero', () => {
    const spec = defaulted({ backoffLimit: 0, suspend: true, completionMode: 'Indexed', completions: 3, manualSelector: true });
    assert.deepEqual([spec.backoffLimit, spec.suspend, spec.completionMode, spec.manualSelector], [0, true, 'Indexed', true]);
  });

  it('uses MaxInt32 for backoffLimit with a per-index limit, Failed replacement under a failure policy', () => {
    assert.equal(defaulted({ backoffLimitPerIndex: 1 }).backoffLimit, 2147483647);
    const spec = defaulted({ podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } });
    assert.equal(spec.podReplacementPolicy, 'Failed');
    assert.deepEqual(spec.podFailurePolicy, { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] });
  });

  it('labels a Job without labels like its pod template, and leaves its own labels alone', () => {
    const job = kubectlCreateJob({ template: { metadata: { labels: { app: 'batch' } }, spec: { containers: [] } } });
    defaultJob(job);
    assert.deepEqual(job.metadata?.labels, { app: 'batch' });
    const labelled = kubectlCreateJob({ template: { metadata: { labels: { app: 'batch' } }, spec: { containers: [] } } });
    labelled.metadata = { ...labelled.metadata, labels: { team: 'a' } };
    defaultJob(labelled);
    assert.deepEqual(labelled.metadata.labels, { team: 'a' });
  });

  it('is idempotent', () => {
    const once = kubectlCreateJob();
    defaultJob(once);
    const twice = structuredClone(once);
    defaultJob(twice);
    assert.deepEqual(twice, once);
  });
});

describe('batch/v1 CronJob defaults (SetDefaults_CronJob)', () => {
  it('defaults the CronJob fields and the pod template, not the Job fields of its template', () => {
    const cronJob: KubeObject = {
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c', namespace: 'default' },
      spec: {
        schedule: '*/5 * * * *',
        jobTemplate: { metadata: { name: 'c' }, spec: { template: { spec: { containers: [{ name: 'j', image: 'busybox', command: ['echo', 'hi'] }], restartPolicy: 'Never' } } } },
      },
    };
    defaultCronJob(cronJob);
    assert.deepEqual(cronJob['spec'], {
      schedule: '*/5 * * * *',
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: { metadata: { name: 'c' }, spec: { template: { spec: { containers: [defaultedContainer], ...podTemplateDefaults } } } },
    });
  });

  it('keeps explicit values and fills a missing job template like a Go struct', () => {
    const cronJob: KubeObject = { spec: { schedule: '@daily', concurrencyPolicy: 'Forbid', suspend: true, successfulJobsHistoryLimit: 0 } };
    defaultCronJob(cronJob);
    const spec = cronJob['spec'] as Record<string, unknown>;
    assert.deepEqual([spec.concurrencyPolicy, spec.suspend, spec.successfulJobsHistoryLimit, spec.failedJobsHistoryLimit], ['Forbid', true, 0, 1]);
    assert.equal((spec.jobTemplate as { spec: { template: { spec: { restartPolicy: string } } } }).spec.template.spec.restartPolicy, 'Always');
  });
});
