// The CronJob reconciler and the jobs it owns: concurrency policies, status.active upkeep and
// history limits.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JOBS } from '../../client/resource-types.js';
import { CronJobHarness, NS } from './cronjob-harness.fixture.js';
import type { CronJobObject } from './cronjob-types.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function jobName(scheduled: string): string {
  return `backup-${Math.floor(Date.parse(scheduled) / MINUTE)}`;
}

async function activeNames(h: CronJobHarness): Promise<string[] | undefined> {
  return (await h.liveCronJob()).status?.active?.map((ref) => ref.name ?? '');
}

/** An hourly CronJob (created 08:30Z) that has run its 09:00 job. */
async function ranNineOClock(policy: 'Allow' | 'Forbid' | 'Replace'): Promise<CronJobHarness> {
  const h = new CronJobHarness();
  h.seedCronJob({ schedule: '0 * * * *', concurrencyPolicy: policy });
  h.advanceTo('2025-01-01T09:00:00.100Z');
  await h.reconcile();
  assert.deepEqual(await h.liveJobNames(), [jobName('2025-01-01T09:00:00Z')]);
  h.recorder.clear();
  return h;
}

describe('CronJobReconciler: concurrency policy', () => {
  it('Allow: the next activation starts while the previous job runs', async () => {
    const h = await ranNineOClock('Allow');
    h.advanceTo('2025-01-01T10:00:00.100Z');
    await h.reconcile();
    const both = [jobName('2025-01-01T09:00:00Z'), jobName('2025-01-01T10:00:00Z')];
    assert.deepEqual(await h.liveJobNames(), both);
    assert.deepEqual(await activeNames(h), both);
  });

  it('Forbid: skips while a job is active, then runs the skipped activation late once it finishes', async () => {
    const h = await ranNineOClock('Forbid');
    h.advanceTo('2025-01-01T10:00:00.100Z');
    assert.deepEqual(await h.reconcile(), { requeueAfterMs: HOUR });
    assert.deepEqual(await h.liveJobNames(), [jobName('2025-01-01T09:00:00Z')]);
    assert.deepEqual(h.events(), ['Normal JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid']);

    h.advanceTo('2025-01-01T10:20:00Z');
    await h.finishJob(jobName('2025-01-01T09:00:00Z'), 'Complete', '2025-01-01T10:20:00Z');
    h.recorder.clear();
    await h.reconcile();
    assert.deepEqual(h.events(), [
      `Normal SawCompletedJob: Saw completed job: ${jobName('2025-01-01T09:00:00Z')}, condition: Complete`,
      `Normal SuccessfulCreate: Created job ${jobName('2025-01-01T10:00:00Z')}`,
    ]);
    assert.deepEqual(await activeNames(h), [jobName('2025-01-01T10:00:00Z')]);
    assert.equal((await h.liveCronJob()).status?.lastSuccessfulTime, '2025-01-01T10:20:00Z');
  });

  it('Replace: deletes the active job (background propagation), then creates the new one', async () => {
    const h = await ranNineOClock('Replace');
    const nine = jobName('2025-01-01T09:00:00Z');
    const ten = jobName('2025-01-01T10:00:00Z');
    h.advanceTo('2025-01-01T10:00:00.100Z');
    h.clients.clearActions();
    await h.reconcile();
    assert.deepEqual(await h.liveJobNames(), [ten]);
    assert.deepEqual(await activeNames(h), [ten]);
    assert.deepEqual(h.events(), [`Normal SuccessfulDelete: Deleted job ${nine}`, `Normal SuccessfulCreate: Created job ${ten}`]);
    assert.deepEqual(h.clients.actions.filter((a) => a.resource === 'jobs').map((a) => `${a.verb} ${a.name ?? ''}`), [`delete ${nine}`, `create ${ten}`]);
    assert.deepEqual(h.deletes.calls, [{ resource: 'jobs', name: nine, options: { propagationPolicy: 'Background' } }]);
  });

  it('Replace: a delete that fails stops the pass before any create', async () => {
    const h = await ranNineOClock('Replace');
    h.advanceTo('2025-01-01T10:00:00.100Z');
    h.clients.fail('delete', 'jobs', new Error('etcd is down'));
    await assert.rejects(h.reconcile(), /could not replace job default\/backup-/);
    assert.equal(h.clients.writes('create', 'jobs').length, 1, 'only the 09:00 job');
    assert.deepEqual(h.events(), ['Warning FailedDelete: Deleted job: etcd is down']);
  });
});

describe('CronJobReconciler: status.active', () => {
  it('a job that finishes leaves status.active; only a success moves lastSuccessfulTime', async () => {
    const h = await ranNineOClock('Allow');
    const nine = jobName('2025-01-01T09:00:00Z');
    await h.finishJob(nine, 'Failed', '2025-01-01T09:10:00Z');
    h.advanceTo('2025-01-01T09:10:00Z');
    await h.reconcile();
    assert.deepEqual(h.events(), [`Normal SawCompletedJob: Saw completed job: ${nine}, condition: Failed`]);
    const status = (await h.liveCronJob()).status;
    assert.equal(status?.active, undefined);
    assert.equal(status?.lastSuccessfulTime, undefined);
    assert.equal(status?.lastScheduleTime, '2025-01-01T09:00:00Z');
  });

  it('lastSuccessfulTime takes the latest completion of any owned job', async () => {
    const h = new CronJobHarness();
    h.seedCronJob();
    h.seedJob('old-a', { finished: 'Complete', started: '2024-12-30T09:00:00Z', completed: '2024-12-30T09:05:00Z' });
    h.seedJob('old-b', { finished: 'Complete', started: '2024-12-31T09:00:00Z', completed: '2024-12-31T09:07:00Z' });
    await h.reconcile();
    assert.equal((await h.liveCronJob()).status?.lastSuccessfulTime, '2024-12-31T09:07:00Z');
    assert.deepEqual(h.events(), [], 'not listed as active, so nothing was "seen completed"');
  });

  it('a listed job gone from the API is dropped (MissingJob); one only missing from the cache stays', async () => {
    const h = await ranNineOClock('Allow');
    const nine = jobName('2025-01-01T09:00:00Z');
    await h.cronJobs.sync();
    await h.jobs.sync();
    await h.clients.resource(JOBS).delete(NS, nine);
    await h.reconciler.reconcile('default/backup'); // the job cache still has it: nothing to do
    assert.deepEqual(await activeNames(h), [nine]);

    const ten = jobName('2025-01-01T10:00:00Z');
    h.advanceTo('2025-01-01T10:00:00.100Z');
    await h.reconcile(); // creates 10:00 and notices 09:00 is gone
    assert.deepEqual(h.events(), [`Normal MissingJob: Active job went missing: ${nine}`, `Normal SuccessfulCreate: Created job ${ten}`]);
    assert.deepEqual(await activeNames(h), [ten]);

    await h.cronJobs.sync();
    await h.reconciler.reconcile('default/backup'); // the job cache has not seen 10:00 yet; the API has it
    assert.deepEqual(await activeNames(h), [ten]);
  });

  it('a running job of ours that status.active does not list: UnexpectedJob, and it is not adopted', async () => {
    const h = new CronJobHarness();
    h.seedCronJob();
    h.seedJob('hand-made', { started: '2025-01-01T08:00:00Z' });
    await h.reconcile();
    assert.deepEqual(h.events(), ['Warning UnexpectedJob: Saw a job that the controller did not create or forgot: hand-made']);
    assert.equal((await h.liveCronJob()).status?.active, undefined);
  });
});

describe('CronJobReconciler: history limits', () => {
  function seedHistory(h: CronJobHarness): void {
    for (const hour of [1, 2, 3, 4, 5]) h.seedJob(`ok-${hour}`, { finished: 'Complete', started: `2025-01-01T0${hour}:00:00Z`, completed: `2025-01-01T0${hour}:01:00Z` });
    h.seedJob('bad-1', { finished: 'Failed', started: '2025-01-01T01:30:00Z' });
    h.seedJob('bad-2', { finished: 'Failed', started: '2025-01-01T02:30:00Z' });
    h.seedJob('running', { started: '2025-01-01T00:00:00Z' });
  }

  it('keeps 3 complete and 1 failed job by default, deleting the oldest in the background', async () => {
    const h = new CronJobHarness();
    const previousOwner: CronJobObject = { metadata: { name: 'backup', uid: 'uid-of-an-earlier-backup' } };
    h.seedCronJob({}, { lastScheduleTime: '2025-01-01T00:00:00Z' });
    seedHistory(h);
    h.seedJob('earlier-cronjob-1', { owner: previousOwner, finished: 'Complete', started: '2024-12-01T00:00:00Z' });
    h.seedJob('earlier-cronjob-2', { owner: previousOwner, finished: 'Failed', started: '2024-12-01T00:00:00Z' });
    await h.reconcile();
    assert.deepEqual(h.deletes.calls.map((call) => call.name), ['ok-1', 'ok-2', 'bad-1']);
    assert.ok(h.deletes.calls.every((call) => call.options?.propagationPolicy === 'Background'));
    assert.deepEqual(h.events().filter((event) => event.includes('SuccessfulDelete')), [
      'Normal SuccessfulDelete: Deleted job ok-1', 'Normal SuccessfulDelete: Deleted job ok-2', 'Normal SuccessfulDelete: Deleted job bad-1',
    ]);
    assert.deepEqual(await h.liveJobNames(), ['bad-2', 'earlier-cronjob-1', 'earlier-cronjob-2', 'ok-3', 'ok-4', 'ok-5', 'running']);
  });

  it('honours explicit limits, zero included', async () => {
    const h = new CronJobHarness();
    h.seedCronJob({ successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 0 }, { lastScheduleTime: '2025-01-01T00:00:00Z' });
    seedHistory(h);
    await h.reconcile();
    assert.deepEqual(await h.liveJobNames(), ['ok-5', 'running']);
  });

  it('a failed delete is reported and the rest go on', async () => {
    const h = new CronJobHarness();
    h.seedCronJob({ successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 }, { lastScheduleTime: '2025-01-01T00:00:00Z' });
    seedHistory(h);
    h.clients.fail('delete', 'jobs', new Error('try later'), { times: 1 });
    await h.reconcile();
    assert.deepEqual(h.recorder.reasons().filter((reason) => reason.endsWith('Delete')), ['FailedDelete', 'SuccessfulDelete', 'SuccessfulDelete']);
    assert.deepEqual(await h.liveJobNames(), ['bad-2', 'ok-1', 'ok-3', 'ok-4', 'ok-5', 'running']);
  });
});
