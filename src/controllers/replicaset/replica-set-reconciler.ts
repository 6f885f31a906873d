// The ReplicaSet reconciler (upstream: ReplicaSetController.syncReplicaSet): claim pods, create or
// delete to reach spec.replicas, then write status.
import type { PodObject as Pod, ReplicaSetObject as ReplicaSet } from '../framework/kube-object-types.js';
import { labelSelectorFromObject, type LabelSelectorRequirementSet } from '../../api/selectors/label-selector.js';
import type { EventRecorder } from '../../client/events/event-recorder.js';
import type { Lister } from '../../client/informer/informer.js';
import type { ClientSet, ResourceClient } from '../../client/resource-client.js';
import { PODS, REPLICASETS } from '../../client/resource-types.js';
import type { Clock } from '../../lib/clock.js';
import { ConflictError, NotFoundError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { newControllerRef } from '../framework/controller-ref.js';
import type { Expectations } from '../framework/expectations.js';
import { objectKey, splitObjectKey } from '../framework/object-key.js';
import { isPodActive } from '../framework/pod-utils.js';
import type { ReconcileResult, Reconciler } from '../framework/reconciler.js';
import { slowStartBatch } from '../framework/slow-start-batch.js';
import { claimPods, REPLICA_SET_TYPE } from './claim-pods.js';
import { podsToDelete } from './pods-to-delete.js';
import { calculateStatus, msUntilNextAvailable, statusChanged, type ManageFailure } from './replica-set-status.js';

/** Upstream's BurstReplicas: at most this many creates or deletes per pass. */
export const BURST_REPLICAS = 500;
/** Upstream's SlowStartInitialBatchSize. */
const SLOW_START_INITIAL_BATCH = 1;

export interface ReplicaSetReconcilerOptions {
  readonly clients: ClientSet;
  readonly pods: Lister<Pod>;
  readonly replicaSets: Lister<ReplicaSet>;
  readonly expectations: Expectations;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly recorder: EventRecorder;
  readonly burstReplicas?: number;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class ReplicaSetReconciler implements Reconciler {
  readonly name = 'replicaset';
  private readonly options: ReplicaSetReconcilerOptions;
  private readonly podClient: ResourceClient<Pod>;
  private readonly rsClient: ResourceClient<ReplicaSet>;
  private readonly burst: number;

  constructor(options: ReplicaSetReconcilerOptions) {
    this.options = options;
    this.podClient = options.clients.resource<Pod>(PODS);
    this.rsClient = options.clients.resource<ReplicaSet>(REPLICASETS);
    this.burst = options.burstReplicas ?? BURST_REPLICAS;
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const { namespace, name } = splitObjectKey(key);
    const { expectations, clock } = this.options;
    const rs = this.options.replicaSets.get(namespace, name);
    if (rs === undefined) {
      expectations.delete(key);
      return;
    }
    // Read before listing pods: an expectation fulfilled after this point only means the pod list
    // is even fresher than needed.
    const needsSync = expectations.satisfied(key);
    let selector: LabelSelectorRequirementSet;
    try {
      selector = labelSelectorFromObject(rs.spec?.selector);
    } catch (error) {
      // Validation keeps this out; if it gets in, retrying cannot help.
      this.options.recorder.event(rs, 'Warning', 'InvalidSelector', `invalid selector: ${errorMessage(error)}`);
      return;
    }
    const active = this.options.pods.list(namespace === undefined ? {} : { namespace }).filter(isPodActive);
    const { claimed, errors } = await claimPods(active, {
      rs, selector, pods: this.podClient, canAdopt: () => this.canAdopt(rs),
    });
    if (errors.length > 0) throw errors[0];

    let failure: ManageFailure | undefined;
    let failureError: Error | undefined;
    if (needsSync && rs.metadata?.deletionTimestamp === undefined) {
      try {
        await this.manageReplicas(key, rs, claimed);
      } catch (error) {
        const diff = claimed.length - (rs.spec?.replicas ?? 1);
        failure = { reason: diff < 0 ? 'FailedCreate' : 'FailedDelete', message: errorMessage(error) };
        failureError = error instanceof Error ? error : new Error(String(error));
      }
    }
    const now = clock.now();
    await this.writeStatus(rs, calculateStatus(rs, claimed, failure, now));
    // A failed create/delete is retried with backoff (upstream returns the error too).
    if (failureError !== undefined) throw failureError;
    const wait = msUntilNextAvailable(rs, claimed, now);
    return wait === undefined ? undefined : { requeueAfterMs: wait };
  }

  /** Upstream's RecheckDeletionTimestamp: adopt only if the live RS is this one and not deleting. */
  private async canAdopt(rs: ReplicaSet): Promise<void> {
    const fresh = await this.rsClient.get(rs.metadata?.namespace, rs.metadata?.name ?? '');
    if (fresh.metadata?.uid !== rs.metadata?.uid) {
      throw new ConflictError(`original ReplicaSet ${objectKey(rs)} is gone: got uid ${fresh.metadata?.uid ?? ''}, wanted ${rs.metadata?.uid ?? ''}`);
    }
    if (fresh.metadata?.deletionTimestamp !== undefined) {
      throw new ConflictError(`ReplicaSet ${objectKey(rs)} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
    }
  }

  private async manageReplicas(key: string, rs: ReplicaSet, pods: readonly Pod[]): Promise<void> {
    const diff = pods.length - (rs.spec?.replicas ?? 1);
    if (diff < 0) await this.createPods(key, rs, Math.min(-diff, this.burst));
    else if (diff > 0) await this.deletePods(key, rs, podsToDelete(pods, Math.min(diff, this.burst)));
  }

  private async createPods(key: string, rs: ReplicaSet, count: number): Promise<void> {
    const { expectations, recorder, logger } = this.options;
    // Expect all creates before sending any: the informer may see a pod before create() returns.
    expectations.expectCreations(key, count);
    const result = await slowStartBatch(count, SLOW_START_INITIAL_BATCH, async () => {
      try {
        const pod = await this.podClient.create(rs.metadata?.namespace, podFromTemplate(rs));
        recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata?.name ?? ''}`);
      } catch (error) {
        recorder.event(rs, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(error)}`);
        throw error;
      }
    });
    // Creates that failed or never started will never be observed: stop waiting for them.
    for (let i = result.successes; i < count; i++) expectations.creationObserved(key);
    if (result.failed) {
      logger.debug({ replicaSet: key, created: result.successes, wanted: count }, 'replicaset pod creation failed');
      throw result.error;
    }
  }

  private async deletePods(key: string, rs: ReplicaSet, victims: readonly Pod[]): Promise<void> {
    const { expectations, recorder } = this.options;
    expectations.expectDeletions(key, victims.map((p) => p.metadata?.uid ?? ''));
    const errors: unknown[] = [];
    await Promise.all(victims.map(async (pod) => {
      const podName = pod.metadata?.name ?? '';
      try {
        await this.podClient.delete(pod.metadata?.namespace, podName, { preconditions: { uid: pod.metadata?.uid ?? '' } });
        recorder.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${podName}`);
      } catch (error) {
        // The informer will not see this deletion happen because of us.
        expectations.deletionObserved(key, pod.metadata?.uid ?? '');
        if (error instanceof NotFoundError) return;
        recorder.event(rs, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(error)}`);
        errors.push(error);
      }
    }));
    if (errors.length > 0) throw errors[0];
  }

  /** Writes status when it changed; one retry on a conflict, with a fresh copy (upstream: 1 retry). */
  private async writeStatus(rs: ReplicaSet, status: ReturnType<typeof calculateStatus>): Promise<void> {
    if (!statusChanged(rs.status, status)) return;
    try {
      await this.rsClient.updateStatus(rs.metadata?.namespace, { ...structuredClone(rs), status });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const fresh = await this.rsClient.get(rs.metadata?.namespace, rs.metadata?.name ?? '');
      if (fresh.metadata?.uid !== rs.metadata?.uid) return;
      if (!statusChanged(fresh.status, status)) return;
      await this.rsClient.updateStatus(rs.metadata?.namespace, { ...fresh, status });
    }
  }
}

/**
 * A new pod for `rs` (upstream: GetPodFromTemplate): template labels, annotations, finalizers and
 * spec, `generateName: <rs>-` (the server appends 5 random characters) and a controller reference.
 */
export function podFromTemplate(rs: ReplicaSet): Pod {
  const template = rs.spec?.template ?? {};
  const meta = template.metadata ?? {};
  const metadata: NonNullable<Pod['metadata']> = {
    generateName: `${rs.metadata?.name ?? ''}-`,
    labels: { ...(meta.labels ?? {}) },
    ownerReferences: [newControllerRef(rs, REPLICA_SET_TYPE)],
  };
  if (rs.metadata?.namespace !== undefined) metadata.namespace = rs.metadata.namespace;
  if (meta.annotations !== undefined) metadata.annotations = { ...meta.annotations };
  if (meta.finalizers !== undefined) metadata.finalizers = [...meta.finalizers];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: structuredClone(template.spec ?? { containers: [] }) };
}
