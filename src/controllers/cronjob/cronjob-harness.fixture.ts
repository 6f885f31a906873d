// For CronJob reconciler tests: a FakeClientSet on a FakeClock, snapshot listers that change only
// when a pass syncs them, one CronJob `default/backup`, and helpers to age and finish its jobs.
import type { CronJobSpec } from 'kubernetes-types/batch/v1.js';
import type { KubeObject } from '../../api/object.js';
import { FakeEventRecorder } from '../../client/events/fake-event-recorder.js';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import type { ClientDeleteOptions, ClientSet, ResourceClient, ResourceType } from '../../client/resource-client.js';
import { CRON_JOBS, JOBS } from '../../client/resource-types.js';
import { FakeClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import { SnapshotLister } from '../framework/snapshot-lister.fixture.js';
import type { ReconcileResult } from '../framework/reconciler.js';
import { CronJobReconciler } from './cronjob-reconciler.js';
import { JOB_INDEXERS, type CronJobObject, type JobObject } from './cronjob-types.js';

export const NS = 'default';
export const KEY = 'default/backup';

export interface DeleteCall {
  readonly resource: string;
  readonly name: string;
  readonly options: ClientDeleteOptions | undefined;
}

/** FakeClientSet does not log delete options; this wrapper does, to check propagation. */
class DeleteOptionsLog implements ClientSet {
  readonly calls: DeleteCall[] = [];
  private readonly inner: ClientSet;

  constructor(inner: ClientSet) {
    this.inner = inner;
  }

  resource<T extends KubeObject = KubeObject>(type: ResourceType): ResourceClient<T> {
    const client = this.inner.resource<T>(type);
    const calls = this.calls;
    const wrapper = Object.create(client) as ResourceClient<T>;
    wrapper.delete = (namespace, name, options) => {
      calls.push({ resource: type.resource, name, options });
      return client.delete(namespace, name, options);
    };
    return wrapper;
  }
}

export function cronJobSpec(spec: Partial<CronJobSpec> = {}): CronJobSpec {
  return {
    schedule: '0 9 * * *',
    jobTemplate: {
      metadata: { labels: { app: 'backup' }, annotations: { team: 'storage' } },
      spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } },
    },
    ...spec,
  };
}

export class CronJobHarness {
  readonly clock: FakeClock;
  readonly clients: FakeClientSet;
  readonly deletes: DeleteOptionsLog;
  readonly recorder = new FakeEventRecorder();
  readonly cronJobs: SnapshotLister<CronJobObject>;
  readonly jobs: SnapshotLister<JobObject>;
  readonly reconciler: CronJobReconciler;
  private seeded: CronJobObject | undefined;

  constructor(options: { readonly start?: string; readonly localTimeZone?: string } = {}) {
    this.clock = new FakeClock({ start: new Date(options.start ?? '2025-01-01T08:30:00Z') });
    this.clients = new FakeClientSet({ clock: this.clock });
    this.deletes = new DeleteOptionsLog(this.clients);
    this.cronJobs = new SnapshotLister(this.clients.resource<CronJobObject>(CRON_JOBS));
    this.jobs = new SnapshotLister(this.clients.resource<JobObject>(JOBS), JOB_INDEXERS);
    this.reconciler = new CronJobReconciler({
      clients: this.deletes, cronJobs: this.cronJobs, jobs: this.jobs, clock: this.clock, logger: silentLogger(),
      recorder: this.recorder, localTimeZone: options.localTimeZone ?? 'UTC',
    });
  }

  /** Stores `default/backup`, created now unless `created` says otherwise. */
  seedCronJob(spec: Partial<CronJobSpec> = {}, meta: { readonly created?: string; readonly lastScheduleTime?: string } = {}): CronJobObject {
    const [stored] = this.clients.seed<CronJobObject>(CRON_JOBS, {
      metadata: { name: 'backup', namespace: NS, ...(meta.created === undefined ? {} : { creationTimestamp: meta.created }) },
      spec: cronJobSpec(spec),
      ...(meta.lastScheduleTime === undefined ? {} : { status: { lastScheduleTime: meta.lastScheduleTime } }),
    });
    this.seeded = stored;
    return stored!;
  }

  /** A job controlled by `owner` (default: the seeded CronJob), optionally started and finished. */
  seedJob(name: string, shape: {
    readonly owner?: CronJobObject | 'none'; readonly started?: string; readonly finished?: 'Complete' | 'Failed'; readonly completed?: string;
  } = {}): JobObject {
    const owner = shape.owner === 'none' ? undefined : (shape.owner ?? this.seeded);
    const [stored] = this.clients.seed<JobObject>(JOBS, {
      metadata: {
        name, namespace: NS,
        ...(owner === undefined ? {} : {
          ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: owner.metadata!.name!, uid: owner.metadata!.uid!, controller: true }],
        }),
      },
      spec: { template: { spec: { containers: [] } } },
      status: {
        ...(shape.started === undefined ? {} : { startTime: shape.started }),
        ...(shape.finished === undefined ? {} : { conditions: [{ type: shape.finished, status: 'True' }] }),
        ...(shape.completed === undefined ? {} : { completionTime: shape.completed }),
      },
    });
    return stored!;
  }

  /** Moves the fake clock to `time`. */
  advanceTo(time: string): void {
    this.clock.advance(Date.parse(time) - this.clock.now().getTime());
  }

  /** Syncs both listers (a fresh cache) and reconciles `default/backup`. */
  async reconcile(): Promise<ReconcileResult | void> {
    await this.cronJobs.sync();
    await this.jobs.sync();
    return this.reconciler.reconcile(KEY);
  }

  async liveCronJob(): Promise<CronJobObject> {
    return this.clients.resource<CronJobObject>(CRON_JOBS).get(NS, 'backup');
  }

  async liveJobs(): Promise<JobObject[]> {
    const items = (await this.clients.resource<JobObject>(JOBS).list(NS)).items;
    return items.sort((a, b) => (a.metadata!.name! < b.metadata!.name! ? -1 : 1));
  }

  async liveJobNames(): Promise<string[]> {
    return (await this.liveJobs()).map((job) => job.metadata!.name!);
  }

  /** Gives a live job a True Complete/Failed condition (and completionTime when it completed). */
  async finishJob(name: string, condition: 'Complete' | 'Failed', completed: string): Promise<void> {
    const jobs = this.clients.resource<JobObject>(JOBS);
    const job = await jobs.get(NS, name);
    await jobs.updateStatus(NS, {
      ...job,
      status: {
        ...job.status,
        conditions: [{ type: condition, status: 'True' }],
        ...(condition === 'Complete' ? { completionTime: completed } : {}),
      },
    });
  }

  /** `Reason: message` of every event, in order. */
  events(): string[] {
    return this.recorder.events.map((event) => `${event.type} ${event.reason}: ${event.message}`);
  }
}
