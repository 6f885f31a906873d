import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CRON_JOBS } from '../../client/resource-types.js';
import { BadRequestError, ConflictError } from '../../lib/errors.js';
import { CronJobHarness, NS } from './cronjob-harness.fixture.js';
import { SCHEDULED_TIMESTAMP_ANNOTATION } from './cronjob-types.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** `backup-<minutes since the epoch>` for a scheduled time. */
function jobName(scheduled: string): string {
  return `backup-${Math.floor(Date.parse(scheduled) / MINUTE)}`;
}

describe('CronJobReconciler: when jobs start', () => {
  it('creates the job at the scheduled time and not before, and requeues for the next one', async () => {
    const h = new CronJobHarness(); // 08:30Z, schedule 0 9 * * *
    const cronJob = h.seedCronJob();
    assert.deepEqual(await h.reconcile(), { requeueAfterMs: 30 * MINUTE + 100 });
    h.advanceTo('2025-01-01T08:59:59.999Z');
    assert.deepEqual(await h.reconcile(), { requeueAfterMs: 101 });
    assert.deepEqual(await h.liveJobNames(), []);

    h.advanceTo('2025-01-01T09:00:00.100Z');
    assert.deepEqual(await h.reconcile(), { requeueAfterMs: 24 * HOUR }, 'tomorrow 09:00 + 100 ms, from 09:00:00.100');
    const [job] = await h.liveJobs();
    assert.equal(job?.metadata?.name, 'backup-28928700');
    assert.deepEqual(job?.metadata?.labels, { app: 'backup' });
    assert.deepEqual(job?.metadata?.annotations, { team: 'storage', [SCHEDULED_TIMESTAMP_ANNOTATION]: '2025-01-01T09:00:00Z' });
    assert.deepEqual(job?.metadata?.ownerReferences, [
      { apiVersion: 'batch/v1', kind: 'CronJob', name: 'backup', uid: cronJob.metadata!.uid, controller: true, blockOwnerDeletion: true },
    ]);
    assert.deepEqual(job?.spec, cronJob.spec!.jobTemplate.spec);
    assert.deepEqual(h.events(), ['Normal SuccessfulCreate: Created job backup-28928700']);

    const status = (await h.liveCronJob()).status;
    assert.equal(status?.lastScheduleTime, '2025-01-01T09:00:00Z');
    assert.deepEqual(status?.active, [{
      kind: 'Job', apiVersion: 'batch/v1', namespace: NS, name: 'backup-28928700', uid: job.metadata.uid, resourceVersion: job.metadata.resourceVersion,
    }]);
    const cronJobWrites = h.clients.writes('update', 'cronjobs');
    assert.equal(cronJobWrites.length, 1);
    assert.equal(cronJobWrites[0]!.subresource, 'status', 'status goes through the status subresource');
  });

  it('a second pass for the same activation creates nothing, even with a stale CronJob cache', async () => {
    const h = new CronJobHarness({ start: '2025-01-01T09:00:00.100Z' });
    h.seedCronJob({}, { created: '2025-01-01T08:00:00Z' });
    await h.reconcile();
    assert.deepEqual(await h.reconcile(), { requeueAfterMs: 24 * HOUR });
    assert.equal(h.clients.writes('create', 'jobs').length, 1);

    // Now the job cache sees the new job but the CronJob cache misses the status that records it:
    // the live CronJob is read, and the pass goes on from it.
    const stale = new CronJobHarness({ start: '2025-01-01T09:00:00.100Z' });
    stale.seedCronJob({}, { created: '2025-01-01T08:00:00Z' });
    await stale.cronJobs.sync();
    await stale.jobs.sync();
    await stale.reconciler.reconcile('default/backup');
    await stale.jobs.sync();
    assert.deepEqual(await stale.reconciler.reconcile('default/backup'), { requeueAfterMs: 24 * HOUR });
    assert.equal(stale.clients.writes('create', 'jobs').length, 1);
    assert.equal(stale.clients.writes('update', 'cronjobs').length, 1, 'nothing new to write');
    assert.deepEqual(stale.recorder.reasons(), ['SuccessfulCreate'], 'no UnexpectedJob');
  });

  it('a create retried after a failed status write takes its own existing job (AlreadyExists is success)', async () => {
    const h = new CronJobHarness({ start: '2025-01-01T09:00:00.100Z' });
    h.seedCronJob({}, { created: '2025-01-01T08:00:00Z' });
    h.clients.fail('update', 'cronjobs/status', new ConflictError('the object has been modified'), { times: 1 });
    await assert.rejects(h.reconcile(), ConflictError);
    assert.equal((await h.liveCronJob()).status?.active, undefined);
    // Retry before the job cache has seen the job: the create answers AlreadyExists.
    await h.cronJobs.sync();
    await h.reconciler.reconcile('default/backup');
    assert.equal(h.clients.writes('create', 'jobs').length, 2);
    const [job] = await h.liveJobs();
    const status = (await h.liveCronJob()).status;
    assert.deepEqual(status?.active?.map((ref) => ref.uid), [job!.metadata!.uid]);
    assert.equal(status?.lastScheduleTime, '2025-01-01T09:00:00Z');
    assert.deepEqual(h.recorder.reasons(), ['SuccessfulCreate'], 'no second SuccessfulCreate');
  });

  it('after downtime the missed activations run once: the latest', async () => {
    const h = new CronJobHarness();
    h.seedCronJob({ schedule: '0 * * * *' });
    h.advanceTo('2025-01-01T13:20:00Z');
    assert.deepEqual(await h.reconcile(), { requeueAfterMs: 40 * MINUTE + 100 });
    assert.deepEqual(await h.liveJobNames(), [jobName('2025-01-01T13:00:00Z')]);
    assert.equal((await h.liveCronJob()).status?.lastScheduleTime, '2025-01-01T13:00:00Z');
    assert.deepEqual(h.recorder.reasons(), ['SuccessfulCreate']);
  });

  it('more than 100 missed activations: a TooManyMissedTimes warning, and the latest still runs', async () => {
    const h = new CronJobHarness();
    h.seedCronJob({ schedule: '* * * * *' });
    h.advanceTo('2025-01-01T11:30:10Z');
    await h.reconcile();
    assert.deepEqual(h.events(), [
      'Warning TooManyMissedTimes: too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
      `Normal SuccessfulCreate: Created job ${jobName('2025-01-01T11:30:00Z')}`,
    ]);
  });

  it('startingDeadlineSeconds: an activation missed by more than the deadline is skipped', async () => {
    const late = new CronJobHarness();
    late.seedCronJob({ startingDeadlineSeconds: 60 });
    late.advanceTo('2025-01-01T09:01:00.001Z');
    assert.deepEqual(await late.reconcile(), { requeueAfterMs: 24 * HOUR - MINUTE + 99 });
    assert.deepEqual(await late.liveJobNames(), []);
    assert.deepEqual(late.events(), []);

    const inTime = new CronJobHarness();
    inTime.seedCronJob({ startingDeadlineSeconds: 60 });
    inTime.advanceTo('2025-01-01T09:00:59Z');
    await inTime.reconcile();
    assert.deepEqual(await inTime.liveJobNames(), ['backup-28928700']);
  });

  it('suspend: nothing starts and nothing is requeued; resuming runs the missed activation', async () => {
    const h = new CronJobHarness();
    h.seedCronJob({ suspend: true });
    h.advanceTo('2025-01-01T09:30:00Z');
    assert.equal(await h.reconcile(), undefined);
    assert.deepEqual(await h.liveJobNames(), []);
    await h.clients.resource(CRON_JOBS).patch(NS, 'backup', 'merge', { spec: { suspend: false } });
    await h.reconcile();
    assert.deepEqual(await h.liveJobNames(), ['backup-28928700']);
  });

  it('@every schedules count from creation', async () => {
    const h = new CronJobHarness();
    h.seedCronJob({ schedule: '@every 2h' });
    assert.deepEqual(await h.reconcile(), { requeueAfterMs: 2 * HOUR + 100 });
    h.advanceTo('2025-01-01T10:30:00Z');
    await h.reconcile();
    assert.deepEqual(await h.liveJobNames(), [jobName('2025-01-01T10:30:00Z')]);
  });
});

describe('CronJobReconciler: time zones', () => {
  it('spec.timeZone decides when the job runs and how the annotation reads', async () => {
    const h = new CronJobHarness();
    h.seedCronJob({ timeZone: 'America/New_York' });
    assert.deepEqual(await h.reconcile(), { requeueAfterMs: 5 * HOUR + 30 * MINUTE + 100 }, '09:00 in New York is 14:00Z');
    h.advanceTo('2025-01-01T14:00:00Z');
    await h.reconcile();
    const [job] = await h.liveJobs();
    assert.equal(job?.metadata?.name, jobName('2025-01-01T14:00:00Z'));
    assert.equal(job?.metadata?.annotations?.[SCHEDULED_TIMESTAMP_ANNOTATION], '2025-01-01T09:00:00-05:00');
  });

  it("without spec.timeZone the controller's zone is used, and the annotation is in UTC", async () => {
    const h = new CronJobHarness({ start: '2024-12-31T23:30:00Z', localTimeZone: 'Asia/Tokyo' });
    h.seedCronJob();
    assert.deepEqual(await h.reconcile(), { requeueAfterMs: 30 * MINUTE + 100 }, '09:00 in Tokyo is 00:00Z');
    h.advanceTo('2025-01-01T00:00:00Z');
    await h.reconcile();
    const [job] = await h.liveJobs();
    assert.equal(job?.metadata?.annotations?.[SCHEDULED_TIMESTAMP_ANNOTATION], '2025-01-01T00:00:00Z');
  });

  it('requeues across a DST change to the right instant (02:30 does not exist in Berlin on 2025-03-30)', async () => {
    const h = new CronJobHarness({ start: '2025-03-29T12:00:00Z' });
    h.seedCronJob({ schedule: '30 2 * * *', timeZone: 'Europe/Berlin' });
    assert.deepEqual(await h.reconcile(), { requeueAfterMs: Date.parse('2025-03-31T00:30:00Z') - Date.parse('2025-03-29T12:00:00Z') + 100 });
  });

  it('a TZ= prefix in the schedule works, with an UnsupportedSchedule warning', async () => {
    const h = new CronJobHarness();
    h.seedCronJob({ schedule: 'TZ=America/New_York 0 9 * * *' });
    assert.deepEqual(await h.reconcile(), { requeueAfterMs: 5 * HOUR + 30 * MINUTE + 100 });
    assert.deepEqual(h.recorder.reasons(), ['UnsupportedSchedule']);
  });
});

describe('CronJobReconciler: what the user must fix', () => {
  async function eventsFor(spec: Parameters<CronJobHarness['seedCronJob']>[0]): Promise<{ result: unknown; events: string[]; jobs: string[] }> {
    const h = new CronJobHarness();
    h.seedCronJob(spec);
    h.advanceTo('2025-06-01T00:00:00Z');
    const result = await h.reconcile();
    return { result, events: h.events(), jobs: await h.liveJobNames() };
  }

  it('an unknown time zone: UnknownTimeZone, no job, no requeue', async () => {
    assert.deepEqual(await eventsFor({ timeZone: 'Mars/Olympus' }), {
      result: undefined, jobs: [], events: ['Warning UnknownTimeZone: invalid timeZone: "Mars/Olympus": unknown time zone Mars/Olympus'],
    });
  });

  it('a schedule that does not parse: UnparseableSchedule, no job, no requeue', async () => {
    assert.deepEqual(await eventsFor({ schedule: '0 9 * *' }), {
      result: undefined, jobs: [], events: ['Warning UnparseableSchedule: unparseable schedule: "0 9 * *" : expected exactly 5 fields, found 4: [0 9 * *]'],
    });
  });

  it('a schedule that never fires (Feb 30): InvalidSchedule, no job, no requeue', async () => {
    assert.deepEqual(await eventsFor({ schedule: '0 0 30 2 *' }), {
      result: undefined, jobs: [], events: ['Warning InvalidSchedule: invalid schedule: 0 0 30 2 * : time difference between two schedules is less than 1 second'],
    });
  });
});

describe('CronJobReconciler: failures and edges', () => {
  it('a failed create: FailedCreate, the error is thrown, nothing is recorded', async () => {
    const h = new CronJobHarness({ start: '2025-01-01T09:00:00Z' });
    h.seedCronJob({}, { created: '2025-01-01T08:00:00Z' });
    h.clients.fail('create', 'jobs', new BadRequestError('exceeded quota'));
    await assert.rejects(h.reconcile(), BadRequestError);
    assert.deepEqual(h.events(), ['Warning FailedCreate: Error creating job: exceeded quota']);
    assert.equal((await h.liveCronJob()).status?.lastScheduleTime, undefined);
  });

  it('the status write carries the resourceVersion read: a stale copy conflicts', async () => {
    const h = new CronJobHarness({ start: '2025-01-01T09:00:00Z' });
    h.seedCronJob({}, { created: '2025-01-01T08:00:00Z' });
    await h.cronJobs.sync();
    await h.jobs.sync();
    await h.clients.resource(CRON_JOBS).patch(NS, 'backup', 'merge', { metadata: { labels: { edited: 'yes' } } });
    await assert.rejects(h.reconciler.reconcile('default/backup'), ConflictError);
  });

  it('a CronJob being deleted starts nothing', async () => {
    const h = new CronJobHarness({ start: '2025-01-01T09:00:00Z' });
    h.clients.seed(CRON_JOBS, {
      metadata: { name: 'backup', namespace: NS, creationTimestamp: '2025-01-01T08:00:00Z', finalizers: ['example.com/hold'] },
      spec: { schedule: '0 9 * * *', jobTemplate: {} },
    });
    await h.clients.resource(CRON_JOBS).delete(NS, 'backup');
    assert.equal(await h.reconcile(), undefined);
    assert.deepEqual(await h.liveJobNames(), []);
  });

  it('a CronJob that is gone is nothing to do', async () => {
    const h = new CronJobHarness();
    assert.equal(await h.reconcile(), undefined);
    assert.equal(h.clients.actions.length, 0);
  });
});
