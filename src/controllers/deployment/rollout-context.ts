// One reconcile pass over one Deployment: a private working copy of it plus the writes a rollout
// makes (scale a ReplicaSet, record the event, write the deployment's revision and status).
// Every write carries the resourceVersion last read or returned, so a stale cache turns into a
// ConflictError (thrown: the runner retries with backoff) rather than a lost update.
import type { EventRecorder } from '../../client/events/event-recorder.js';
import type { ResourceClient } from '../../client/resource-client.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { DeploymentObject, DeploymentStatus, ReplicaSetObject } from './deployment-types.js';
import { REVISION_ANNOTATION, specReplicas } from './deployment-types.js';
import { replicasAnnotationsNeedUpdate, setReplicasAnnotations } from './replica-set-annotations.js';
import { maxSurge, rsReplicas } from './rollout-math.js';
import { statusEqual } from './deployment-status.js';

export interface RolloutDependencies {
  readonly deployments: ResourceClient<DeploymentObject>;
  readonly replicaSets: ResourceClient<ReplicaSetObject>;
  readonly recorder: EventRecorder;
  readonly clock: Clock;
  readonly logger: Logger;
}

export class RolloutContext {
  readonly deps: RolloutDependencies;
  /** The working copy: in-memory changes (conditions, revision) are persisted by the write methods. */
  deployment: DeploymentObject;
  /** The status as last written or read, to skip writes that change nothing. */
  private persistedStatus: DeploymentStatus | undefined;
  private persistedRevision: string | undefined;
  private requeueMs: number | undefined;

  constructor(options: { deps: RolloutDependencies; deployment: DeploymentObject }) {
    this.deps = options.deps;
    // Cached objects are shared: work on a copy. TypeMeta may be missing from listed objects,
    // and Events need it to name the involved object.
    this.deployment = { ...structuredClone(options.deployment), apiVersion: 'apps/v1', kind: 'Deployment' };
    this.persistedStatus = structuredClone(options.deployment.status);
    this.persistedRevision = options.deployment.metadata?.annotations?.[REVISION_ANNOTATION];
  }

  get namespace(): string | undefined {
    return this.deployment.metadata?.namespace;
  }

  get name(): string {
    return this.deployment.metadata?.name ?? '';
  }

  now(): Date {
    return this.deps.clock.now();
  }

  /** Asks to be reconciled again after `ms` (the earliest request of a pass wins). */
  requeueAfter(ms: number): void {
    this.requeueMs = this.requeueMs === undefined ? ms : Math.min(this.requeueMs, ms);
  }

  get requeueAfterMs(): number | undefined {
    return this.requeueMs;
  }

  /** The working status, created on first use. */
  status(): DeploymentStatus {
    return (this.deployment.status ??= {});
  }

  /** Upstream SetDeploymentRevision on the working copy; persisted by persist(). */
  setRevision(revision: string): void {
    const metadata = (this.deployment.metadata ??= {});
    const annotations = (metadata.annotations ??= {});
    annotations[REVISION_ANNOTATION] = revision;
  }

  /**
   * Writes what changed in the working copy: the revision annotation through the main resource
   * (a /status write leaves metadata alone), then the status through /status.
   */
  async persist(): Promise<void> {
    const revision = this.deployment.metadata?.annotations?.[REVISION_ANNOTATION];
    if (revision !== undefined && revision !== this.persistedRevision) {
      const status = this.deployment.status;
      const updated = await this.deps.deployments.update(this.namespace, this.deployment);
      this.adopt(updated, status);
      this.persistedRevision = revision;
    }
    if (!statusEqual(this.deployment.status, this.persistedStatus)) {
      const status = this.deployment.status;
      const updated = await this.deps.deployments.updateStatus(this.namespace, this.deployment);
      this.adopt(updated, status);
      this.persistedStatus = structuredClone(status);
    }
  }

  /** Replaces the status wholesale and persists it. */
  async writeStatus(status: DeploymentStatus): Promise<void> {
    this.deployment.status = status;
    await this.persist();
  }

  private adopt(updated: DeploymentObject, status: DeploymentStatus | undefined): void {
    this.deployment = { ...updated, apiVersion: 'apps/v1', kind: 'Deployment' };
    if (status === undefined) delete this.deployment.status;
    else this.deployment.status = status;
  }

  /**
   * Upstream scaleReplicaSet: sets spec.replicas and the desired/max-replicas annotations when
   * either differs, and records `Scaled up replica set web-57b2 from 0 to 2` when the size moved.
   */
  async scaleReplicaSet(rs: ReplicaSetObject, newScale: number, operation: 'up' | 'down'): Promise<ReplicaSetObject> {
    const desired = specReplicas(this.deployment);
    const max = desired + maxSurge(this.deployment);
    const oldScale = rsReplicas(rs);
    const sizeChanges = oldScale !== newScale;
    if (!sizeChanges && !replicasAnnotationsNeedUpdate(rs, desired, max)) return rs;
    const copy = structuredClone(rs);
    (copy.spec ??= { selector: {} }).replicas = newScale;
    setReplicasAnnotations(copy, desired, max);
    const updated = await this.deps.replicaSets.update(this.namespace, copy);
    if (sizeChanges) {
      this.deps.recorder.event(
        this.deployment,
        'Normal',
        'ScalingReplicaSet',
        `Scaled ${operation} replica set ${rs.metadata?.name ?? ''} from ${oldScale} to ${newScale}`,
      );
    }
    return updated;
  }

  /** Upstream scaleReplicaSetAndRecordEvent: scale when the size differs; `scaled` says whether it did. */
  async scaleTo(rs: ReplicaSetObject, newScale: number): Promise<{ scaled: boolean; rs: ReplicaSetObject }> {
    if (rsReplicas(rs) === newScale) return { scaled: false, rs };
    const updated = await this.scaleReplicaSet(rs, newScale, rsReplicas(rs) < newScale ? 'up' : 'down');
    return { scaled: true, rs: updated };
  }
}
