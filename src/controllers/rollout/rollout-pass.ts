// One reconcile pass over one Rollout: a private copy of it, the status being built (`status`),
// the ReplicaSets split into new/stable/others, and the writes a pass makes (scale a ReplicaSet,
// point a Service at a revision, record an Event and a decision). The status is written once, at
// the end (rollout-status-sync.ts), like Argo's persistRolloutStatus.
import type { EventRecorder, EventType } from '../../client/events/event-recorder.js';
import type { ResourceClient } from '../../client/resource-client.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { TrafficRouter } from '../../rollouts/traffic/traffic-router.js';
import type { RolloutAnalysisLauncher } from './rollout-analysis.js';
import type { DeploymentObject, PodObject, ReplicaSetObject, RolloutDecision, RolloutObject, RolloutStatus, ServiceObject } from './rollout-types.js';
import { DESIRED_REPLICAS_ANNOTATION, formatTime, revisionOf, ROLLOUT_HASH_LABEL, rolloutReplicas } from './rollout-types.js';

/** Decisions kept in status (issue 6 §5). */
export const MAX_DECISIONS = 20;

export interface RolloutDependencies {
  readonly rollouts: ResourceClient<RolloutObject>;
  readonly replicaSets: ResourceClient<ReplicaSetObject>;
  readonly services: ResourceClient<ServiceObject>;
  readonly deployments: ResourceClient<DeploymentObject>;
  readonly pods: ResourceClient<PodObject>;
  readonly analysis: RolloutAnalysisLauncher;
  readonly recorder: EventRecorder;
  readonly clock: Clock;
  readonly logger: Logger;
}

export class RolloutPass {
  readonly deps: RolloutDependencies;
  /** The rollout as read (with TypeMeta), never changed: the "old status" of Argo's comparisons. */
  readonly rollout: RolloutObject;
  /** The status being built by this pass. */
  status: RolloutStatus;
  router: TrafficRouter | undefined;
  allRSs: ReplicaSetObject[] = [];
  newRS: ReplicaSetObject | undefined;
  stableRS: ReplicaSetObject | undefined;
  otherRSs: ReplicaSetObject[] = [];
  /** The pod-template-hash of the desired template (status.currentPodHash). */
  hash = '';
  /** Why this pass aborted (appended to Argo's "Rollout aborted update to revision N" message). */
  abortMessage: string | undefined;
  /** This pass made the new revision stable. */
  promoted = false;
  private requeueMs: number | undefined;

  constructor(options: { deps: RolloutDependencies; rollout: RolloutObject }) {
    this.deps = options.deps;
    this.rollout = { ...structuredClone(options.rollout), apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' };
    this.status = structuredClone(options.rollout.status ?? {});
  }

  get namespace(): string | undefined {
    return this.rollout.metadata?.namespace;
  }

  get name(): string {
    return this.rollout.metadata?.name ?? '';
  }

  get replicas(): number {
    return rolloutReplicas(this.rollout);
  }

  now(): Date {
    return this.deps.clock.now();
  }

  nowText(): string {
    return formatTime(this.now());
  }

  requeueAfter(ms: number): void {
    const value = Math.max(0, Math.ceil(ms));
    this.requeueMs = this.requeueMs === undefined ? value : Math.min(this.requeueMs, value);
  }

  get requeueAfterMs(): number | undefined {
    return this.requeueMs;
  }

  /** The revision of the new ReplicaSet (Argo's rollout revision), 0 when unknown. */
  revision(): number {
    return this.newRS ? revisionOf(this.newRS) : 0;
  }

  event(type: EventType, reason: string, message: string): void {
    this.deps.recorder.event(this.rollout, type, reason, message);
  }

  /** Aborts the update (status.abort); the next steps of this pass move traffic back first. */
  abort(message: string, decision: Omit<RolloutDecision, 'time' | 'kind' | 'message'> = {}): void {
    if (this.status.abort === true) return;
    this.status.abort = true;
    this.status.abortedAt = this.nowText();
    this.abortMessage = message;
    this.decide({ kind: 'abort', message, ...decision });
  }

  /** Appends a decision (keeping the last MAX_DECISIONS); a repeat of the latest one is dropped. */
  decide(decision: Omit<RolloutDecision, 'time'>): void {
    const list = [...(this.status.decisions ?? [])];
    const last = list[list.length - 1];
    if (last && last.kind === decision.kind && last.message === decision.message && last.step === decision.step) return;
    list.push({ time: this.nowText(), ...(this.hash !== '' ? { podTemplateHash: this.hash } : {}), ...decision });
    this.status.decisions = list.slice(-MAX_DECISIONS);
  }

  /**
   * Sets a ReplicaSet's spec.replicas (and Argo's desired-replicas annotation), recording
   * `Scaled up ReplicaSet web-7c5b (revision 2) from 0 to 3` as Argo does. Returns the written RS.
   */
  async scaleReplicaSet(rs: ReplicaSetObject, replicas: number, annotations: Record<string, string | undefined> = {}): Promise<ReplicaSetObject> {
    const old = rs.spec?.replicas ?? 0;
    const desired = String(this.replicas);
    const current = rs.metadata?.annotations ?? {};
    const annotationChanges = Object.entries({ [DESIRED_REPLICAS_ANNOTATION]: desired, ...annotations }).filter(([k, v]) => current[k] !== v);
    if (old === replicas && annotationChanges.length === 0) return rs;
    const copy = structuredClone(rs);
    const next = { ...(copy.metadata?.annotations ?? {}) };
    for (const [key, value] of annotationChanges) {
      if (value === undefined) delete next[key];
      else next[key] = value;
    }
    (copy.metadata ??= {}).annotations = next;
    (copy.spec ??= { selector: {} }).replicas = replicas;
    const updated = await this.deps.replicaSets.update(this.namespace, copy);
    this.replaceRS(updated);
    if (old !== replicas) {
      const direction = replicas > old ? 'up' : 'down';
      this.event('Normal', 'ScalingReplicaSet', `Scaled ${direction} ReplicaSet ${rs.metadata?.name ?? ''} (revision ${revisionOf(rs)}) from ${old} to ${replicas}`);
    }
    return updated;
  }

  /** Swaps a written ReplicaSet into the split so later steps of the pass see it. */
  replaceRS(updated: ReplicaSetObject): void {
    const uid = updated.metadata?.uid;
    const same = (rs: ReplicaSetObject | undefined): boolean => rs !== undefined && rs.metadata?.uid === uid;
    this.allRSs = this.allRSs.map((rs) => (same(rs) ? updated : rs));
    this.otherRSs = this.otherRSs.map((rs) => (same(rs) ? updated : rs));
    if (same(this.newRS)) this.newRS = updated;
    if (same(this.stableRS)) this.stableRS = updated;
  }

  /** The ReplicaSet whose pods carry `hash`. */
  replicaSetByHash(hash: string | undefined): ReplicaSetObject | undefined {
    if (hash === undefined || hash === '') return undefined;
    return this.allRSs.find((rs) => rs.metadata?.labels?.[ROLLOUT_HASH_LABEL] === hash);
  }
}
