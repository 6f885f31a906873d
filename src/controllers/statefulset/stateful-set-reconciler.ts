// The StatefulSet reconciler (upstream: StatefulSetController.sync and
// defaultStatefulSetControl.UpdateStatefulSet): adopt revisions and pods, settle the current and
// update revisions, act on the pods (stateful-set-plan.ts), write status, trim the history.
import { labelSelectorFromObject, type LabelSelectorRequirementSet } from '../../api/selectors/label-selector.js';
import type { EventRecorder } from '../../client/events/event-recorder.js';
import type { Lister } from '../../client/informer/informer.js';
import type { ClientSet, ResourceClient } from '../../client/resource-client.js';
import { CONTROLLER_REVISIONS, PODS, STATEFUL_SETS } from '../../client/resource-types.js';
import type { Clock } from '../../lib/clock.js';
import { ConflictError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { ControllerHistory, type ControllerRevisionObject } from '../framework/controller-history.js';
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { objectKey, splitObjectKey } from '../framework/object-key.js';
import type { ReconcileResult, Reconciler } from '../framework/reconciler.js';
import { claimStatefulPods } from './claim-stateful-pods.js';
import type { PodExpectations } from './pod-expectations.js';
import { runPlan } from './plan-runner.js';
import { templateOfRevision } from './revision-data.js';
import { StatefulPodControl } from './stateful-pod-control.js';
import { planSync } from './stateful-set-plan.js';
import { adoptOrphanRevisions, listRevisions, resolveRevisions, truncateHistory } from './stateful-set-revisions.js';
import { resolveSpec, type StatefulSetObject } from './stateful-set-spec.js';
import { buildStatus, countReplicas, msUntilNextAvailable, statusChanged } from './stateful-set-status.js';
import { writeStatefulSetStatus } from './stateful-set-status-writer.js';

export interface StatefulSetReconcilerOptions {
  readonly clients: ClientSet;
  readonly pods: Lister<Pod>;
  readonly statefulSets: Lister<StatefulSetObject>;
  readonly revisions: Lister<ControllerRevisionObject>;
  readonly expectations: PodExpectations;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly recorder: EventRecorder;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

export class StatefulSetReconciler implements Reconciler {
  readonly name = 'statefulset';
  private readonly options: StatefulSetReconcilerOptions;
  private readonly setClient: ResourceClient<StatefulSetObject>;
  private readonly podClient: ResourceClient<Pod>;
  private readonly history: ControllerHistory;
  private readonly control: StatefulPodControl;

  constructor(options: StatefulSetReconcilerOptions) {
    this.options = options;
    this.setClient = options.clients.resource<StatefulSetObject>(STATEFUL_SETS);
    this.podClient = options.clients.resource<Pod>(PODS);
    this.history = new ControllerHistory(options.clients.resource<ControllerRevisionObject>(CONTROLLER_REVISIONS));
    this.control = new StatefulPodControl({ pods: this.podClient, recorder: options.recorder });
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const { namespace, name } = splitObjectKey(key);
    const { expectations } = this.options;
    const set = this.options.statefulSets.get(namespace, name);
    if (set === undefined) {
      expectations.forget(key);
      return;
    }
    // Our last creates or deletes are not in the cache yet: their informer events requeue the set.
    if (!expectations.satisfied(key)) return;
    let selector: LabelSelectorRequirementSet;
    try {
      selector = labelSelectorFromObject(set.spec?.selector);
    } catch (error) {
      // Validation keeps this out; if it gets in, retrying cannot help.
      this.options.recorder.event(set, 'Warning', 'InvalidSelector', `invalid selector: ${errorMessage(error)}`);
      return;
    }

    let adoptCheck: Promise<void> | undefined;
    const canAdopt = (): Promise<void> => (adoptCheck ??= this.canAdopt(set));
    let revisions = listRevisions(this.options.revisions, set, selector);
    if (set.metadata?.deletionTimestamp === undefined) {
      revisions = await adoptOrphanRevisions(set, revisions, this.history, canAdopt);
    }
    const inNamespace = this.options.pods.list(namespace === undefined ? {} : { namespace });
    const { claimed, errors } = await claimStatefulPods(inNamespace, { set, selector, pods: this.podClient, canAdopt });
    if (errors.length > 0) throw errors[0];

    const live = await resolveRevisions(set, revisions, this.history);
    const spec = resolveSpec(set);
    const now = this.options.clock.now();
    const plan = planSync({
      set, spec, pods: claimed, now,
      current: { template: templateOfRevision(live.current, set), revision: live.current.metadata?.name ?? '' },
      update: { template: templateOfRevision(live.update, set), revision: live.update.metadata?.name ?? '' },
    });
    const result = await runPlan(plan, { key, set, control: this.control, expectations });
    this.options.logger.debug({ statefulSet: key, phases: [...result.completed], failed: result.error !== undefined }, 'statefulset pass');

    const statusInput = {
      set, spec, pods: claimed, now, collisionCount: live.collisionCount,
      currentRevision: live.current.metadata?.name ?? '', updateRevision: live.update.metadata?.name ?? '',
    };
    const counts = countReplicas(statusInput);
    // The pod the rolling update just deleted is no longer a current replica.
    if (result.completed.has('rollingUpdate')) counts.currentReplicas -= 1;
    const status = buildStatus(statusInput, counts);

    // As upstream: status and history are kept up to date even after a failed pod write.
    let failure: Error | undefined = result.error === undefined ? undefined : asError(result.error);
    try {
      if (statusChanged(set.status, status)) await writeStatefulSetStatus(this.setClient, set, status);
    } catch (error) {
      failure ??= asError(error);
    }
    try {
      await truncateHistory(revisions, live, claimed, spec.revisionHistoryLimit, this.history);
    } catch (error) {
      failure ??= asError(error);
    }
    if (failure !== undefined) throw failure;
    const wait = msUntilNextAvailable(claimed, spec.minReadySeconds, now);
    return wait === undefined ? undefined : { requeueAfterMs: wait };
  }

  /** Upstream's RecheckDeletionTimestamp: adopt only if the live set is this one and not deleting. */
  private async canAdopt(set: StatefulSetObject): Promise<void> {
    const fresh = await this.setClient.get(set.metadata?.namespace, set.metadata?.name ?? '');
    if (fresh.metadata?.uid !== set.metadata?.uid) {
      throw new ConflictError(`original StatefulSet ${objectKey(set)} is gone: got uid ${fresh.metadata?.uid ?? ''}, wanted ${set.metadata?.uid ?? ''}`);
    }
    if (fresh.metadata?.deletionTimestamp !== undefined) {
      throw new ConflictError(`StatefulSet ${objectKey(set)} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
    }
  }
}
