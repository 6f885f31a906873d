// The Deployment reconciler (upstream deployment_controller.go syncDeployment): reads the
// deployment, its ReplicaSets and pods from listers, and moves the rollout one step.
import { labelSelectorFromObject, matchesLabels, selectsEverything, type LabelSelectorRequirementSet } from '../../api/selectors/label-selector.js';
import type { EventRecorder } from '../../client/events/event-recorder.js';
import type { Lister } from '../../client/informer/informer.js';
import type { ClientSet } from '../../client/resource-client.js';
import { DEPLOYMENTS, REPLICASETS } from '../../client/resource-types.js';
import type { Clock } from '../../lib/clock.js';
import { BadRequestError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { getControllerOf } from '../framework/controller-ref.js';
import { splitObjectKey } from '../framework/object-key.js';
import type { Reconciler, ReconcileResult } from '../framework/reconciler.js';
import type { DeploymentObject, PodObject, ReplicaSetObject } from './deployment-types.js';
import { getAllReplicaSetsAndSyncRevision } from './new-replica-set.js';
import { checkPausedConditions, syncDeploymentStatus } from './progress.js';
import { rolloutRecreate, type PodsByReplicaSet } from './recreate.js';
import { claimReplicaSets } from './replica-set-claims.js';
import { rolloutRolling } from './rolling-update.js';
import { RolloutContext, type RolloutDependencies } from './rollout-context.js';
import { isScalingEvent, syncScaling } from './scaling.js';

export interface DeploymentReconcilerOptions {
  readonly clients: ClientSet;
  readonly deployments: Lister<DeploymentObject>;
  readonly replicaSets: Lister<ReplicaSetObject>;
  readonly pods: Lister<PodObject>;
  readonly recorder: EventRecorder;
  readonly clock: Clock;
  readonly logger: Logger;
}

export class DeploymentReconciler implements Reconciler {
  readonly name = 'deployment';
  private readonly deployments: Lister<DeploymentObject>;
  private readonly replicaSets: Lister<ReplicaSetObject>;
  private readonly pods: Lister<PodObject>;
  private readonly deps: RolloutDependencies;

  constructor(options: DeploymentReconcilerOptions) {
    this.deployments = options.deployments;
    this.replicaSets = options.replicaSets;
    this.pods = options.pods;
    this.deps = {
      deployments: options.clients.resource<DeploymentObject>(DEPLOYMENTS),
      replicaSets: options.clients.resource<ReplicaSetObject>(REPLICASETS),
      recorder: options.recorder,
      clock: options.clock,
      logger: options.logger,
    };
  }

  async reconcile(key: string, _signal: AbortSignal): Promise<ReconcileResult> {
    const { namespace, name } = splitObjectKey(key);
    const cached = this.deployments.get(namespace, name);
    // Gone: the garbage collector removes its ReplicaSets through their ownerReferences.
    if (!cached) return {};
    const ctx = new RolloutContext({ deps: this.deps, deployment: cached });

    const selector = await this.usableSelector(ctx);
    if (!selector) return {};
    const sets = await claimReplicaSets(ctx, this.replicaSets.list(namespace !== undefined ? { namespace } : {}), selector);

    if (ctx.deployment.metadata?.deletionTimestamp !== undefined) {
      // Being deleted (e.g. foreground): report, change nothing.
      const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, sets, false);
      await syncDeploymentStatus(ctx, newRS ? [...oldRSs, newRS] : oldRSs, newRS);
      return {};
    }

    await checkPausedConditions(ctx);
    if (ctx.deployment.spec?.paused === true || isScalingEvent(ctx.deployment, sets)) {
      await syncScaling(ctx, sets);
    } else if (ctx.deployment.spec?.strategy?.type === 'Recreate') {
      await rolloutRecreate(ctx, sets, this.podsByReplicaSet(ctx, sets, selector));
    } else {
      await rolloutRolling(ctx, sets);
    }
    const requeueAfterMs = ctx.requeueAfterMs;
    return requeueAfterMs !== undefined ? { requeueAfterMs } : {};
  }

  /**
   * The parsed selector, or undefined when the deployment selects everything or nothing or has an
   * invalid selector: that is the user's to fix, so an event says why and nothing else happens
   * (observedGeneration still moves so `rollout status` does not wait forever).
   */
  private async usableSelector(ctx: RolloutContext): Promise<LabelSelectorRequirementSet | undefined> {
    let problem: { reason: string; message: string } | undefined;
    let selector: LabelSelectorRequirementSet | undefined;
    try {
      selector = labelSelectorFromObject(ctx.deployment.spec?.selector);
      if (selectsEverything(selector)) {
        problem = { reason: 'SelectingAll', message: 'This deployment is selecting all pods. A non-empty selector is required.' };
      } else if (selector.matchesNothing) {
        problem = { reason: 'InvalidSelector', message: 'This deployment has no selector. A non-empty selector is required.' };
      }
    } catch (error) {
      if (!(error instanceof BadRequestError)) throw error;
      problem = { reason: 'InvalidSelector', message: `This deployment has an invalid selector: ${error.message}` };
    }
    if (!problem) return selector;
    this.deps.recorder.event(ctx.deployment, 'Warning', problem.reason, problem.message);
    const generation = ctx.deployment.metadata?.generation ?? 0;
    if ((ctx.deployment.status?.observedGeneration ?? 0) < generation) {
      await ctx.writeStatus({ ...ctx.deployment.status, observedGeneration: generation });
    }
    return undefined;
  }

  /** The deployment's pods grouped by the uid of the owned ReplicaSet controlling them. */
  private podsByReplicaSet(ctx: RolloutContext, sets: readonly ReplicaSetObject[], selector: LabelSelectorRequirementSet): PodsByReplicaSet {
    const owned = new Set(sets.map((rs) => rs.metadata?.uid).filter((uid): uid is string => uid !== undefined));
    const result = new Map<string, PodObject[]>();
    const namespace = ctx.namespace;
    for (const pod of this.pods.list(namespace !== undefined ? { namespace } : {})) {
      if (!matchesLabels(selector, pod.metadata?.labels)) continue;
      const uid = getControllerOf(pod)?.uid;
      if (uid === undefined || !owned.has(uid)) continue;
      const list = result.get(uid) ?? [];
      list.push(pod);
      result.set(uid, list);
    }
    return result;
  }
}
