import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JOBS, PODS } from '../../client/resource-types.js';
import type { ControllerFactory } from '../framework/controller-context.js';
import { ControllerHarness } from '../framework/controller-harness.fixture.js';
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { jobController } from './job-controller.js';
import { newJob, NS } from './job-harness.fixture.js';
import { JOB_TRACKING_FINALIZER, type JobObject } from './job-types.js';
import { jobOrphanPodController } from './orphan-pod-controller.js';

describe('jobController and jobOrphanPodController wiring', () => {
  const harnesses: ControllerHarness[] = [];
  afterEach(() => {
    for (const h of harnesses.splice(0)) h.stop();
  });

  async function start(factory: ControllerFactory): Promise<ControllerHarness> {
    const h = new ControllerHarness(factory);
    harnesses.push(h);
    await h.start();
    return h;
  }

  async function succeed(h: ControllerHarness, name: string): Promise<void> {
    await h.clients.resource<Pod>(PODS).patch(NS, name, 'merge', { status: { phase: 'Succeeded' } }, { subresource: 'status' });
  }

  it('runs a Job to completion through the informers: pods seen, counted, released', async () => {
    const h = await start(jobController);
    await h.clients.resource<JobObject>(JOBS).create(NS, newJob({ parallelism: 2, completions: 3 }));
    await h.drain();
    const pods = h.clients.resource<Pod>(PODS);
    let items = (await pods.list(NS)).items;
    assert.equal(items.length, 2);
    for (const pod of items) await succeed(h, pod.metadata!.name!);
    // Only possible if the ADDED events fulfilled the creation expectations.
    await h.drain();
    items = (await pods.list(NS)).items;
    assert.equal(items.length, 3);
    await succeed(h, items.find((p) => p.status?.phase !== 'Succeeded')!.metadata!.name!);
    await h.drain();
    const job = await h.clients.resource<JobObject>(JOBS).get(NS, 'work');
    assert.equal(job.status?.succeeded, 3);
    assert.deepEqual(job.status?.conditions?.map((c) => c.type), ['SuccessCriteriaMet', 'Complete']);
    for (const pod of (await pods.list(NS)).items) assert.deepEqual(pod.metadata!.finalizers, []);
    assert.equal(h.clients.writes('create', 'pods').length, 3);
  });

  it('a deleted Job’s pods lose the tracking finalizer, so they do not hang in Terminating', async () => {
    const h = await start(withOrphanPods);
    await h.clients.resource<JobObject>(JOBS).create(NS, newJob());
    await h.drain();
    const pods = h.clients.resource<Pod>(PODS);
    const [pod] = (await pods.list(NS)).items;
    const name = pod!.metadata!.name!;
    assert.deepEqual(pod!.metadata!.finalizers, [JOB_TRACKING_FINALIZER]);
    await h.clients.resource<JobObject>(JOBS).delete(NS, 'work');
    await h.drain();
    assert.deepEqual((await pods.get(NS, name)).metadata!.finalizers, []);
    // The garbage collector's delete of the pod now completes.
    await pods.delete(NS, name);
    assert.equal((await pods.list(NS)).items.length, 0);
  });

  it('an orphaned pod (its reference removed) loses the tracking finalizer', async () => {
    const h = await start(withOrphanPods);
    await h.clients.resource<JobObject>(JOBS).create(NS, newJob());
    await h.drain();
    const pods = h.clients.resource<Pod>(PODS);
    const name = (await pods.list(NS)).items[0]!.metadata!.name!;
    // What `kubectl delete job --cascade=orphan` has the garbage collector do; the labels change
    // too, so the Job does not adopt the pod back.
    await pods.patch(NS, name, 'merge', { metadata: { ownerReferences: null, labels: { 'batch.kubernetes.io/job-name': null } } });
    await h.drain();
    assert.deepEqual((await pods.get(NS, name)).metadata!.finalizers, []);
  });
});

/** Both registrations over one client set, as the controller manager runs them; keys are routed by prefix. */
const withOrphanPods: ControllerFactory = (context) => {
  const jobs = jobController(context);
  const orphans = jobOrphanPodController(context);
  return {
    reconciler: {
      name: 'job+orphans',
      reconcile: (key, signal) => key.startsWith('pod:') ? orphans.reconciler.reconcile(key.slice(4), signal) : jobs.reconciler.reconcile(key, signal),
    },
    connect(enqueue, enqueueAfter) {
      jobs.connect(enqueue, enqueueAfter);
      orphans.connect((key) => enqueue(`pod:${key}`), (key, ms) => enqueueAfter(`pod:${key}`, ms));
    },
  };
};
