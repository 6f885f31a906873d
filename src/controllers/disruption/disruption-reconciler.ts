// The disruption controller (upstream: pkg/controller/disruption): keeps each PodDisruptionBudget's
// status true to its pods, so pods/eviction can decide from status alone. One pass per PDB:
// matched pods -> expectedPods and desiredHealthy (budget-math.ts), Ready pods not recently
// evicted -> currentHealthy, the difference -> disruptionsAllowed, the DisruptionAllowed
// condition, observedGeneration, and disruptedPods entries dropped once the deletion shows or
// after two minutes (then the pod counts again). The status is written only when it changed,
// with the resourceVersion read (a 409 throws and the runner retries on a fresh read).
import type { Condition } from 'kubernetes-types/meta/v1.js';
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1.js';
import type { KubeObject } from '../../api/object.js';
import { labelSelectorFromObject, matchesLabels } from '../../api/selectors/label-selector.js';
import type { EventRecorder } from '../../client/events/event-recorder.js';
import type { Lister } from '../../client/informer/informer.js';
import type { ClientSet, ResourceClient } from '../../client/resource-client.js';
import { PODDISRUPTIONBUDGETS } from '../../client/resource-types.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { getControllerOf } from '../framework/controller-ref.js';
import type { DeploymentObject as Deployment, PodObject as Pod, ReplicaSetObject as ReplicaSet } from '../framework/kube-object-types.js';
import { splitObjectKey } from '../framework/object-key.js';
import type { ReconcileResult, Reconciler } from '../framework/reconciler.js';
import { countHealthyPods, disruptionsAllowed, expectedPodCount, liveDisruptedPods } from './budget-math.js';

export type PdbObject = PodDisruptionBudget & KubeObject;

export interface DisruptionReconcilerOptions {
  readonly clients: ClientSet;
  readonly budgets: Lister<PdbObject>;
  readonly pods: Lister<Pod>;
  readonly replicaSets: Lister<ReplicaSet>;
  readonly deployments: Lister<Deployment>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly recorder: EventRecorder;
}

/** A sync problem the PDB's owner must fix (a pod without a supported controller). */
class BudgetSyncError extends Error {
  readonly reason: string;
  constructor(reason: string, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** Whether the budget selects the pod. policy/v1: a missing selector selects none, an empty one all. */
export function budgetSelects(pdb: PodDisruptionBudget, pod: Pod): boolean {
  const selector = pdb.spec?.selector;
  if (selector === undefined || selector === null || pod.metadata?.namespace !== pdb.metadata?.namespace) return false;
  try {
    return matchesLabels(labelSelectorFromObject(selector), pod.metadata?.labels);
  } catch {
    return false;
  }
}

/** The pods of the budget's namespace it selects. */
export function podsForBudget(pdb: PodDisruptionBudget, pods: Lister<Pod>): Pod[] {
  const namespace = pdb.metadata?.namespace;
  return pods.list(namespace === undefined ? {} : { namespace }).filter((pod) => budgetSelects(pdb, pod));
}

function formatTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** apimachinery's SetStatusCondition: the transition time moves only when the status does. */
function setCondition(conditions: readonly Condition[], next: Omit<Condition, 'lastTransitionTime'>, now: Date): Condition[] {
  const old = conditions.find((c) => c.type === next.type);
  const lastTransitionTime = old !== undefined && old.status === next.status ? old.lastTransitionTime : formatTime(now);
  return [...conditions.filter((c) => c.type !== next.type), { ...next, lastTransitionTime }];
}

export class DisruptionReconciler implements Reconciler {
  readonly name = 'disruption';
  readonly #options: DisruptionReconcilerOptions;
  readonly #client: ResourceClient<PdbObject>;

  constructor(options: DisruptionReconcilerOptions) {
    this.#options = options;
    this.#client = options.clients.resource<PdbObject>(PODDISRUPTIONBUDGETS);
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const { namespace, name } = splitObjectKey(key);
    const pdb = this.#options.budgets.get(namespace, name);
    if (pdb === undefined || pdb.metadata?.deletionTimestamp !== undefined) return;
    const pods = podsForBudget(pdb, this.#options.pods);
    if (pods.length === 0) this.#options.recorder.event(pdb, 'Normal', 'NoPods', 'No matching pods found');
    const now = this.#options.clock.now();
    let counts;
    try {
      counts = expectedPodCount(pdb.spec, pods.length, () => this.#expectedScale(pdb, pods));
    } catch (error) {
      if (!(error instanceof BudgetSyncError)) throw error;
      this.#options.recorder.event(pdb, 'Warning', error.reason, error.message);
      await this.#write(pdb, this.#failSafe(pdb, error.message, now));
      return;
    }
    const disrupted = liveDisruptedPods(pdb.status?.disruptedPods, pods, now.getTime());
    const currentHealthy = countHealthyPods(pods, disrupted.kept);
    const allowed = disruptionsAllowed(currentHealthy, counts.desiredHealthy, counts.expectedCount);
    const generation = pdb.metadata?.generation ?? 0;
    const { disruptedPods: _old, ...rest } = pdb.status ?? {};
    const status: PodDisruptionBudgetStatus = {
      ...rest,
      observedGeneration: generation,
      ...(Object.keys(disrupted.kept).length > 0 ? { disruptedPods: disrupted.kept } : {}),
      disruptionsAllowed: allowed,
      currentHealthy,
      desiredHealthy: counts.desiredHealthy,
      expectedPods: counts.expectedCount,
      conditions: setCondition(pdb.status?.conditions ?? [], allowed > 0
        ? { type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', observedGeneration: generation }
        : { type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods', message: '', observedGeneration: generation }, now),
    };
    await this.#write(pdb, status);
    if (disrupted.recheckAtMs !== undefined) return { requeueAfterMs: Math.max(1, disrupted.recheckAtMs - now.getTime()) };
  }

  /** No disruption allowed while the budget cannot be computed (upstream failSafe). */
  #failSafe(pdb: PdbObject, message: string, now: Date): PodDisruptionBudgetStatus {
    const status = pdb.status ?? { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 };
    return {
      ...status,
      disruptionsAllowed: 0,
      conditions: setCondition(status.conditions ?? [], {
        type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed', message, observedGeneration: status.observedGeneration ?? 0,
      }, now),
    };
  }

  async #write(pdb: PdbObject, status: PodDisruptionBudgetStatus): Promise<void> {
    if (JSON.stringify(status) === JSON.stringify(pdb.status)) return;
    await this.#client.updateStatus(pdb.metadata?.namespace, { ...structuredClone(pdb), status });
    this.#options.logger.debug({ pdb: pdb.metadata?.name, allowed: status.disruptionsAllowed }, 'pod disruption budget status updated');
  }

  /**
   * The sum of the replicas of the pods' controllers, each counted once (upstream
   * getExpectedScale): a ReplicaSet of a Deployment counts as the Deployment, any other
   * ReplicaSet (a Rollout's, a bare one) as itself. A pod without one of these fails the sync.
   */
  #expectedScale(pdb: PdbObject, pods: readonly Pod[]): number {
    const scales = new Map<string, number>();
    for (const pod of pods) {
      const ref = getControllerOf(pod);
      const podName = pod.metadata?.name ?? '';
      if (ref === undefined) throw new BudgetSyncError('NoControllerRef', `found no controller ref for pod "${podName}"`);
      if (scales.has(ref.uid)) continue;
      const found = this.#controllerScale(pdb.metadata?.namespace, ref);
      if (found === undefined) throw new BudgetSyncError('NoControllers', `found no controllers for pod "${podName}"`);
      scales.set(found.uid, found.replicas);
    }
    let total = 0;
    for (const replicas of scales.values()) total += replicas;
    return total;
  }

  #controllerScale(namespace: string | undefined, ref: { kind: string; apiVersion: string; name: string; uid: string }): { uid: string; replicas: number } | undefined {
    if (ref.kind !== 'ReplicaSet' || !ref.apiVersion.startsWith('apps/')) return undefined;
    const rs = this.#options.replicaSets.get(namespace, ref.name);
    if (rs?.metadata?.uid !== ref.uid) return undefined;
    const owner = getControllerOf(rs);
    if (owner?.kind === 'Deployment' && owner.apiVersion.startsWith('apps/')) {
      const deployment = this.#options.deployments.get(namespace, owner.name);
      if (deployment?.metadata?.uid !== owner.uid) return undefined;
      return { uid: owner.uid, replicas: deployment.spec?.replicas ?? 1 };
    }
    return { uid: rs.metadata.uid, replicas: rs.spec?.replicas ?? 1 };
  }
}
