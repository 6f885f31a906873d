// Jobs and CronJobs end to end: the real kubectl against `k8ts server` running its controllers
// (Job, CronJob, TTL-after-finished, garbage collector), scheduler and embedded node agent with
// the process runtime. The containers are busybox applets run as host processes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { startServer, type RunningServer } from '../helpers/k8ts-server.js';
import { kubectlFor, type Kubectl } from '../helpers/kubectl.js';
import { eventually } from '../helpers/eventually.js';

function job(name: string, spec: object, command: string[]): string {
  return JSON.stringify({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      ...spec,
      template: {
        spec: {
          restartPolicy: 'Never',
          terminationGracePeriodSeconds: 1,
          containers: [{ name: 'main', image: 'busybox', command }],
        },
      },
    },
  });
}

describe('jobs and cronjobs with kubectl', { timeout: 600_000 }, () => {
  let server: RunningServer;
  let kubectl: Kubectl;

  const json = async <T>(args: string[]): Promise<T> => JSON.parse(await kubectl.ok([...args, '-o', 'json'])) as T;
  const podsOf = async (jobName: string) => (await json<{ items: Pod[] }>(['get', 'pods', '-l', `job-name=${jobName}`])).items;
  const apply = (manifest: string) => kubectl.ok(['apply', '-f', '-'], { input: manifest });
  const condition = (j: Job, type: string) => j.status?.conditions?.find((c) => c.type === type && c.status === 'True');

  before(async () => {
    server = await startServer({
      store: 'memory',
      workloads: true,
      extraArgs: ['--runtime', 'process', '--node-name', 'jobs-node'],
    });
    kubectl = kubectlFor(server.kubeconfig);
    await eventually('node jobs-node Ready', async () => {
      const out = await kubectl.ok(['get', 'node', 'jobs-node', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']);
      return out === 'True' ? out : undefined;
    });
  });

  after(async () => {
    const code = await server.stop();
    await server.cleanup();
    assert.equal(code, 0, `server should exit 0 on SIGTERM:\n${server.output().slice(-4000)}`);
  });

  it('kubectl create job runs to completion; wait, logs and get show it', async () => {
    await kubectl.ok(['create', 'job', 'hello', '--image=busybox', '--', 'busybox', 'echo', 'hello from a job']);
    await kubectl.ok(['wait', '--for=condition=complete', 'job/hello', '--timeout=60s']);
    assert.equal((await kubectl.ok(['logs', 'job/hello'])).trim(), 'hello from a job');
    const done = await json<Job>(['get', 'job', 'hello']);
    assert.equal(done.status?.succeeded, 1);
    assert.ok(done.status?.completionTime, 'completionTime is set');
    assert.ok(condition(done, 'Complete'));
    const table = await kubectl.ok(['get', 'job', 'hello']);
    assert.match(table, /^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE/);
    assert.match(table, /\nhello\s+Complete\s+1\/1\s+/);
    const pods = await podsOf('hello');
    assert.equal(pods.length, 1);
    assert.equal(pods[0]?.status?.phase, 'Succeeded');
    // The tracking finalizer is removed once the pod is counted.
    assert.ok(!(pods[0]?.metadata?.finalizers ?? []).includes('batch.kubernetes.io/job-tracking'));
  });

  it('a failing job retries up to backoffLimit, then fails with BackoffLimitExceeded', async () => {
    await apply(job('fails', { backoffLimit: 1 }, ['busybox', 'sh', '-c', 'exit 3']));
    await kubectl.ok(['wait', '--for=condition=failed', 'job/fails', '--timeout=90s']);
    const failed = await json<Job>(['get', 'job', 'fails']);
    assert.equal(condition(failed, 'Failed')?.reason, 'BackoffLimitExceeded');
    assert.equal(failed.status?.failed, 2, 'the first try and one retry');
    assert.equal((await podsOf('fails')).filter((p) => p.status?.phase === 'Failed').length, 2);
  });

  it('an Indexed job runs each index once, with JOB_COMPLETION_INDEX', async () => {
    await apply(job('indexed', { completions: 3, parallelism: 2, completionMode: 'Indexed' }, ['busybox', 'sh', '-c', 'echo index=$JOB_COMPLETION_INDEX']));
    await kubectl.ok(['wait', '--for=condition=complete', 'job/indexed', '--timeout=60s']);
    const done = await json<Job>(['get', 'job', 'indexed']);
    assert.equal(done.status?.completedIndexes, '0-2');
    assert.equal(done.status?.succeeded, 3);
    const pods = await podsOf('indexed');
    const logs = await Promise.all(pods.map(async (p) => (await kubectl.ok(['logs', p.metadata?.name ?? ''])).trim()));
    assert.deepEqual(logs.sort(), ['index=0', 'index=1', 'index=2']);
  });

  it('a suspended job starts no pod until it is resumed', async () => {
    await apply(job('later', { suspend: true }, ['busybox', 'true']));
    await eventually('Suspended condition', async () => (condition(await json<Job>(['get', 'job', 'later']), 'Suspended') ? true : undefined));
    assert.equal((await podsOf('later')).length, 0);
    await kubectl.ok(['patch', 'job', 'later', '--type=merge', '-p', '{"spec":{"suspend":false}}']);
    await kubectl.ok(['wait', '--for=condition=complete', 'job/later', '--timeout=60s']);
  });

  it('ttlSecondsAfterFinished deletes a finished job and its pods', async () => {
    await apply(job('short-lived', { ttlSecondsAfterFinished: 1 }, ['busybox', 'true']));
    await kubectl.ok(['wait', '--for=delete', 'job/short-lived', '--timeout=60s']);
    await eventually('pods of short-lived gone', async () => ((await podsOf('short-lived')).length === 0 ? true : undefined));
  });

  it('deleting a running job deletes its pods', async () => {
    await apply(job('sleeper', {}, ['busybox', 'sleep', '600']));
    await eventually('sleeper running', async () => ((await podsOf('sleeper')).some((p) => p.status?.phase === 'Running') ? true : undefined));
    await kubectl.ok(['delete', 'job', 'sleeper', '--wait=true']);
    await eventually('pods of sleeper gone', async () => ((await podsOf('sleeper')).length === 0 ? true : undefined));
  });

  it('a CronJob creates a job at its schedule; create job --from=cronjob runs one now', async () => {
    await kubectl.ok(['create', 'cronjob', 'tick', '--image=busybox', '--schedule=* * * * *', '--', 'busybox', 'echo', 'tick']);
    const table = await kubectl.ok(['get', 'cronjob', 'tick']);
    assert.match(table, /^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE/);
    await kubectl.ok(['create', 'job', 'tick-now', '--from=cronjob/tick']);
    await kubectl.ok(['wait', '--for=condition=complete', 'job/tick-now', '--timeout=60s']);
    assert.equal((await kubectl.ok(['logs', 'job/tick-now'])).trim(), 'tick');
    // The schedule fires at the next minute boundary: within ~60 s plus the pod's run.
    const scheduled = await eventually('a scheduled job of tick', async () => {
      const jobs = (await json<{ items: Job[] }>(['get', 'jobs'])).items;
      return jobs.find((j) => j.metadata?.ownerReferences?.some((o) => o.kind === 'CronJob' && o.name === 'tick') && /^tick-\d+$/.test(j.metadata?.name ?? ''));
    }, 120_000);
    assert.ok(scheduled.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']);
    await kubectl.ok(['wait', '--for=condition=complete', `job/${scheduled.metadata?.name ?? ''}`, '--timeout=60s']);
    await eventually('lastSuccessfulTime', async () => (await json<CronJob>(['get', 'cronjob', 'tick'])).status?.lastSuccessfulTime);
    await kubectl.ok(['delete', 'cronjob', 'tick']);
    await eventually('jobs of tick gone', async () => {
      const jobs = (await json<{ items: Job[] }>(['get', 'jobs'])).items;
      return jobs.some((j) => j.metadata?.ownerReferences?.some((o) => o.name === 'tick')) ? undefined : true;
    });
  });
});
