// The DaemonSet reconciler (upstream: DaemonSetsController.syncDaemonSet): claim pods and revisions,
// find the current revision, put one daemon pod on every node that should run it (manage), replace
// old pods per the update strategy, trim the history, write status.
import { labelSelectorFromObject, selectsEverything, type LabelSelectorRequirementSet } from '../../api/selectors/label-selector.js';
import type { EventRecorder } from '../../client/events/event-recorder.js';
import type { Lister } from '../../client/informer/informer.js';
import type { ClientSet, ResourceClient } from '../../client/resource-client.js';
import { CONTROLLER_REVISIONS, DAEMON_SETS, PODS } from '../../client/resource-types.js';
import type { Clock } from '../../lib/clock.js';
import { ConflictError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { claimControllerRevisions } from '../framework/controller-history-claim.js';
import { objectKey, splitObjectKey } from '../framework/object-key.js';
import type { ReconcileResult, Reconciler } from '../framework/reconciler.js';
import { claimDaemonPods } from './claim-daemon-pods.js';
import type { CreateDeleteExpectations } from './create-delete-expectations.js';
import { DaemonPodWrites } from './daemon-pod-writes.js';
import { DaemonSetHistory, revisionHash } from './daemon-set-history.js';
import { countDaemonPods, nextStatus, statusNeedsWrite, type DaemonSetCounts } from './daemon-set-status.js';
import {
  DAEMON_SET_BURST_REPLICAS, DAEMON_SET_TYPE, isRollingUpdate, minReadySeconds, templateGeneration,
  type ControllerRevisionObject, type DaemonSetObject, type NodeObject, type PodObject,
} from './daemon-set-types.js';
import type { FailedPodsBackoff } from './failed-pods-backoff.js';
import { groupPodsByNode } from './node-daemon-pods.js';
import { planNodePods } from './node-pod-plan.js';
import { nodeShouldRunDaemonPod, type NodePlacement } from './node-should-run-daemon-pod.js';
import { allowsSurge, planRollingUpdate } from './rolling-update.js';

export interface DaemonSetReconcilerOptions {
  readonly clients: ClientSet;
  readonly daemonSets: Lister<DaemonSetObject>;
  readonly pods: Lister<PodObject>;
  readonly nodes: Lister<NodeObject>;
  readonly revisions: Lister<ControllerRevisionObject>;
  readonly expectations: CreateDeleteExpectations;
  readonly backoff: FailedPodsBackoff;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly recorder: EventRecorder;
  readonly burstReplicas?: number;
}

/** What one pass works from: read once, at the start. */
interface Pass {
  readonly key: string;
  readonly ds: DaemonSetObject;
  readonly nodes: readonly NodeObject[];
  readonly placements: ReadonlyMap<string, NodePlacement>;
  readonly pods: readonly PodObject[];
  readonly hash: string;
  readonly now: Date;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A node the pass does not know (deleted meanwhile) runs nothing. */
function placementOn(pass: Pass, nodeName: string): NodePlacement {
  return pass.placements.get(nodeName) ?? { shouldRun: false, shouldContinueRunning: false };
}

function soonest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  return b === undefined ? a : Math.min(a, b);
}

export class DaemonSetReconciler implements Reconciler {
  readonly name = 'daemonset';
  private readonly options: DaemonSetReconcilerOptions;
  private readonly podClient: ResourceClient<PodObject>;
  private readonly dsClient: ResourceClient<DaemonSetObject>;
  private readonly history: DaemonSetHistory;
  private readonly writes: DaemonPodWrites;

  constructor(options: DaemonSetReconcilerOptions) {
    this.options = options;
    this.podClient = options.clients.resource<PodObject>(PODS);
    this.dsClient = options.clients.resource<DaemonSetObject>(DAEMON_SETS);
    this.history = new DaemonSetHistory({
      revisions: options.clients.resource<ControllerRevisionObject>(CONTROLLER_REVISIONS), daemonSets: this.dsClient, pods: this.podClient,
    });
    this.writes = new DaemonPodWrites({
      pods: this.podClient, expectations: options.expectations, recorder: options.recorder, logger: options.logger,
      burst: options.burstReplicas ?? DAEMON_SET_BURST_REPLICAS,
    });
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const { namespace, name } = splitObjectKey(key);
    const { expectations, recorder } = this.options;
    const ds = this.options.daemonSets.get(namespace, name);
    if (ds === undefined) {
      expectations.delete(key);
      return;
    }
    let selector: LabelSelectorRequirementSet;
    try {
      selector = labelSelectorFromObject(ds.spec?.selector);
    } catch (error) {
      recorder.event(ds, 'Warning', 'InvalidSelector', `invalid selector: ${errorMessage(error)}`);
      return;
    }
    if (selectsEverything(selector)) {
      recorder.event(ds, 'Warning', 'SelectingAll', 'This daemon set is selecting all pods. A non-empty selector is required.');
      return;
    }
    // Being deleted: its revisions and pods may already be going, so no status can be trusted.
    if (ds.metadata?.deletionTimestamp !== undefined) return;

    // Read before listing pods: an expectation fulfilled after this only makes the list fresher.
    const inSync = expectations.satisfied(key);
    const pods = await this.claimPods(ds, selector);
    const history = await this.claimHistory(ds, selector, pods);
    const nodes = this.options.nodes.list();
    const pass: Pass = {
      key, ds, nodes, pods, hash: revisionHash(history.current), now: this.options.clock.now(),
      placements: new Map(nodes.map((node) => [node.metadata?.name ?? '', nodeShouldRunDaemonPod(node, ds)])),
    };

    let retryAfterMs: number | undefined;
    let failure: Error | undefined;
    if (inSync) {
      try {
        retryAfterMs = await this.update(pass, history.old);
      } catch (error) {
        failure = error instanceof Error ? error : new Error(String(error));
      }
    }
    // Status is written even when the update failed; observedGeneration only when it ran.
    const counts = await this.writeStatus(pass, inSync);
    if (failure !== undefined) throw failure;
    // minReadySeconds is measured from Ready: look again once those pods may count as available.
    if (minReadySeconds(ds) > 0 && counts.numberReady !== counts.numberAvailable) {
      retryAfterMs = soonest(retryAfterMs, minReadySeconds(ds) * 1000);
    }
    return retryAfterMs === undefined ? undefined : { requeueAfterMs: retryAfterMs };
  }

  private async claimPods(ds: DaemonSetObject, selector: LabelSelectorRequirementSet): Promise<PodObject[]> {
    const namespace = ds.metadata?.namespace;
    const all = this.options.pods.list(namespace === undefined ? {} : { namespace });
    const { claimed, errors } = await claimDaemonPods(all, { ds, selector, pods: this.podClient, canAdopt: () => this.canAdopt(ds) });
    if (errors.length > 0) throw errors[0];
    return claimed;
  }

  private async claimHistory(ds: DaemonSetObject, selector: LabelSelectorRequirementSet, pods: readonly PodObject[]): Promise<{ current: ControllerRevisionObject; old: readonly ControllerRevisionObject[] }> {
    const namespace = ds.metadata?.namespace;
    const all = this.options.revisions.list(namespace === undefined ? {} : { namespace });
    const { claimed, errors } = await claimControllerRevisions(all, {
      parent: ds, parentType: DAEMON_SET_TYPE, selector, history: this.history.writes, canAdopt: () => this.canAdopt(ds),
    });
    if (errors.length > 0) throw errors[0];
    return this.history.construct(ds, claimed, pods);
  }

  /** Upstream's RecheckDeletionTimestamp: adopt only if the live DaemonSet is this one and not deleting. */
  private async canAdopt(ds: DaemonSetObject): Promise<void> {
    const fresh = await this.dsClient.get(ds.metadata?.namespace, ds.metadata?.name ?? '');
    if (fresh.metadata?.uid !== ds.metadata?.uid) {
      throw new ConflictError(`original DaemonSet ${objectKey(ds)} is gone: got uid ${fresh.metadata?.uid ?? ''}, wanted ${ds.metadata?.uid ?? ''}`);
    }
    if (fresh.metadata?.deletionTimestamp !== undefined) {
      throw new ConflictError(`DaemonSet ${objectKey(ds)} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
    }
  }

  /** manage, then the rolling update (only if manage wrote nothing), then history cleanup. */
  private async update(pass: Pass, oldRevisions: readonly ControllerRevisionObject[]): Promise<number | undefined> {
    const retryAfterMs = await this.manage(pass);
    if (this.options.expectations.satisfied(pass.key) && isRollingUpdate(pass.ds)) {
      const plan = planRollingUpdate({
        ds: pass.ds,
        nodeToDaemonPods: groupPodsByNode(pass.pods),
        desiredNodes: pass.nodes.map((node) => node.metadata?.name ?? '').filter((name) => placementOn(pass, name).shouldRun),
        hash: pass.hash,
        generation: templateGeneration(pass.ds),
        now: pass.now,
      });
      await this.writes.sync(pass.key, pass.ds, plan.podsToDelete, plan.nodesToCreate, pass.hash);
    }
    await this.history.cleanup(pass.ds, oldRevisions, pass.pods);
    return retryAfterMs;
  }

  /** A pod on every node that should run one, none elsewhere; failed pods replaced with backoff. */
  private async manage(pass: Pass): Promise<number | undefined> {
    const { ds } = pass;
    const byNode = groupPodsByNode(pass.pods);
    const nodesNeedingPods: string[] = [];
    const podsToDelete: PodObject[] = [];
    let retryAfterMs: number | undefined;
    const surge = allowsSurge(ds);
    for (const node of pass.nodes) {
      const nodeName = node.metadata?.name ?? '';
      const plan = planNodePods({
        ds, nodeName, placement: placementOn(pass, nodeName),
        pods: byNode.get(nodeName), hash: pass.hash, allowsSurge: surge, backoff: this.options.backoff, now: pass.now,
      });
      if (plan.create) nodesNeedingPods.push(nodeName);
      podsToDelete.push(...plan.deletions);
      retryAfterMs = soonest(retryAfterMs, plan.retryAfterMs);
      for (const pod of plan.failed) {
        this.options.recorder.event(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''} on node ${nodeName}, will try to kill it`);
      }
      for (const pod of plan.succeeded) {
        this.options.recorder.event(ds, 'Normal', 'SucceededDaemonPod', `Found succeeded daemon pod ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''} on node ${nodeName}, will try to delete it`);
      }
    }
    // A pod never bound whose node is gone: the pod GC only collects bound pods, so it is ours.
    for (const [nodeName, pods] of byNode) {
      if (pass.placements.has(nodeName)) continue;
      podsToDelete.push(...pods.filter((pod) => (pod.spec?.nodeName ?? '') === ''));
    }
    await this.writes.sync(pass.key, ds, podsToDelete, nodesNeedingPods, pass.hash);
    return retryAfterMs;
  }

  /** Stores the counts (one retry on a conflict, with a fresh copy); returns them. */
  private async writeStatus(pass: Pass, observeGeneration: boolean): Promise<DaemonSetCounts> {
    const { ds } = pass;
    const counts = countDaemonPods({
      ds, nodes: pass.nodes, placementOf: (node) => placementOn(pass, node.metadata?.name ?? ''),
      nodeToDaemonPods: groupPodsByNode(pass.pods), hash: pass.hash, generation: templateGeneration(ds), now: pass.now,
    });
    if (!statusNeedsWrite(ds, counts, observeGeneration)) return counts;
    const observedGeneration = observeGeneration ? ds.metadata?.generation : undefined;
    try {
      await this.dsClient.updateStatus(ds.metadata?.namespace, { ...structuredClone(ds), status: nextStatus(ds.status, counts, observedGeneration) });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const fresh = await this.dsClient.get(ds.metadata?.namespace, ds.metadata?.name ?? '');
      if (fresh.metadata?.uid !== ds.metadata?.uid) return counts;
      // Over the fresh status, which keeps what others wrote meanwhile (a collisionCount bump).
      await this.dsClient.updateStatus(fresh.metadata?.namespace, { ...fresh, status: nextStatus(fresh.status, counts, observedGeneration) });
    }
    return counts;
  }
}
