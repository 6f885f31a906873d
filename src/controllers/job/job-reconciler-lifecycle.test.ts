import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PODS } from '../../client/resource-types.js';
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { JOB_NAME_LABEL, JobHarness, newJob, NS } from './job-harness.fixture.js';
import { JOB_TRACKING_FINALIZER } from './job-types.js';

describe('JobReconciler: suspend, scaling, deletion, adoption', () => {
  let h: JobHarness;
  beforeEach(() => {
    h = new JobHarness();
  });

  const suspended = async (): Promise<{ status?: string; reason?: string; message?: string } | undefined> =>
    (await h.liveJob()).status?.conditions?.find((c) => c.type === 'Suspended');

  async function setSpec(spec: Record<string, unknown>): Promise<void> {
    await h.jobClient.patch(NS, 'work', 'merge', { spec });
  }

  it('a Job created suspended starts no pod and no clock; resuming starts both', async () => {
    h.seedJob(newJob({ suspend: true, parallelism: 2, completions: 2 }));
    await h.pass();
    assert.equal((await h.livePods()).length, 0);
    assert.equal((await h.liveJob()).status?.startTime, undefined);
    assert.deepEqual(await suspended(), {
      type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended',
      lastProbeTime: '2025-01-01T00:00:00Z', lastTransitionTime: '2025-01-01T00:00:00Z',
    });
    assert.deepEqual(h.eventMessages('Suspended'), ['Job suspended']);

    h.clock.advance(60_000);
    await setSpec({ suspend: false });
    await h.pass();
    assert.equal((await h.livePods()).length, 2);
    const status = (await h.liveJob()).status!;
    assert.equal(status.startTime, '2025-01-01T00:01:00Z');
    assert.equal((await suspended())?.status, 'False');
    assert.equal((await suspended())?.reason, 'JobResumed');
    assert.deepEqual(h.eventMessages('Resumed'), ['Job resumed']);
  });

  it('suspending deletes the active pods without counting them as failures; resuming resets startTime', async () => {
    h.seedJob(newJob({ parallelism: 2, completions: 2, activeDeadlineSeconds: 600 }));
    await h.pass();
    const names = await h.podNames();
    for (const name of names) await h.markRunning(name, { ready: true });
    h.clock.advance(30_000);
    await setSpec({ suspend: true });
    // Suspended: the active deadline does not run.
    assert.equal(await h.pass(), undefined);
    assert.deepEqual(h.eventMessages('SuccessfulDelete').sort(), names.map((n) => `Deleted pod: ${n}`).sort());
    assert.equal(h.fake.writes('patch', 'pods').filter((a) => a.subresource === undefined).length, 2, 'finalizers removed before the deletes');
    let status = (await h.liveJob()).status!;
    assert.equal(status.active, undefined);
    assert.equal(status.ready, 0);
    assert.equal(status.failed, undefined);
    assert.equal((await suspended())?.status, 'True');
    await h.pass();
    assert.equal((await h.liveJob()).status?.failed, undefined);

    h.clock.advance(100_000);
    await setSpec({ suspend: false });
    assert.deepEqual(await h.pass(), { requeueAfterMs: 600_000 }, 'the deadline counts from the resume');
    status = (await h.liveJob()).status!;
    assert.equal(status.startTime, '2025-01-01T00:02:10Z');
    assert.equal(status.active, 2);
  });

  it('lowering parallelism deletes the least advanced pods, uncounted', async () => {
    h.seedJob(newJob({ parallelism: 3, completions: 10 }));
    await h.pass();
    const [a, b, c] = await h.podNames();
    await h.markRunning(a!, { ready: true });
    await h.markRunning(b!);
    await setSpec({ parallelism: 1 });
    await h.pass();
    assert.deepEqual(await h.podNames(), [a!]);
    assert.deepEqual(h.eventMessages('SuccessfulDelete').sort(), [`Deleted pod: ${b!}`, `Deleted pod: ${c!}`].sort());
    const status = (await h.liveJob()).status!;
    assert.equal(status.active, 1);
    assert.equal(status.failed, undefined);
  });

  it('a Job being deleted releases every pod: finalizers removed, nothing created', async () => {
    h.seedJob({ ...newJob({ parallelism: 2, completions: 4 }), metadata: { name: 'work', namespace: NS, finalizers: ['foregroundDeletion'] } });
    await h.pass();
    const names = await h.podNames();
    await h.finish(names[0]!, 'Succeeded');
    await h.markRunning(names[1]!);
    await h.jobClient.delete(NS, 'work', { propagationPolicy: 'Foreground' });
    await h.pass();
    for (const pod of await h.livePods()) assert.deepEqual(pod.metadata!.finalizers, [], pod.metadata!.name);
    assert.equal(h.fake.writes('create', 'pods').length, 2);
    assert.equal((await h.liveJob()).status?.succeeded, 1);
  });

  it('adopts a matching orphan (reference and finalizer) and releases a pod that stopped matching', async () => {
    const job = h.seedJob(newJob({ parallelism: 2, completions: 2 }));
    const ownRef = { apiVersion: 'batch/v1', kind: 'Job', name: 'work', uid: job.metadata!.uid!, controller: true, blockOwnerDeletion: true };
    const pod = (name: string, labels: Record<string, string>, owned: boolean): Pod => ({
      metadata: { name, namespace: NS, labels, ...(owned ? { ownerReferences: [ownRef], finalizers: [JOB_TRACKING_FINALIZER] } : {}) },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    });
    h.fake.seed(PODS, pod('stray', { [JOB_NAME_LABEL]: 'work' }, false), pod('relabelled', { app: 'other' }, true));
    await h.pass();
    const stray = await h.podClient.get(NS, 'stray');
    assert.deepEqual(stray.metadata!.ownerReferences, [ownRef]);
    assert.deepEqual(stray.metadata!.finalizers, [JOB_TRACKING_FINALIZER]);
    const relabelled = await h.podClient.get(NS, 'relabelled');
    assert.equal(relabelled.metadata!.ownerReferences, undefined);
    assert.equal(relabelled.metadata!.finalizers, undefined);
    assert.equal(h.fake.writes('create', 'pods').length, 1, 'the adopted pod is one of the two');
  });
});
