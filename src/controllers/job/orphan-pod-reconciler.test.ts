import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { JOBS, PODS } from '../../client/resource-types.js';
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { SnapshotLister } from '../framework/snapshot-lister.fixture.js';
import { newJob, NS } from './job-harness.fixture.js';
import { JOB_TRACKING_FINALIZER, type JobObject } from './job-types.js';
import { OrphanPodReconciler } from './orphan-pod-reconciler.js';

describe('OrphanPodReconciler', () => {
  let clients: FakeClientSet;
  let pods: SnapshotLister<Pod>;
  let jobs: SnapshotLister<JobObject>;
  let reconciler: OrphanPodReconciler;

  beforeEach(() => {
    clients = new FakeClientSet();
    pods = new SnapshotLister(clients.resource<Pod>(PODS));
    jobs = new SnapshotLister(clients.resource<JobObject>(JOBS));
    reconciler = new OrphanPodReconciler({ clients, pods, jobs });
  });

  function seedPod(name: string, owner?: { apiVersion: string; kind: string; name: string; uid: string }): void {
    clients.seed<Pod>(PODS, {
      metadata: {
        name, namespace: NS, finalizers: [JOB_TRACKING_FINALIZER, 'example.com/other'],
        ...(owner ? { ownerReferences: [{ ...owner, controller: true }] } : {}),
      },
      spec: { containers: [] },
    });
  }

  async function finalizersAfterReconcile(name: string): Promise<string[] | undefined> {
    await pods.sync();
    await jobs.sync();
    await reconciler.reconcile(`${NS}/${name}`);
    return (await clients.resource<Pod>(PODS).get(NS, name)).metadata?.finalizers;
  }

  const jobRef = (job: JobObject) => ({ apiVersion: 'batch/v1', kind: 'Job', name: job.metadata!.name!, uid: job.metadata!.uid! });

  it('removes only the tracking finalizer from a pod without a controller', async () => {
    seedPod('orphan');
    assert.deepEqual(await finalizersAfterReconcile('orphan'), ['example.com/other']);
  });

  it('removes it when the controlling Job is gone, or is another Job with the same name', async () => {
    const job = clients.seed<JobObject>(JOBS, newJob())[0]!;
    seedPod('of-gone', { ...jobRef(job), uid: 'a-deleted-job' });
    assert.deepEqual(await finalizersAfterReconcile('of-gone'), ['example.com/other']);
  });

  it('removes it when the Job is finished', async () => {
    const job = clients.seed<JobObject>(JOBS, { ...newJob(), status: { conditions: [{ type: 'Complete', status: 'True' }] } })[0]!;
    seedPod('of-finished', jobRef(job));
    assert.deepEqual(await finalizersAfterReconcile('of-finished'), ['example.com/other']);
  });

  it('keeps it while the Job runs, for a Job managed elsewhere, and on pods of other controllers', async () => {
    const running = clients.seed<JobObject>(JOBS, newJob())[0]!;
    const external = clients.seed<JobObject>(JOBS, { ...newJob({ managedBy: 'example.com/queue' }), metadata: { name: 'ext', namespace: NS } })[0]!;
    seedPod('of-running', jobRef(running));
    seedPod('of-external', jobRef(external));
    seedPod('of-replicaset', { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u' });
    for (const name of ['of-running', 'of-external', 'of-replicaset']) {
      assert.deepEqual(await finalizersAfterReconcile(name), [JOB_TRACKING_FINALIZER, 'example.com/other'], name);
    }
  });
});
