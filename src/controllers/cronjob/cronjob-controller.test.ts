import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeEventRecorder } from '../../client/events/fake-event-recorder.js';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { SharedInformerFactory } from '../../client/informer/shared-informer-factory.js';
import { CRON_JOBS, JOBS } from '../../client/resource-types.js';
import { FakeClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import { ControllerHarness } from '../framework/controller-harness.fixture.js';
import { cronJobControllerWith } from './cronjob-controller.js';
import { cronJobSpec } from './cronjob-harness.fixture.js';
import type { CronJobObject, JobObject } from './cronjob-types.js';

const CRON_JOB: CronJobObject = { metadata: { name: 'backup', namespace: 'default' }, spec: cronJobSpec() };

async function settle(): Promise<void> {
  for (let i = 0; i < 30; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

describe('cronJobController wiring', () => {
  const aborts: AbortController[] = [];
  let harness: ControllerHarness | undefined;
  afterEach(() => {
    harness?.stop();
    for (const abort of aborts) abort.abort();
  });

  it('runs a job when due and sees it finish through the job informer', async () => {
    harness = new ControllerHarness(cronJobControllerWith({ localTimeZone: 'UTC' }));
    const h = harness;
    h.clock.advance(Date.parse('2025-01-01T08:30:00Z') - h.clock.now().getTime());
    await h.start();
    const cronJobs = h.clients.resource<CronJobObject>(CRON_JOBS);
    await cronJobs.create('default', CRON_JOB);
    await h.drain();
    assert.equal(h.clients.writes('create', 'jobs').length, 0);

    // The harness does not honour requeueAfter; an edit brings the CronJob back after 09:00.
    h.clock.advance(30 * 60_000 + 100);
    await cronJobs.patch('default', 'backup', 'merge', { metadata: { labels: { touched: 'yes' } } });
    await h.drain();
    const jobs = h.clients.resource<JobObject>(JOBS);
    const [job] = (await jobs.list('default')).items;
    assert.equal(job?.metadata?.name, 'backup-28928700');
    assert.equal((await cronJobs.get('default', 'backup')).status?.active?.length, 1);

    await jobs.updateStatus('default', { ...job, status: { conditions: [{ type: 'Complete', status: 'True' }], completionTime: '2025-01-01T09:05:00Z' } });
    await h.drain();
    const status = (await cronJobs.get('default', 'backup')).status;
    assert.equal(status?.active, undefined, 'the job update enqueued its CronJob');
    assert.equal(status?.lastSuccessfulTime, '2025-01-01T09:05:00Z');
  });

  it('enqueues owners of jobs, and a changed schedule for just after its next activation', async () => {
    const abort = new AbortController();
    aborts.push(abort);
    const clock = new FakeClock({ start: new Date('2025-01-01T08:30:00Z') });
    const clients = new FakeClientSet({ clock });
    const informers = new SharedInformerFactory({ clients });
    const registration = cronJobControllerWith({ localTimeZone: 'UTC' })({
      clients, informers, clock, logger: silentLogger(), recorder: new FakeEventRecorder(), signal: abort.signal,
    });
    const now: string[] = [];
    const later: [string, number][] = [];
    registration.connect((key) => now.push(key), (key, delayMs) => later.push([key, delayMs]));
    informers.start(abort.signal);
    await informers.waitForSync(abort.signal);

    const cronJob = await clients.resource<CronJobObject>(CRON_JOBS).create('default', CRON_JOB);
    await settle();
    assert.deepEqual(now, ['default/backup']);

    clock.advance(10 * 60_000);
    await clients.resource(CRON_JOBS).patch('default', 'backup', 'merge', { spec: { schedule: '0 10 * * *' } });
    await settle();
    assert.deepEqual(later, [['default/backup', 80 * 60_000 + 100]], '10:00 from 08:40, plus 100 ms');
    assert.equal(now.length, 1);

    const owned = (uid: string, kind = 'CronJob'): JobObject => ({
      metadata: { generateName: 'j-', ownerReferences: [{ apiVersion: 'batch/v1', kind, name: 'backup', uid, controller: true }] },
      spec: { template: {} },
    });
    await clients.resource<JobObject>(JOBS).create('default', owned(cronJob.metadata!.uid!));
    await clients.resource<JobObject>(JOBS).create('default', owned('some-other-uid'));
    await clients.resource<JobObject>(JOBS).create('default', owned(cronJob.metadata!.uid!, 'Deployment'));
    await settle();
    assert.deepEqual(now, ['default/backup', 'default/backup'], 'only the job this CronJob controls');
  });
});
