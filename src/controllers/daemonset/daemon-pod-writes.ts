// Creating and deleting a DaemonSet's pods (upstream: syncNodes): expectations first, creates in
// slow-start batches, deletes in parallel, an Event per write, at most `burst` of each per pass.
import type { EventRecorder } from '../../client/events/event-recorder.js';
import type { ResourceClient } from '../../client/resource-client.js';
import { NotFoundError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { slowStartBatch } from '../framework/slow-start-batch.js';
import type { CreateDeleteExpectations } from './create-delete-expectations.js';
import { daemonPodTemplate, newDaemonPod } from './daemon-pod-template.js';
import type { DaemonSetObject, PodObject } from './daemon-set-types.js';

/** Upstream's SlowStartInitialBatchSize. */
const SLOW_START_INITIAL_BATCH = 1;

export interface DaemonPodWritesOptions {
  readonly pods: ResourceClient<PodObject>;
  readonly expectations: CreateDeleteExpectations;
  readonly recorder: EventRecorder;
  readonly logger: Logger;
  readonly burst: number;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class DaemonPodWrites {
  private readonly options: DaemonPodWritesOptions;

  constructor(options: DaemonPodWritesOptions) {
    this.options = options;
  }

  /**
   * Deletes `podsToDelete` and creates a pod of revision `hash` on each of `nodesNeedingPods`.
   * Every write is attempted (creates until a slow-start batch fails); the first error is thrown
   * afterwards so the key is retried with backoff.
   */
  async sync(key: string, ds: DaemonSetObject, podsToDelete: readonly PodObject[], nodesNeedingPods: readonly string[], hash: string): Promise<void> {
    const { expectations, burst } = this.options;
    const nodes = nodesNeedingPods.slice(0, burst);
    const victims = podsToDelete.slice(0, burst);
    // Before any write: the informer may report a created pod before create() returns.
    expectations.expect(key, nodes.length, victims.map((pod) => pod.metadata?.uid ?? ''));
    const errors: unknown[] = [];
    if (nodes.length > 0) {
      const createError = await this.createPods(key, ds, nodes, hash);
      if (createError !== undefined) errors.push(createError);
    }
    errors.push(...await this.deletePods(key, ds, victims));
    if (errors.length > 0) throw errors[0];
  }

  private async createPods(key: string, ds: DaemonSetObject, nodes: readonly string[], hash: string): Promise<unknown> {
    const { expectations, recorder, pods } = this.options;
    const template = daemonPodTemplate(ds, hash);
    const result = await slowStartBatch(nodes.length, SLOW_START_INITIAL_BATCH, async (index) => {
      try {
        const pod = await pods.create(ds.metadata?.namespace, newDaemonPod(ds, template, nodes[index] ?? ''));
        recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata?.name ?? ''}`);
      } catch (error) {
        recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(error)}`);
        throw error;
      }
    });
    // Creates that failed or were never sent will not be observed: stop waiting for them.
    for (let i = result.successes; i < nodes.length; i++) expectations.creationObserved(key);
    if (!result.failed) return undefined;
    this.options.logger.debug({ daemonSet: key, created: result.successes, wanted: nodes.length }, 'daemon pod creation failed');
    return result.error;
  }

  private async deletePods(key: string, ds: DaemonSetObject, victims: readonly PodObject[]): Promise<unknown[]> {
    const { expectations, recorder, pods } = this.options;
    const errors: unknown[] = [];
    await Promise.all(victims.map(async (pod) => {
      const name = pod.metadata?.name ?? '';
      const uid = pod.metadata?.uid ?? '';
      try {
        await pods.delete(pod.metadata?.namespace, name, { preconditions: { uid } });
        recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
      } catch (error) {
        expectations.deletionObserved(key, uid); // the informer will not see us delete it
        if (error instanceof NotFoundError) return;
        recorder.event(ds, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(error)}`);
        errors.push(error);
      }
    }));
    return errors;
  }
}
