// One reconcile pass over one CronJob: a private, writable copy of it whose status the steps edit
// (the cached object is frozen and shared), the clients and recorder they act through, and
// whether the status now differs from what was read, so it is written once, at the end.
import type { CronJobStatus } from 'kubernetes-types/batch/v1.js';
import type { EventRecorder, EventType } from '../../client/events/event-recorder.js';
import type { ResourceClient } from '../../client/resource-client.js';
import type { Logger } from '../../lib/logger.js';
import type { CronJobObject, JobObject } from './cronjob-types.js';

export interface CronJobPassDependencies {
  readonly jobClient: ResourceClient<JobObject>;
  readonly cronJobClient: ResourceClient<CronJobObject>;
  readonly recorder: EventRecorder;
  readonly logger: Logger;
}

export class CronJobPass {
  readonly deps: CronJobPassDependencies;
  private current: CronJobObject;
  private statusAsRead: string;

  constructor(cronJob: CronJobObject, deps: CronJobPassDependencies) {
    this.deps = deps;
    this.current = structuredClone(cronJob);
    this.statusAsRead = JSON.stringify(cronJob.status ?? {});
  }

  /** The CronJob being worked on; its metadata.resourceVersion is the one the status write sends. */
  get cronJob(): CronJobObject {
    return this.current;
  }

  get status(): CronJobStatus {
    this.current.status ??= {};
    return this.current.status;
  }

  get namespace(): string | undefined {
    return this.current.metadata?.namespace;
  }

  /**
   * Continues from a copy just read from the API (the cache was behind). Edits made so far are
   * dropped with the old copy; the next pass redoes them from fresher state.
   */
  restartFrom(fresh: CronJobObject): void {
    this.current = structuredClone(fresh);
    this.statusAsRead = JSON.stringify(fresh.status ?? {});
  }

  statusChanged(): boolean {
    return JSON.stringify(this.current.status ?? {}) !== this.statusAsRead;
  }

  event(type: EventType, reason: string, message: string): void {
    this.deps.recorder.event(this.current, type, reason, message);
  }
}
