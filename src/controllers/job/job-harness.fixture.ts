// Test harness for the Job reconciler: a FakeClientSet, snapshot listers refreshed on `observe()`
// (which also tells the expectations what the informer handlers would: pods created, deleted,
// finalizers removed), a FakeClock, a FakeEventRecorder, every Job status write in order, and
// stand-ins for the kubelet that move a pod to Running, Succeeded or Failed.
import type { JobSpec, JobStatus } from 'kubernetes-types/batch/v1.js';
import type { PodCondition } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { FakeEventRecorder } from '../../client/events/fake-event-recorder.js';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import type { ClientSet, ResourceClient, ResourceType } from '../../client/resource-client.js';
import { JOBS, PODS } from '../../client/resource-types.js';
import { FakeClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import { rfc3339 } from '../../lib/rfc3339.js';
import { getControllerOf } from '../framework/controller-ref.js';
import { Expectations } from '../framework/expectations.js';
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import type { ReconcileResult } from '../framework/reconciler.js';
import { SnapshotLister } from '../framework/snapshot-lister.fixture.js';
import { BackoffStore } from './backoff-record.js';
import { FinalizerRemovalExpectations } from './finalizer-expectations.js';
import { JobReconciler } from './job-reconciler.js';
import type { JobObject } from './job-types.js';
import { hasTrackingFinalizer } from './tracking-finalizer.js';

export const NS = 'default';
export const JOB_KEY = 'default/work';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';

/** Spec fields to override; `undefined` removes a default (`completions: undefined`: a work queue). */
export type JobSpecOverrides = { [K in keyof JobSpec]?: JobSpec[K] | undefined };

/** A defaulted Job named `work` (as the API server would store it), with `spec` overriding. */
export function newJob(overrides: JobSpecOverrides = {}): JobObject {
  const job: JobObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'work', namespace: NS },
    spec: {
      parallelism: 1,
      completions: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      suspend: false,
      podReplacementPolicy: 'TerminatingOrFailed',
      selector: { matchLabels: { [JOB_NAME_LABEL]: 'work' } },
      template: {
        metadata: { labels: { [JOB_NAME_LABEL]: 'work', app: 'batch' } },
        spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] },
      },
    },
  };
  const spec = job.spec as unknown as Record<string, unknown>;
  for (const [field, value] of Object.entries(overrides)) {
    if (value === undefined) delete spec[field];
    else spec[field] = value;
  }
  return job;
}

/** A ClientSet that also remembers every Job status written, in order. */
class RecordingClientSet implements ClientSet {
  readonly statusWrites: JobStatus[] = [];
  private readonly inner: ClientSet;

  constructor(inner: ClientSet) {
    this.inner = inner;
  }

  resource<T extends KubeObject = KubeObject>(type: ResourceType): ResourceClient<T> {
    const client = this.inner.resource<T>(type);
    if (type.resource !== 'jobs') return client;
    const writes = this.statusWrites;
    return Object.assign(Object.create(client) as ResourceClient<T>, {
      updateStatus: async (namespace: string | undefined, object: T) => {
        const updated = await client.updateStatus(namespace, object);
        writes.push(structuredClone(updated.status as JobStatus));
        return updated;
      },
    });
  }
}

export interface FinishOptions {
  readonly exitCode?: number;
  /** Default: the clock's now. */
  readonly finishedAt?: Date;
  readonly conditions?: PodCondition[];
}

export class JobHarness {
  readonly clock = new FakeClock({ start: new Date('2025-01-01T00:00:00Z') });
  readonly fake = new FakeClientSet({ clock: this.clock });
  readonly clients = new RecordingClientSet(this.fake);
  readonly recorder = new FakeEventRecorder();
  readonly podClient = this.fake.resource<Pod>(PODS);
  readonly jobClient = this.fake.resource<JobObject>(JOBS);
  readonly pods = new SnapshotLister(this.podClient);
  readonly jobs = new SnapshotLister(this.jobClient);
  readonly expectations = new Expectations({ clock: this.clock });
  readonly finalizerExpectations = new FinalizerRemovalExpectations();
  readonly backoffStore = new BackoffStore();
  readonly reconciler = new JobReconciler({
    clients: this.clients,
    pods: this.pods,
    jobs: this.jobs,
    expectations: this.expectations,
    finalizerExpectations: this.finalizerExpectations,
    backoffStore: this.backoffStore,
    clock: this.clock,
    logger: silentLogger(),
    recorder: this.recorder,
  });
  /** Pods by uid as the last `observe()` saw them. */
  private seen = new Map<string, Pod>();

  seedJob(job: JobObject): JobObject {
    const [stored] = this.fake.seed(JOBS, job);
    if (stored === undefined) throw new Error('seed failed');
    return stored;
  }

  /** Refreshes the caches and reports to the expectations what the pod informer would have. */
  async observe(): Promise<void> {
    await this.pods.sync();
    await this.jobs.sync();
    const current = new Map(this.pods.list().map((pod) => [pod.metadata?.uid ?? '', pod]));
    for (const [uid, pod] of current) {
      const key = ownerKey(pod);
      if (key === undefined) continue;
      const before = this.seen.get(uid);
      const deleting = pod.metadata?.deletionTimestamp !== undefined;
      if (before === undefined && !deleting) this.expectations.creationObserved(key);
      if (deleting && before?.metadata?.deletionTimestamp === undefined) this.expectations.deletionObserved(key, uid);
      if (!hasTrackingFinalizer(pod)) this.finalizerExpectations.removalObserved(key, uid);
    }
    for (const [uid, pod] of this.seen) {
      const key = ownerKey(pod);
      if (current.has(uid) || key === undefined) continue;
      this.expectations.deletionObserved(key, uid);
      this.finalizerExpectations.removalObserved(key, uid);
    }
    this.seen = current;
  }

  /**
   * One controller pass over an up-to-date cache, after which the informer delivers what the pass
   * did (a pod created now and deleted before the next pass was still seen being added).
   */
  async pass(key = JOB_KEY): Promise<ReconcileResult | void> {
    await this.observe();
    try {
      return await this.reconciler.reconcile(key);
    } finally {
      await this.observe();
    }
  }

  async livePods(): Promise<Pod[]> {
    return (await this.podClient.list(NS)).items;
  }

  async liveJob(name = 'work'): Promise<JobObject> {
    return this.jobClient.get(NS, name);
  }

  async podNames(): Promise<string[]> {
    return (await this.livePods()).map((p) => p.metadata?.name ?? '').sort();
  }

  private async setStatus(name: string, status: Pod['status']): Promise<void> {
    await this.podClient.patch(NS, name, 'merge', { status }, { subresource: 'status' });
  }

  async markRunning(name: string, options: { readonly ready?: boolean; readonly restarts?: number } = {}): Promise<void> {
    const now = rfc3339(this.clock.now());
    await this.setStatus(name, {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: options.ready === true ? 'True' : 'False', lastTransitionTime: now }],
      containerStatuses: [{ name: 'c', image: 'busybox', imageID: '', ready: options.ready === true, restartCount: options.restarts ?? 0, state: { running: { startedAt: now } } }],
    });
  }

  /** The kubelet's report of a finished pod: phase, Ready=False, the container's exit code. */
  async finish(name: string, phase: 'Succeeded' | 'Failed', options: FinishOptions = {}): Promise<void> {
    const at = rfc3339(options.finishedAt ?? this.clock.now());
    const exitCode = options.exitCode ?? (phase === 'Succeeded' ? 0 : 1);
    await this.setStatus(name, {
      phase,
      conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: at }, ...(options.conditions ?? [])],
      containerStatuses: [{
        name: 'c', image: 'busybox', imageID: '', ready: false, restartCount: 0,
        state: { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', finishedAt: at } },
      }],
    });
  }

  /** Pods being deleted that an agent would finish: drops their remaining finalizers so they go. */
  async reapTerminating(): Promise<void> {
    for (const pod of await this.livePods()) {
      if (pod.metadata?.deletionTimestamp === undefined) continue;
      await this.podClient.patch(NS, pod.metadata.name ?? '', 'merge', { metadata: { finalizers: null } });
    }
  }

  eventMessages(reason: string): string[] {
    return this.recorder.events.filter((e) => e.reason === reason).map((e) => e.message);
  }
}

function ownerKey(pod: Pod): string | undefined {
  const ref = getControllerOf(pod);
  return ref?.kind === 'Job' ? `${pod.metadata?.namespace ?? ''}/${ref.name}` : undefined;
}
