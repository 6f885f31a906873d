import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequestError, ConflictError } from '../../lib/errors.js';
import { JOB_KEY, JobHarness, newJob, NS } from './job-harness.fixture.js';
import { JOB_TRACKING_FINALIZER } from './job-types.js';

const conditionTypes = (status: { conditions?: { type: string }[] } | undefined): string[] => (status?.conditions ?? []).map((c) => c.type);

describe('JobReconciler: pods and completion', () => {
  let h: JobHarness;
  beforeEach(() => {
    h = new JobHarness();
  });

  it('creates pods up to parallelism: from the template, owned, tracked, with events and status', async () => {
    const job = h.seedJob(newJob({ parallelism: 2, completions: 5 }));
    await h.pass();
    const pods = await h.livePods();
    assert.equal(pods.length, 2);
    for (const pod of pods) {
      assert.match(pod.metadata!.name!, /^work-[a-z0-9]{5}$/);
      assert.deepEqual(pod.metadata!.labels, { 'batch.kubernetes.io/job-name': 'work', app: 'batch' });
      assert.deepEqual(pod.metadata!.ownerReferences, [
        { apiVersion: 'batch/v1', kind: 'Job', name: 'work', uid: job.metadata!.uid, controller: true, blockOwnerDeletion: true },
      ]);
      assert.deepEqual(pod.metadata!.finalizers, [JOB_TRACKING_FINALIZER]);
      assert.equal(pod.spec!.restartPolicy, 'Never');
    }
    assert.deepEqual(h.recorder.reasons(), ['SuccessfulCreate', 'SuccessfulCreate']);
    assert.match(h.recorder.events[0]!.message, /^Created pod: work-[a-z0-9]{5}$/);
    const status = (await h.liveJob()).status!;
    assert.equal(status.active, 2);
    assert.equal(status.ready, 0);
    assert.equal(status.terminating, 0);
    assert.equal(status.startTime, '2025-01-01T00:00:00Z');
    assert.deepEqual(status.uncountedTerminatedPods, {});
    assert.equal(status.succeeded, undefined);
    // A pass over the same state changes nothing.
    await h.pass();
    assert.equal(h.fake.writes('create', 'pods').length, 2);
  });

  it('never wants more active pods than completions still missing', async () => {
    h.seedJob(newJob({ parallelism: 5, completions: 2 }));
    await h.pass();
    assert.equal((await h.livePods()).length, 2);
  });

  it('expectations keep a lagging pod cache from creating twice', async () => {
    h.seedJob(newJob({ parallelism: 2, completions: 2 }));
    await h.observe();
    await h.reconciler.reconcile(JOB_KEY);
    assert.equal(h.fake.writes('create', 'pods').length, 2);
    // The Job cache moves on, the pod cache still shows nothing: no second round of creates.
    await h.jobs.sync();
    await h.reconciler.reconcile(JOB_KEY);
    assert.equal(h.fake.writes('create', 'pods').length, 2);
    assert.deepEqual(h.expectations.pending(JOB_KEY), { adds: 2, deletes: 0 });
    await h.pass();
    assert.equal(h.fake.writes('create', 'pods').length, 2);
    assert.equal((await h.liveJob()).status?.active, 2);
  });

  it('creates in slow-start batches and stops at the first failing batch', async () => {
    h.seedJob(newJob({ parallelism: 10, completions: 10 }));
    let creates = 0;
    h.fake.addReactor((action) => {
      if (action.verb !== 'create' || action.resource !== 'pods') return undefined;
      creates += 1;
      return creates === 5 ? new BadRequestError('exceeded quota') : undefined;
    });
    await h.observe();
    await assert.rejects(h.reconciler.reconcile(JOB_KEY), BadRequestError);
    // Batches 1, 2, 4: the fifth call fails inside the batch of 4; the last 3 never start.
    assert.equal(creates, 7);
    assert.equal((await h.livePods()).length, 6);
    assert.deepEqual(h.eventMessages('FailedCreate'), ['Error creating: exceeded quota']);
    assert.deepEqual(h.expectations.pending(JOB_KEY), { adds: 6, deletes: 0 });
    assert.equal((await h.liveJob()).status?.active, 6, 'status is written before the error is returned');
  });

  it('completes at `completions`: SuccessCriteriaMet with the uids first, then the count and Complete', async () => {
    h.seedJob(newJob({ parallelism: 2, completions: 2 }));
    await h.pass();
    const [a, b] = await h.livePods();
    h.clock.advance(5000);
    await h.finish(a!.metadata!.name!, 'Succeeded');
    await h.finish(b!.metadata!.name!, 'Succeeded');
    h.clients.statusWrites.length = 0;
    await h.pass();

    const [recorded, counted, ...more] = h.clients.statusWrites;
    assert.equal(more.length, 0);
    assert.deepEqual([...recorded!.uncountedTerminatedPods!.succeeded!].sort(), [a!.metadata!.uid, b!.metadata!.uid].sort());
    assert.equal(recorded!.succeeded, undefined);
    assert.deepEqual(conditionTypes(recorded), ['SuccessCriteriaMet']);
    assert.equal(counted!.succeeded, 2);
    assert.deepEqual(counted!.uncountedTerminatedPods, {});
    assert.deepEqual(conditionTypes(counted), ['SuccessCriteriaMet', 'Complete']);
    const complete = counted!.conditions![1]!;
    assert.equal(complete.status, 'True');
    assert.equal(complete.reason, undefined, '1.32 leaves the reason of a completions-reached success empty');
    assert.equal(counted!.completionTime, '2025-01-01T00:00:05Z');
    assert.equal(counted!.active, undefined);
    for (const pod of await h.livePods()) assert.deepEqual(pod.metadata!.finalizers, []);
    assert.deepEqual(h.eventMessages('Completed'), ['Job completed']);
    // A finished Job is left alone.
    await h.pass();
    assert.equal(h.clients.statusWrites.length, 2);
    assert.equal(h.fake.writes('create', 'pods').length, 2);
  });

  it('creates the next pod while counting the one that succeeded', async () => {
    h.seedJob(newJob({ parallelism: 1, completions: 3 }));
    await h.pass();
    const [a] = await h.livePods();
    await h.finish(a!.metadata!.name!, 'Succeeded');
    await h.pass();
    assert.equal((await h.livePods()).length, 2);
    const status = (await h.liveJob()).status!;
    assert.equal(status.succeeded, 1);
    assert.equal(status.active, 1);
    assert.deepEqual(conditionTypes(status), []);
  });

  it('without completions, the first success completes the Job once no pod is active', async () => {
    h.seedJob(newJob({ parallelism: 2, completions: undefined }));
    await h.pass();
    const [a, b] = await h.livePods();
    await h.finish(a!.metadata!.name!, 'Succeeded');
    await h.pass();
    let job = await h.liveJob();
    assert.equal(job.status?.succeeded, 1);
    assert.deepEqual(conditionTypes(job.status), [], 'b is still running');
    assert.equal(h.fake.writes('create', 'pods').length, 2, 'no new pod after a success');
    await h.finish(b!.metadata!.name!, 'Failed');
    await h.pass();
    job = await h.liveJob();
    assert.deepEqual(conditionTypes(job.status), ['SuccessCriteriaMet', 'Complete']);
    assert.equal(job.status?.failed, 1);
  });

  it('counts a pod once when the pod cache still shows it with the finalizer', async () => {
    h.seedJob(newJob({ parallelism: 1, completions: 3 }));
    await h.pass();
    const [a] = await h.livePods();
    await h.finish(a!.metadata!.name!, 'Succeeded');
    await h.observe();
    await h.reconciler.reconcile(JOB_KEY);
    assert.equal((await h.liveJob()).status?.succeeded, 1);
    // The Job cache has the new count; the pod cache still has `a` Succeeded with its finalizer.
    await h.jobs.sync();
    assert.deepEqual(h.pods.get(NS, a!.metadata!.name!)?.metadata?.finalizers, [JOB_TRACKING_FINALIZER]);
    await h.reconciler.reconcile(JOB_KEY);
    assert.equal((await h.liveJob()).status?.succeeded, 1);
    assert.deepEqual((await h.liveJob()).status?.uncountedTerminatedPods, {});
    await h.pass();
    assert.equal((await h.liveJob()).status?.succeeded, 1);
  });

  it('counts a pod recorded as uncounted exactly once even if it disappears before its finalizer is removed', async () => {
    h.seedJob(newJob());
    await h.pass();
    const [a] = await h.livePods();
    const name = a!.metadata!.name!;
    await h.finish(name, 'Succeeded');
    h.fake.fail('patch', 'pods', new BadRequestError('etcd hiccup'), { times: 1 });
    await assert.rejects(h.pass(), /etcd hiccup/);
    let status = (await h.liveJob()).status!;
    assert.deepEqual(status.uncountedTerminatedPods?.succeeded, [a!.metadata!.uid]);
    assert.equal(status.succeeded, undefined);
    // Someone force-removes the pod before the next pass.
    await h.podClient.patch(NS, name, 'merge', { metadata: { finalizers: null } });
    await h.podClient.delete(NS, name);
    await h.pass();
    status = (await h.liveJob()).status!;
    assert.equal(status.succeeded, 1);
    assert.deepEqual(status.uncountedTerminatedPods, {});
    assert.deepEqual(conditionTypes(status), ['SuccessCriteriaMet', 'Complete']);
    await h.pass();
    assert.equal((await h.liveJob()).status?.succeeded, 1);
  });

  it('writes status with the resourceVersion it read: a stale Job cache conflicts instead of counting twice', async () => {
    h.seedJob(newJob({ parallelism: 1, completions: 2 }));
    await h.pass();
    const [a] = await h.livePods();
    await h.finish(a!.metadata!.name!, 'Succeeded');
    await h.observe();
    // Another writer changes the Job's status after our cache read it.
    const live = await h.liveJob();
    await h.jobClient.updateStatus(NS, { ...live, status: { ...live.status, ready: 0 } });
    await assert.rejects(h.reconciler.reconcile(JOB_KEY), ConflictError);
    await h.pass();
    assert.equal((await h.liveJob()).status?.succeeded, 1);
  });

  it('a Job managed by another controller is left alone', async () => {
    h.seedJob(newJob({ managedBy: 'example.com/other' }));
    await h.pass();
    assert.equal(h.fake.writes().length, 0);
  });

  it('a missing Job forgets its expectations', async () => {
    h.expectations.expectCreations(JOB_KEY, 3);
    h.finalizerExpectations.expectRemovals(JOB_KEY, ['x']);
    await h.pass();
    assert.equal(h.expectations.pending(JOB_KEY), undefined);
    assert.equal(h.finalizerExpectations.expected(JOB_KEY).size, 0);
  });
});
