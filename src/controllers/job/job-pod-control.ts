// The Job controller's pod writes with their Events (upstream: controller.RealPodControl):
// SuccessfulCreate "Created pod: <name>", FailedCreate "Error creating: <error>", SuccessfulDelete
// "Deleted pod: <name>", FailedDelete "Error deleting: <error>" (none for a pod already gone), and
// the two ways a Job deletes active pods.
import type { EventRecorder } from '../../client/events/event-recorder.js';
import type { ResourceClient } from '../../client/resource-client.js';
import { NotFoundError } from '../../lib/errors.js';
import type { Expectations } from '../framework/expectations.js';
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { isPodReady } from '../framework/pod-utils.js';
import { asError } from './as-error.js';
import type { JobObject } from './job-types.js';
import { removeTrackingFinalizer } from './tracking-finalizer.js';

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface DeletionResult {
  /** Pods deleted (or already gone). */
  readonly deleted: number;
  /** How many of those were Ready (status.ready drops by this much). */
  readonly deletedReady: number;
  /** The first failure, if any. */
  readonly error: Error | undefined;
}

export class JobPodControl {
  private readonly pods: ResourceClient<Pod>;
  private readonly recorder: EventRecorder;

  constructor(options: { readonly pods: ResourceClient<Pod>; readonly recorder: EventRecorder }) {
    this.pods = options.pods;
    this.recorder = options.recorder;
  }

  async create(job: JobObject, pod: Pod): Promise<Pod> {
    try {
      const created = await this.pods.create(job.metadata?.namespace, pod);
      this.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name ?? ''}`);
      return created;
    } catch (error) {
      this.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(error)}`);
      throw error;
    }
  }

  /** Deletes `pod` (this very pod: the uid is a precondition); 'gone' when it no longer exists. */
  async delete(job: JobObject, pod: Pod): Promise<'deleted' | 'gone'> {
    const name = pod.metadata?.name ?? '';
    try {
      await this.pods.delete(pod.metadata?.namespace, name, { preconditions: { uid: pod.metadata?.uid ?? '' } });
      this.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
      return 'deleted';
    } catch (error) {
      if (error instanceof NotFoundError) return 'gone';
      this.recorder.event(job, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(error)}`);
      throw error;
    }
  }

  /**
   * Deletes the active pods of a Job whose outcome is decided, keeping their tracking finalizer:
   * they are counted (as failed, unless they succeed first) and released by status tracking
   * (upstream: deleteActivePods). No expectations: the Job creates nothing more.
   */
  async deleteFinishedJobPods(job: JobObject, pods: readonly Pod[]): Promise<DeletionResult> {
    return this.deleteEach(pods, async (pod) => {
      await this.delete(job, pod);
    });
  }

  /**
   * Deletes pods the Job no longer wants (suspended, or more than it needs), removing the tracking
   * finalizer first: such pods are not failures and are never counted (upstream: deleteJobPods).
   * The caller has recorded the deletions in `expectations`; one the informer will not report
   * (it failed, or the pod was already gone) is crossed off here.
   */
  async deleteUnwantedPods(job: JobObject, jobKey: string, pods: readonly Pod[], expectations: Expectations): Promise<DeletionResult> {
    return this.deleteEach(pods, async (pod) => {
      const uid = pod.metadata?.uid ?? '';
      try {
        await removeTrackingFinalizer(this.pods, pod);
        if ((await this.delete(job, pod)) === 'gone') expectations.deletionObserved(jobKey, uid);
      } catch (error) {
        expectations.deletionObserved(jobKey, uid);
        throw error;
      }
    });
  }

  private async deleteEach(pods: readonly Pod[], deleteOne: (pod: Pod) => Promise<void>): Promise<DeletionResult> {
    const results = await Promise.allSettled(pods.map(deleteOne));
    let deleted = 0;
    let deletedReady = 0;
    let error: Error | undefined;
    results.forEach((result, i) => {
      if (result.status === 'rejected') {
        error ??= asError(result.reason);
        return;
      }
      deleted += 1;
      if (pods[i] !== undefined && isPodReady(pods[i])) deletedReady += 1;
    });
    return { deleted, deletedReady, error };
  }
}
