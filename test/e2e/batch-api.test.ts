// batch/v1 Jobs and CronJobs as API objects, with the real kubectl 1.32 against `k8ts server` (API
// only: no controllers, so nothing runs and every status stays as the server made it). Covers the
// generators (protobuf bodies), defaults and the generated selector, tables, explain, apply twice,
// refusals with upstream's 422 wording, discovery, and `create job --from=cronjob`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import { apiClientFor, type ApiClient } from '../helpers/api-client.js';
import { startServer, type RunningServer } from '../helpers/k8ts-server.js';
import { kubectlFor, pinnedKubectl132, type Kubectl, type PinnedKubectl } from '../helpers/kubectl.js';

describe('batch/v1 API with kubectl', { timeout: 180_000 }, () => {
  let server: RunningServer;
  let kubectl: Kubectl;
  let api: ApiClient;
  let pinned: PinnedKubectl;
  const k = (args: readonly string[], input?: string) => pinned.run(args, input);
  const ok = (args: readonly string[], input?: string) => pinned.ok(args, input);
  const json = <T>(args: readonly string[]) => pinned.json<T>(args);

  before(async () => {
    server = await startServer();
    kubectl = kubectlFor(server.kubeconfig);
    pinned = pinnedKubectl132(kubectl);
    api = apiClientFor(server.kubeconfig);
  });
  after(async () => {
    api?.close();
    await server?.stop();
    await server?.cleanup();
  });

  it('kubectl create job: upstream defaults, a selector generated from the uid, labels on template and Job', async () => {
    assert.equal((await ok(['create', 'job', 'j', '--image=busybox', '--', 'echo', 'hi'])).trim(), 'job.batch/j created');
    const job = await json<Job>(['get', 'job', 'j']);
    const uid = job.metadata?.uid ?? '';
    assert.match(uid, /^[0-9a-f-]{36}$/);
    const { template, selector, ...spec } = job.spec ?? { template: {} };
    assert.deepEqual(spec, {
      backoffLimit: 6, completionMode: 'NonIndexed', completions: 1, manualSelector: false, parallelism: 1,
      podReplacementPolicy: 'TerminatingOrFailed', suspend: false,
    });
    assert.deepEqual(selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    const generated = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'j', 'controller-uid': uid, 'job-name': 'j' };
    assert.deepEqual(template.metadata?.labels, generated);
    assert.deepEqual(job.metadata?.labels, generated);
    assert.equal(template.spec?.restartPolicy, 'Never');
    assert.equal(template.spec?.containers[0]?.imagePullPolicy, 'Always');
    assert.equal(job.metadata?.generation, 1);
    // The yaml kubectl users read shows the same.
    const yaml = await ok(['get', 'job', 'j', '-o', 'yaml']);
    for (const line of ['backoffLimit: 6', 'completionMode: NonIndexed', 'podReplacementPolicy: TerminatingOrFailed', `batch.kubernetes.io/controller-uid: ${uid}`]) {
      assert.ok(yaml.includes(line), `expected ${line} in:\n${yaml}`);
    }
  });

  it('kubectl create cronjob: CronJob defaults, the job template left to the Jobs', async () => {
    assert.equal((await ok(['create', 'cronjob', 'c', '--image=busybox', '--schedule=*/5 * * * *', '--', 'echo', 'hi'])).trim(), 'cronjob.batch/c created');
    const cronJob = await json<CronJob>(['get', 'cj', 'c']);
    const { jobTemplate, ...spec } = cronJob.spec ?? { jobTemplate: {}, schedule: '' };
    assert.deepEqual(spec, { schedule: '*/5 * * * *', concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    assert.equal(jobTemplate.spec?.template.spec?.restartPolicy, 'OnFailure');
    assert.equal(jobTemplate.spec?.backoffLimit, undefined);
    assert.equal(jobTemplate.spec?.selector, undefined);
  });

  it('kubectl get jobs,cronjobs (and -o wide, get all) print upstream columns', async () => {
    const table = await ok(['get', 'jobs,cronjobs']);
    assert.match(table, /^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE$/m);
    assert.match(table, /^job\.batch\/j\s+Running\s+0\/1\s+\S+$/m);
    assert.match(table, /^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE$/m);
    assert.match(table, /^cronjob\.batch\/c\s+\*\/5 \* \* \* \*\s+<none>\s+False\s+0\s+<none>\s+\S+$/m);
    const wide = await ok(['get', 'jobs', '-o', 'wide']);
    assert.match(wide, /^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/m);
    assert.match(wide, /^j\s+Running\s+0\/1\s+\S+\s+j\s+busybox\s+batch\.kubernetes\.io\/controller-uid=[0-9a-f-]{36}$/m);
    assert.match(await ok(['get', 'cronjobs', '-o', 'wide']), /^c\s+.*\s+c\s+busybox\s+<none>$/m);
    const all = await ok(['get', 'all']);
    assert.match(all, /^job\.batch\/j\s/m);
    assert.match(all, /^cronjob\.batch\/c\s/m);
  });

  it('selects Jobs by status.successful', async () => {
    assert.equal((await ok(['get', 'jobs', '--field-selector', 'status.successful=0', '-o', 'name'])).trim(), 'job.batch/j');
    const none = await k(['get', 'jobs', '--field-selector', 'status.successful=1']);
    assert.equal(none.code, 0);
    assert.match(none.stderr, /No resources found in default namespace/);
  });

  it('kubectl explain reads the generated OpenAPI schemas', async () => {
    const explained = await ok(['explain', 'cronjob.spec.schedule']);
    assert.match(explained, /KIND:\s+CronJob/);
    assert.match(explained, /FIELD: schedule <string>/);
    assert.match(explained, /The schedule in Cron format/);
    assert.match(await ok(['explain', 'job.spec']), /backoffLimit\s+<integer>/);
  });

  it('kubectl apply a Job twice: the second apply changes labels and suspend, keeps the generated selector', async () => {
    const manifest = (suspend: boolean, team: string) => JSON.stringify({
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'applied', labels: { team } },
      spec: { suspend, template: { spec: { containers: [{ name: 'c', image: 'busybox', command: ['true'] }], restartPolicy: 'OnFailure' } } },
    });
    assert.equal((await ok(['apply', '-f', '-'], manifest(true, 'a'))).trim(), 'job.batch/applied created');
    const first = await json<Job>(['get', 'job', 'applied']);
    assert.equal((await ok(['apply', '-f', '-'], manifest(false, 'b'))).trim(), 'job.batch/applied configured');
    const second = await json<Job>(['get', 'job', 'applied']);
    assert.equal(second.metadata?.labels?.['team'], 'b');
    assert.equal(second.spec?.suspend, false);
    assert.deepEqual(second.spec?.selector, first.spec?.selector);
    assert.equal(second.metadata?.generation, 2);
    assert.equal((await ok(['apply', '-f', '-'], manifest(false, 'b'))).trim(), 'job.batch/applied unchanged');
  });

  it('refuses an invalid CronJob schedule with 422, naming the field', async () => {
    const created = await k(['create', 'cronjob', 'bad', '--image=busybox', '--schedule=61 * * * *']);
    assert.notEqual(created.code, 0);
    assert.match(created.stderr, /CronJob\.batch "bad" is invalid: spec\.schedule: Invalid value: "61 \* \* \* \*": end of range \(61\) above maximum \(59\): 61/);
    const body = {
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'bad' },
      spec: { schedule: 'TZ=UTC 0 * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'Never' } } } } },
    };
    const response = await api.request('POST', '/apis/batch/v1/namespaces/default/cronjobs', { body });
    assert.equal(response.status, 422);
    const status = response.json<{ reason: string; details: { kind: string; causes: { field: string; message: string }[] } }>();
    assert.equal(status.reason, 'Invalid');
    assert.equal(status.details.kind, 'CronJob');
    assert.deepEqual(status.details.causes.map((c) => c.field), ['spec.schedule']);
    assert.match(status.details.causes[0]?.message ?? '', /cannot use TZ or CRON_TZ in schedule, use timeZone field instead/);
    const refused = await k(['create', '-f', '-'], JSON.stringify({ ...body, spec: { ...body.spec, schedule: '@often' } }));
    assert.match(refused.stderr, /The CronJob "bad" is invalid: spec\.schedule: Invalid value: "@often": unrecognized descriptor: @often/);
  });

  it('refuses changing an immutable Job field, and a selector given without manualSelector', async () => {
    const completions = await k(['patch', 'job', 'j', '--type=merge', '-p', '{"spec":{"completions":3}}']);
    assert.notEqual(completions.code, 0);
    assert.match(completions.stderr, /The Job "j" is invalid: spec\.completions: Invalid value: 3: field is immutable/);
    const image = await k(['set', 'image', 'job/j', 'j=busybox:1.36']);
    assert.notEqual(image.code, 0);
    assert.match(image.stderr, /spec\.template: Invalid value: .*: field is immutable/);
    const selected = await k(['create', '-f', '-'], JSON.stringify({
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'mine' },
      spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'Never' } } },
    }));
    assert.notEqual(selected.code, 0);
    assert.match(selected.stderr, /The Job "mine" is invalid: spec\.selector: Invalid value: v1\.LabelSelector\{.*\}: `selector` not auto-generated/);
  });

  it('kubectl api-resources lists jobs and cronjobs (short name cj) in batch/v1', async () => {
    const rows = (await ok(['api-resources'])).split('\n').map((line) => line.trim().split(/\s+/));
    assert.deepEqual(rows.find((cells) => cells[0] === 'cronjobs'), ['cronjobs', 'cj', 'batch/v1', 'true', 'CronJob']);
    assert.deepEqual(rows.find((cells) => cells[0] === 'jobs'), ['jobs', 'batch/v1', 'true', 'Job']);
  });

  it('kubectl create job --from=cronjob/c makes a Job owned by the CronJob', async () => {
    assert.equal((await ok(['create', 'job', 'j2', '--from=cronjob/c'])).trim(), 'job.batch/j2 created');
    const cronJob = await json<CronJob>(['get', 'cronjob', 'c']);
    const job = await json<Job>(['get', 'job', 'j2']);
    assert.equal(job.metadata?.annotations?.['cronjob.kubernetes.io/instantiate'], 'manual');
    assert.deepEqual(job.metadata?.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'c', uid: cronJob.metadata?.uid, controller: true }]);
    assert.deepEqual(job.spec?.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': job.metadata?.uid } });
    assert.equal(job.spec?.template.spec?.restartPolicy, 'OnFailure');
    assert.equal(job.spec?.backoffLimit, 6);
  });
});
