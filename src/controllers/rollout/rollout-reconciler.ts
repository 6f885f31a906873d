// The Rollout reconciler (Argo rollout/controller.go syncHandler + rollout/sync.go): reads the
// rollout, its pod template (inline or from workloadRef), its ReplicaSets, and moves the canary or
// blue/green update one pass forward, then writes status once.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { EventRecorder } from '../../client/events/event-recorder.js';
import type { Lister } from '../../client/informer/informer.js';
import type { ClientSet } from '../../client/resource-client.js';
import { DEPLOYMENTS, PODS, REPLICASETS, ROLLOUTS, SERVICES } from '../../client/resource-types.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { selectTrafficRouter } from '../../rollouts/traffic/select-traffic-router.js';
import { TrafficRoutingError } from '../../rollouts/traffic/traffic-routing-error.js';
import { splitObjectKey } from '../framework/object-key.js';
import type { Reconciler, ReconcileResult } from '../framework/reconciler.js';
import { reconcileBlueGreen } from './bluegreen-reconcile.js';
import { reconcileAbortRequests } from './rollout-abort.js';
import { reconcileCanary } from './canary-reconcile.js';
import { reconcileEphemeralMetadata } from './rollout-ephemeral-metadata.js';
import type { RolloutAnalysisLauncher } from './rollout-analysis.js';
import { removeCondition, setCondition } from './rollout-conditions.js';
import { clearPauses } from './rollout-pause.js';
import { RolloutPass, type RolloutDependencies } from './rollout-pass.js';
import { cleanupHistory, ensureNewReplicaSet, rolloutPodTemplateHash } from './rollout-replica-sets.js';
import { cancelRestart, reconcileRestart } from './rollout-restart.js';
import { MissingServiceError, type ServiceObject } from './rollout-services.js';
import { persistStatus, syncStatus } from './rollout-status-sync.js';
import type { DeploymentObject, PodObject, ReplicaSetObject, RolloutObject } from './rollout-types.js';

export interface RolloutReconcilerOptions {
  readonly clients: ClientSet;
  readonly rollouts: Lister<RolloutObject>;
  readonly replicaSets: Lister<ReplicaSetObject>;
  readonly deployments: Lister<DeploymentObject>;
  readonly analysis: RolloutAnalysisLauncher;
  readonly recorder: EventRecorder;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** A problem in the spec or its references the user must fix (InvalidSpec condition, Degraded). */
class InvalidSpec extends Error {}

export class RolloutReconciler implements Reconciler {
  readonly name = 'rollout';
  private readonly options: RolloutReconcilerOptions;
  private readonly deps: RolloutDependencies;

  constructor(options: RolloutReconcilerOptions) {
    this.options = options;
    this.deps = {
      rollouts: options.clients.resource<RolloutObject>(ROLLOUTS),
      replicaSets: options.clients.resource<ReplicaSetObject>(REPLICASETS),
      services: options.clients.resource<ServiceObject>(SERVICES),
      deployments: options.clients.resource<DeploymentObject>(DEPLOYMENTS),
      pods: options.clients.resource<PodObject>(PODS),
      analysis: options.analysis,
      recorder: options.recorder,
      clock: options.clock,
      logger: options.logger,
    };
  }

  async reconcile(key: string, _signal: AbortSignal): Promise<ReconcileResult> {
    const { namespace, name } = splitObjectKey(key);
    const cached = this.options.rollouts.get(namespace, name);
    if (!cached || cached.metadata?.deletionTimestamp !== undefined) return {};
    const pass = new RolloutPass({ deps: this.deps, rollout: cached });
    try {
      await this.run(pass);
    } catch (error) {
      if (!(error instanceof InvalidSpec || error instanceof MissingServiceError || error instanceof TrafficRoutingError)) throw error;
      // The user's to fix: say so in a condition and an Event, look again later.
      const message = error.message;
      if (setCondition(pass.status, 'InvalidSpec', 'True', 'InvalidSpec', message, pass.nowText())) pass.event('Warning', 'InvalidSpec', message);
      pass.status.phase = 'Degraded';
      pass.status.message = `InvalidSpec: ${message}`;
      await persistStatus(pass);
      return { requeueAfterMs: 10_000 };
    }
    const ms = pass.requeueAfterMs;
    return ms !== undefined ? { requeueAfterMs: ms } : {};
  }

  private async run(pass: RolloutPass): Promise<void> {
    const ro = pass.rollout;
    const template = this.podTemplate(pass);
    const strategy = ro.spec?.strategy;
    if ((strategy?.canary === undefined) === (strategy?.blueGreen === undefined)) {
      throw new InvalidSpec('Rollout must have exactly one strategy: canary or blueGreen');
    }
    removeCondition(pass.status, 'InvalidSpec');
    const uid = ro.metadata?.uid;
    pass.allRSs = this.options.replicaSets
      .list(pass.namespace !== undefined ? { namespace: pass.namespace } : {})
      .filter((rs) => rs.metadata?.ownerReferences?.some((ref) => ref.controller === true && ref.uid === uid) === true);
    const previousHash = pass.status.currentPodHash;
    pass.hash = rolloutPodTemplateHash(template, pass.status.collisionCount);
    await ensureNewReplicaSet(pass, template);
    pass.stableRS = pass.replicaSetByHash(pass.status.stableRS);
    pass.otherRSs = pass.allRSs.filter((rs) => rs !== pass.newRS && rs !== pass.stableRS);
    if (strategy?.canary) pass.router = selectTrafficRouter(strategy.canary.trafficRouting, this.options.clients);
    if (previousHash !== undefined && previousHash !== pass.hash) this.resetForNewRevision(pass);
    reconcileAbortRequests(pass);
    await reconcileEphemeralMetadata(pass);

    if (strategy?.canary) await reconcileCanary(pass);
    else await reconcileBlueGreen(pass);
    await reconcileRestart(pass);
    await cleanupHistory(pass);
    await this.scaleDownWorkload(pass);
    await syncStatus(pass);
  }

  /** The pod template: inline, or the referenced Deployment's (workloadRef). */
  private podTemplate(pass: RolloutPass): PodTemplateSpec {
    const spec = pass.rollout.spec ?? {};
    if (spec.workloadRef === undefined) {
      if (spec.template === undefined) throw new InvalidSpec("Rollout has missing field 'spec.template'");
      return spec.template;
    }
    const refName = spec.workloadRef.name ?? '';
    const deployment = this.options.deployments.get(pass.namespace, refName);
    if (!deployment?.spec) throw new InvalidSpec(`workloadRef: Deployment "${refName}" not found`);
    if (spec.selector === undefined) (pass.rollout.spec ??= {}).selector = deployment.spec.selector;
    pass.status.workloadObservedGeneration = String(deployment.metadata?.generation ?? 1);
    return deployment.spec.template;
  }

  /** Argo's resetRolloutStatus for a changed template, and the skip when going back to stable. */
  private resetForNewRevision(pass: RolloutPass): void {
    const s = pass.status;
    clearPauses(pass);
    cancelRestart(pass);
    delete s.abort;
    delete s.abortedAt;
    delete s.promoteFull;
    if (s.canary) {
      delete s.canary.currentStepAnalysisRunStatus;
      delete s.canary.currentBackgroundAnalysisRunStatus;
    }
    if (s.blueGreen) {
      delete s.blueGreen.prePromotionAnalysisRunStatus;
      delete s.blueGreen.postPromotionAnalysisRunStatus;
      delete s.blueGreen.scaleUpPreviewCheckPoint;
    }
    const steps = pass.rollout.spec?.strategy?.canary?.steps ?? [];
    if (steps.length > 0) s.currentStepIndex = 0;
    else delete s.currentStepIndex;
    if (s.stableRS === pass.hash) {
      if (steps.length > 0) s.currentStepIndex = steps.length;
      pass.event('Normal', 'SkipSteps', 'Rollback to stable ReplicaSets');
      pass.decide({ kind: 'rollback', message: 'template is the stable revision again: skipping steps' });
    }
  }

  /** workloadRef.scaleDown: onsuccess scales the Deployment to 0 once the rollout is promoted and available. */
  private async scaleDownWorkload(pass: RolloutPass): Promise<void> {
    const ref = pass.rollout.spec?.workloadRef;
    if (ref?.scaleDown !== 'onsuccess' && ref?.scaleDown !== 'progressively') return;
    const s = pass.status;
    if (s.stableRS !== pass.hash || (pass.newRS?.status?.availableReplicas ?? 0) < pass.replicas) return;
    const deployment = this.options.deployments.get(pass.namespace, ref.name ?? '');
    if (!deployment || (deployment.spec?.replicas ?? 1) === 0) return;
    const copy = structuredClone(deployment);
    (copy.spec ??= { selector: {}, template: {} }).replicas = 0;
    await this.deps.deployments.update(pass.namespace, copy);
    pass.event('Normal', 'ScalingDeployment', `Scaled down Deployment ${ref.name ?? ''} to 0`);
  }
}
