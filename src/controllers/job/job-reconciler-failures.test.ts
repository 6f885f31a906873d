import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JobHarness, newJob, NS } from './job-harness.fixture.js';

const conditionTypes = (status: { conditions?: { type: string }[] } | undefined): string[] => (status?.conditions ?? []).map((c) => c.type);

describe('JobReconciler: failures', () => {
  let h: JobHarness;
  beforeEach(() => {
    h = new JobHarness();
  });

  async function podNamed(predicate: (name: string) => boolean = () => true): Promise<string> {
    const name = (await h.podNames()).find(predicate);
    assert.ok(name, 'a pod');
    return name;
  }

  it('past backoffLimit: FailureTarget, active pods deleted and counted, Failed once they are gone', async () => {
    h.seedJob(newJob({ parallelism: 2, completions: 2, backoffLimit: 0 }));
    await h.pass();
    const [a, b] = await h.podNames();
    await h.markRunning(b!, { ready: true });
    await h.finish(a!, 'Failed', { exitCode: 3 });
    await h.pass();

    let status = (await h.liveJob()).status!;
    const target = status.conditions?.find((c) => c.type === 'FailureTarget');
    assert.equal(target?.reason, 'BackoffLimitExceeded');
    assert.equal(target?.message, 'Job has reached the specified backoff limit');
    assert.deepEqual(conditionTypes(status), ['FailureTarget'], 'Failed waits for the deleted pod to be gone');
    assert.equal(status.failed, 2, 'the running pod counts as failed once the Job has failed');
    assert.equal(status.active, undefined);
    assert.equal(status.ready, 0);
    assert.equal(status.terminating, 1);
    assert.deepEqual(h.eventMessages('SuccessfulDelete'), [`Deleted pod: ${b!}`]);
    assert.equal(h.fake.writes('create', 'pods').length, 2, 'no replacement');

    await h.pass();
    status = (await h.liveJob()).status!;
    assert.deepEqual(conditionTypes(status), ['FailureTarget', 'Failed']);
    const failed = status.conditions![1]!;
    assert.equal(failed.reason, 'BackoffLimitExceeded');
    assert.equal(failed.message, 'Job has reached the specified backoff limit');
    assert.equal(status.completionTime, undefined);
    assert.equal(status.terminating, 0);
    assert.deepEqual(h.eventMessages('BackoffLimitExceeded'), ['Job has reached the specified backoff limit']);
    assert.equal(h.recorder.events.find((e) => e.reason === 'BackoffLimitExceeded')?.type, 'Warning');
  });

  it('the failure is declared only once every active pod could be deleted', async () => {
    h.seedJob(newJob({ parallelism: 2, completions: 2, backoffLimit: 0 }));
    await h.pass();
    const [a, b] = await h.podNames();
    await h.markRunning(b!);
    await h.finish(a!, 'Failed');
    const stop = h.fake.fail('delete', 'pods', new Error('apiserver unavailable'));
    await assert.rejects(h.pass(), /apiserver unavailable/);
    let status = (await h.liveJob()).status!;
    assert.deepEqual(conditionTypes(status), []);
    assert.equal(status.failed, 1, 'the failed pod is counted meanwhile');
    assert.deepEqual(h.eventMessages('FailedDelete'), ['Error deleting: apiserver unavailable']);
    stop();
    await h.pass();
    status = (await h.liveJob()).status!;
    assert.equal(conditionTypes(status)[0], 'FailureTarget');
  });

  it('failures up to backoffLimit are retried; one more fails the Job', async () => {
    h.seedJob(newJob({ backoffLimit: 1 }));
    await h.pass();
    await h.finish(await podNamed(), 'Failed');
    await h.pass();
    assert.equal((await h.liveJob()).status?.failed, 1);
    assert.deepEqual(conditionTypes((await h.liveJob()).status), []);
    h.clock.advance(10_000);
    await h.pass();
    const names = await h.podNames();
    assert.equal(names.length, 2, 'the failed pod is replaced');
    const replacement = (await h.livePods()).find((p) => p.status?.phase === undefined)!.metadata!.name!;
    await h.finish(replacement, 'Failed');
    await h.pass();
    assert.equal((await h.liveJob()).status?.failed, 2);
    assert.deepEqual(conditionTypes((await h.liveJob()).status), ['FailureTarget', 'Failed']);
  });

  it('replaces failed pods after a backoff that doubles: 10 s, then 20 s', async () => {
    h.seedJob(newJob({ backoffLimit: 6 }));
    await h.pass();
    await h.finish(await podNamed(), 'Failed');
    assert.deepEqual(await h.pass(), { requeueAfterMs: 10_000 });
    assert.equal(h.fake.writes('create', 'pods').length, 1);
    h.clock.advance(9_000);
    assert.deepEqual(await h.pass(), { requeueAfterMs: 1_000 });
    assert.equal(h.fake.writes('create', 'pods').length, 1);
    h.clock.advance(1_000);
    await h.pass();
    assert.equal(h.fake.writes('create', 'pods').length, 2);

    const second = (await h.livePods()).find((p) => p.status?.phase === undefined)!.metadata!.name!;
    await h.finish(second, 'Failed');
    assert.deepEqual(await h.pass(), { requeueAfterMs: 20_000 });
    h.clock.advance(19_500);
    // Never sooner than the 1 s batching period.
    assert.deepEqual(await h.pass(), { requeueAfterMs: 1_000 });
    assert.equal(h.fake.writes('create', 'pods').length, 2);
    h.clock.advance(500);
    await h.pass();
    assert.equal(h.fake.writes('create', 'pods').length, 3);
  });

  it('a success resets the backoff', async () => {
    h.seedJob(newJob({ parallelism: 2, completions: 4 }));
    await h.pass();
    const [a, b] = await h.podNames();
    await h.finish(a!, 'Failed');
    h.clock.advance(1000);
    await h.finish(b!, 'Succeeded');
    await h.pass();
    assert.equal(h.fake.writes('create', 'pods').length, 4, 'both replaced at once: the failure came before the success');
  });

  it('activeDeadlineSeconds: requeues for the deadline, then fails the Job with DeadlineExceeded', async () => {
    h.seedJob(newJob({ activeDeadlineSeconds: 60 }));
    assert.deepEqual(await h.pass(), { requeueAfterMs: 60_000 });
    const name = await podNamed();
    await h.markRunning(name);
    h.clock.advance(45_000);
    assert.deepEqual(await h.pass(), { requeueAfterMs: 15_000 });
    h.clock.advance(15_000);
    await h.pass();
    let status = (await h.liveJob()).status!;
    assert.deepEqual(conditionTypes(status), ['FailureTarget']);
    assert.equal(status.conditions![0]!.reason, 'DeadlineExceeded');
    assert.equal(status.conditions![0]!.message, 'Job was active longer than specified deadline');
    assert.deepEqual(h.eventMessages('SuccessfulDelete'), [`Deleted pod: ${name}`]);
    await h.pass();
    status = (await h.liveJob()).status!;
    assert.deepEqual(conditionTypes(status), ['FailureTarget', 'Failed']);
    assert.equal(status.conditions![1]!.reason, 'DeadlineExceeded');
    assert.deepEqual(h.eventMessages('DeadlineExceeded'), ['Job was active longer than specified deadline']);
  });

  it('restartPolicy OnFailure: container restarts count against backoffLimit', async () => {
    const job = newJob({ backoffLimit: 2 });
    job.spec!.template.spec!.restartPolicy = 'OnFailure';
    h.seedJob(job);
    await h.pass();
    const name = await podNamed();
    await h.markRunning(name, { restarts: 1 });
    await h.pass();
    assert.deepEqual(conditionTypes((await h.liveJob()).status), []);
    await h.markRunning(name, { restarts: 2 });
    await h.pass();
    assert.equal((await h.liveJob()).status?.conditions?.[0]?.reason, 'BackoffLimitExceeded');
  });

  it('podFailurePolicy FailJob: the matching exit code fails the Job at once, with the rule in the message', async () => {
    h.seedJob(newJob({
      parallelism: 2, completions: 2, backoffLimit: 6, podReplacementPolicy: 'Failed',
      podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [7] } }, { action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] },
    }));
    await h.pass();
    const [a, b] = await h.podNames();
    await h.markRunning(b!);
    await h.finish(a!, 'Failed', { exitCode: 42 });
    await h.pass();
    const status = (await h.liveJob()).status!;
    const target = status.conditions?.[0];
    assert.equal(target?.type, 'FailureTarget');
    assert.equal(target?.reason, 'PodFailurePolicy');
    assert.equal(target?.message, `Container c for pod ${NS}/${a!} failed with exit code 42 matching FailJob rule at index 1`);
    assert.deepEqual(h.eventMessages('SuccessfulDelete'), [`Deleted pod: ${b!}`]);
    await h.pass();
    assert.deepEqual(conditionTypes((await h.liveJob()).status), ['FailureTarget', 'Failed']);
    assert.equal(h.recorder.events.at(-1)?.reason, 'PodFailurePolicy');
  });

  it('podFailurePolicy Ignore: the failure is not counted and the pod is replaced', async () => {
    h.seedJob(newJob({
      backoffLimit: 0, podReplacementPolicy: 'Failed',
      podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] },
    }));
    await h.pass();
    const a = await podNamed();
    await h.finish(a, 'Failed', { exitCode: 137, conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler' }] });
    await h.pass();
    let job = await h.liveJob();
    assert.equal(job.status?.failed, undefined, 'backoffLimit 0 would have failed the Job had it counted');
    assert.deepEqual(conditionTypes(job.status), []);
    assert.deepEqual((await h.podClient.get(NS, a)).metadata?.finalizers, [], 'released all the same');
    h.clock.advance(10_000);
    await h.pass();
    job = await h.liveJob();
    assert.equal(h.fake.writes('create', 'pods').length, 2);
    assert.equal(job.status?.active, 1);
  });

  it('podFailurePolicy Count: counts like no policy', async () => {
    h.seedJob(newJob({
      backoffLimit: 0, podReplacementPolicy: 'Failed',
      podFailurePolicy: { rules: [{ action: 'Count', onExitCodes: { operator: 'NotIn', values: [0] } }] },
    }));
    await h.pass();
    await h.finish(await podNamed(), 'Failed', { exitCode: 2 });
    await h.pass();
    assert.equal((await h.liveJob()).status?.conditions?.[0]?.reason, 'BackoffLimitExceeded');
  });

  it('podReplacementPolicy Failed: a terminating pod is replaced only once it has failed', async () => {
    h.seedJob(newJob({ podReplacementPolicy: 'Failed' }));
    await h.pass();
    const a = await podNamed();
    await h.markRunning(a);
    await h.podClient.delete(NS, a);
    await h.pass();
    let status = (await h.liveJob()).status!;
    assert.equal(status.terminating, 1);
    assert.equal(status.active, undefined);
    assert.equal(status.failed, undefined);
    assert.equal(h.fake.writes('create', 'pods').length, 1, 'not replaced while terminating');
    await h.finish(a, 'Failed');
    await h.pass();
    status = (await h.liveJob()).status!;
    assert.equal(status.failed, 1);
    h.clock.advance(10_000);
    await h.pass();
    assert.equal(h.fake.writes('create', 'pods').length, 2);
  });

  it('podReplacementPolicy TerminatingOrFailed: a terminating pod counts as failed and is replaced while it terminates', async () => {
    h.seedJob(newJob({ podReplacementPolicy: 'TerminatingOrFailed' }));
    await h.pass();
    const a = await podNamed();
    await h.markRunning(a);
    // Something else holds the pod too, so it stays Terminating after we let go of it.
    await h.podClient.patch(NS, a, 'merge', { metadata: { finalizers: ['batch.kubernetes.io/job-tracking', 'example.com/hold'] } });
    await h.podClient.delete(NS, a);
    assert.deepEqual(await h.pass(), { requeueAfterMs: 10_000 });
    let status = (await h.liveJob()).status!;
    assert.equal(status.failed, 1);
    assert.equal(status.terminating, 1);
    h.clock.advance(10_000);
    await h.pass();
    status = (await h.liveJob()).status!;
    assert.equal(h.fake.writes('create', 'pods').length, 2);
    assert.equal(status.active, 1);
    assert.equal(status.terminating, 1);
  });
});
