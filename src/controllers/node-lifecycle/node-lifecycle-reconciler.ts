// Node lifecycle: one key per node name. A pass (1) turns a silent node's conditions Unknown,
// (2) brings the condition taints up to date, (3) evicts the pods the node's NoExecute taints no
// longer allow (the taint manager), and (4) marks the remaining pods of an unhealthy node not
// Ready (upstream MarkPodsNotReady). It then asks to be woken when the next deadline passes: the
// node's grace period running out, or a pod's tolerationSeconds expiring.
//
// Deleting a pod of a lost node (Ready Unknown) is a force delete (gracePeriodSeconds 0): the
// registry keeps bound pods until their agent confirms the kill, and a lost node's agent never
// will. Pods already terminating there are force-deleted once their grace period has passed.
// On a node whose agent still answers (Ready False) the deletion is graceful as usual.
import type { PodCondition } from 'kubernetes-types/core/v1.js';
import type { EventRecorder } from '../../client/events/event-recorder.js';
import type { Lister } from '../../client/informer/informer.js';
import type { ResourceClient } from '../../client/resource-client.js';
import type { Clock } from '../../lib/clock.js';
import { NotFoundError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { Reconciler, ReconcileResult } from '../framework/reconciler.js';
import { markNodeStatusUnknown, NodeHealthTracker } from './node-health.js';
import { NODE_LEASE_NAMESPACE, type NodeLifecycleOptions } from './node-lifecycle-options.js';
import type { LeaseObject, NodeObject, PodObject } from './node-lifecycle-types.js';
import { findCondition, reconcileTaints, rfc3339 } from './node-taints.js';
import { evictionDecision } from './taint-eviction.js';

export interface NodeLifecycleReconcilerOptions {
  readonly nodes: ResourceClient<NodeObject>;
  readonly pods: ResourceClient<PodObject>;
  readonly nodeLister: Lister<NodeObject>;
  readonly leaseLister: Lister<LeaseObject>;
  /** The pods bound to a node (an index lookup). */
  readonly podsOnNode: (nodeName: string) => PodObject[];
  readonly clock: Clock;
  readonly logger: Logger;
  readonly recorder: EventRecorder;
  readonly timings: NodeLifecycleOptions;
}

function isNotFound(error: unknown): boolean {
  return error instanceof NotFoundError;
}

export class NodeLifecycleReconciler implements Reconciler {
  readonly name = 'node-lifecycle';
  private readonly deps: NodeLifecycleReconcilerOptions;
  private readonly health = new NodeHealthTracker();
  /** Expectations: uid -> node of pods this controller already deleted (the cache may still show them). */
  private readonly evicted = new Map<string, string>();

  constructor(options: NodeLifecycleReconcilerOptions) {
    this.deps = options;
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const { nodeLister, leaseLister, clock, timings } = this.deps;
    const cached = nodeLister.get(undefined, key);
    if (!cached) {
      this.health.forget(key);
      return;
    }
    const now = clock.now().getTime();
    const probe = this.health.observe(cached, leaseLister.get(NODE_LEASE_NAMESPACE, key), now);
    const grace = findCondition(cached, 'Ready') ? timings.nodeMonitorGracePeriodMs : timings.nodeStartupGracePeriodMs;
    const deadlines: number[] = [];

    let node = cached;
    if (now - probe > grace) node = await this.markUnknown(node, now);
    else if (findCondition(node, 'Ready')?.status !== 'Unknown') deadlines.push(probe + grace + 1);

    const taints = reconcileTaints(node, now);
    if (taints) {
      node = await this.deps.nodes.update(undefined, { ...node, spec: { ...node.spec, taints } });
      this.deps.logger.info({ node: key, taints: taints.map((t) => `${t.key}:${t.effect}`) }, 'node taints updated');
    }

    const ready = findCondition(node, 'Ready')?.status;
    const lost = ready === 'Unknown';
    const pods = this.deps.podsOnNode(key);
    this.forgetGoneEvictions(key, pods);
    const staying: PodObject[] = [];
    for (const pod of pods) {
      const deadline = await this.evictIfDue(node, pod, lost, now);
      if (deadline === 'gone') continue;
      if (deadline !== undefined) deadlines.push(deadline);
      staying.push(pod);
    }
    if (ready === 'False' || ready === 'Unknown') await this.markPodsNotReady(staying, now);

    if (deadlines.length === 0) return;
    return { requeueAfterMs: Math.max(1, Math.min(...deadlines) - now) };
  }

  private async markUnknown(node: NodeObject, now: number): Promise<NodeObject> {
    const updated = markNodeStatusUnknown(node, now);
    if (!updated) return node;
    const wasReady = findCondition(node, 'Ready')?.status === 'True';
    const written = await this.deps.nodes.updateStatus(undefined, updated);
    const name = node.metadata?.name ?? '';
    this.deps.logger.warn({ node: name }, 'node stopped posting status; marked Unknown');
    if (wasReady) this.deps.recorder.event(written, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
    return written;
  }

  /**
   * Evicts `pod` when the node's NoExecute taints say so. Returns 'gone' when the pod was (or is
   * being) deleted, a future deadline (ms) when it must be looked at again, else undefined.
   */
  private async evictIfDue(node: NodeObject, pod: PodObject, lost: boolean, now: number): Promise<'gone' | number | undefined> {
    const uid = pod.metadata?.uid ?? '';
    if (this.evicted.has(uid)) return 'gone';
    const terminating = pod.metadata?.deletionTimestamp;
    if (terminating) {
      if (!lost) return 'gone';
      // Nobody will ever confirm this deletion: finish it once its grace period is over.
      const due = Date.parse(terminating);
      if (now < due) return due;
      await this.deletePod(node, pod, true);
      return 'gone';
    }
    const decision = evictionDecision(pod, node.spec?.taints ?? [], now);
    if (decision.kind === 'keep') return undefined;
    if (decision.kind === 'evict-at' && decision.at > now) return decision.at;
    const ref = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
    // Upstream records this before deleting; a pod that is already gone gets no Event.
    if (await this.deletePod(node, pod, lost)) this.deps.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${ref}`);
    this.deps.logger.info({ pod: ref, node: node.metadata?.name, force: lost }, 'evicting pod from tainted node');
    return 'gone';
  }

  /** true when this call deleted (or started deleting) the pod. */
  private async deletePod(node: NodeObject, pod: PodObject, force: boolean): Promise<boolean> {
    const uid = pod.metadata?.uid;
    try {
      await this.deps.pods.delete(pod.metadata?.namespace, pod.metadata?.name ?? '', {
        ...(force ? { gracePeriodSeconds: 0 } : {}),
        ...(uid ? { preconditions: { uid } } : {}),
      });
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
    if (uid) this.evicted.set(uid, node.metadata?.name ?? '');
    return true;
  }

  /** Upstream MarkPodsNotReady: a pod on an unhealthy node is not serving, whatever it last said. */
  private async markPodsNotReady(pods: readonly PodObject[], now: number): Promise<void> {
    for (const pod of pods) {
      const conditions = pod.status?.conditions ?? [];
      const index = conditions.findIndex((condition) => condition.type === 'Ready');
      const ready = index >= 0 ? conditions[index] : undefined;
      if (!ready || ready.status === 'False') continue;
      const next: PodCondition[] = [...conditions];
      next[index] = { ...ready, status: 'False', lastTransitionTime: rfc3339(now) };
      try {
        await this.deps.pods.updateStatus(pod.metadata?.namespace, { ...pod, status: { ...pod.status, conditions: next } });
      } catch (error) {
        if (isNotFound(error)) continue;
        throw error;
      }
      this.deps.recorder.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
    }
  }

  private forgetGoneEvictions(nodeName: string, pods: readonly PodObject[]): void {
    if (this.evicted.size === 0) return;
    const present = new Set(pods.map((pod) => pod.metadata?.uid ?? ''));
    for (const [uid, node] of this.evicted) if (node === nodeName && !present.has(uid)) this.evicted.delete(uid);
  }
}
