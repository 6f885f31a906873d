// The pod garbage collector (upstream: PodGCController.gc), run as one key every 20 s:
//   - terminated pods (Succeeded/Failed) beyond `terminatedPodThreshold` go, evicted ones first,
//     then the oldest;
//   - pods bound to a node that no longer exists go once the node has been missing for the
//     quarantine (40 s; a live GET confirms it, the node cache may lag): marked Failed with a
//     DisruptionTarget condition, then force-deleted;
//   - pods being deleted that were never scheduled are force-deleted (no agent will finish them).
import type { ClientSet, ResourceClient } from '../../client/resource-client.js';
import type { Lister } from '../../client/informer/informer.js';
import { NODES, PODS } from '../../client/resource-types.js';
import type { Clock } from '../../lib/clock.js';
import { NotFoundError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { NodeObject as Node, PodObject as Pod } from '../framework/kube-object-types.js';
import { isPodTerminal } from '../framework/pod-utils.js';
import type { ReconcileResult, Reconciler } from '../framework/reconciler.js';

export const POD_GC_KEY = 'pod-gc';
/** Upstream's --terminated-pod-gc-threshold default. */
export const DEFAULT_TERMINATED_POD_THRESHOLD = 12_500;
/** Upstream's gcCheckPeriod. */
export const DEFAULT_GC_PERIOD_MS = 20_000;
/** Upstream's quarantineTime. */
export const DEFAULT_QUARANTINE_MS = 40_000;

export interface PodGcReconcilerOptions {
  readonly clients: ClientSet;
  readonly pods: Lister<Pod>;
  readonly nodes: Lister<Node>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** <= 0 disables the terminated-pod sweep. */
  readonly terminatedPodThreshold?: number;
  readonly periodMs?: number;
  readonly quarantineMs?: number;
}

function formatTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function creationTime(pod: Pod): number {
  const t = Date.parse(pod.metadata?.creationTimestamp ?? '');
  return Number.isNaN(t) ? 0 : t;
}

export class PodGcReconciler implements Reconciler {
  readonly name = 'pod-gc';
  private readonly options: PodGcReconcilerOptions;
  private readonly podClient: ResourceClient<Pod>;
  private readonly threshold: number;
  private readonly periodMs: number;
  private readonly quarantineMs: number;
  /** node name -> when we first saw pods bound to it while it was missing. */
  private readonly missingSince = new Map<string, number>();

  constructor(options: PodGcReconcilerOptions) {
    this.options = options;
    this.podClient = options.clients.resource<Pod>(PODS);
    this.threshold = options.terminatedPodThreshold ?? DEFAULT_TERMINATED_POD_THRESHOLD;
    this.periodMs = options.periodMs ?? DEFAULT_GC_PERIOD_MS;
    this.quarantineMs = options.quarantineMs ?? DEFAULT_QUARANTINE_MS;
  }

  async reconcile(): Promise<ReconcileResult> {
    const pods = this.options.pods.list();
    if (this.threshold > 0) await this.gcTerminated(pods);
    const nextCheckMs = await this.gcOrphaned(pods);
    await this.gcUnscheduledTerminating(pods);
    return { requeueAfterMs: Math.min(this.periodMs, nextCheckMs) };
  }

  private async gcTerminated(pods: readonly Pod[]): Promise<void> {
    const terminated = pods.filter(isPodTerminal);
    const excess = terminated.length - this.threshold;
    if (excess <= 0) return;
    // Evicted first, then oldest first (upstream: byEvictionAndCreationTimestamp).
    const evicted = (p: Pod): number => (p.status?.reason === 'Evicted' ? 0 : 1);
    const victims = [...terminated].sort((a, b) => evicted(a) - evicted(b) || creationTime(a) - creationTime(b)).slice(0, excess);
    this.options.logger.info({ count: victims.length, threshold: this.threshold }, 'pod-gc deleting terminated pods');
    await Promise.all(victims.map((pod) => this.forceDelete(pod)));
  }

  /** Returns how soon a node's quarantine ends (Infinity when none is pending). */
  private async gcOrphaned(pods: readonly Pod[]): Promise<number> {
    const now = this.options.clock.now().getTime();
    const byNode = new Map<string, Pod[]>();
    for (const pod of pods) {
      const node = pod.spec?.nodeName;
      if (!node || this.options.nodes.get(undefined, node) !== undefined) continue;
      byNode.set(node, [...(byNode.get(node) ?? []), pod]);
    }
    for (const node of this.missingSince.keys()) if (!byNode.has(node)) this.missingSince.delete(node);
    let nextMs = Infinity;
    for (const [node, bound] of byNode) {
      const since = this.missingSince.get(node) ?? now;
      this.missingSince.set(node, since);
      const left = since + this.quarantineMs - now;
      if (left > 0) {
        nextMs = Math.min(nextMs, left);
        continue;
      }
      if (await this.nodeExists(node)) {
        this.missingSince.delete(node);
        continue;
      }
      this.options.logger.info({ node, count: bound.length }, 'pod-gc deleting pods of a missing node');
      await Promise.all(bound.map((pod) => this.failAndDelete(pod)));
    }
    return nextMs;
  }

  private async gcUnscheduledTerminating(pods: readonly Pod[]): Promise<void> {
    const stuck = pods.filter((p) => p.metadata?.deletionTimestamp !== undefined && !p.spec?.nodeName);
    await Promise.all(stuck.map((pod) => this.forceDelete(pod)));
  }

  private async nodeExists(name: string): Promise<boolean> {
    try {
      await this.options.clients.resource(NODES).get(undefined, name);
      return true;
    } catch (error) {
      if (error instanceof NotFoundError) return false;
      throw error;
    }
  }

  /** Upstream's markFailedAndDeletePodWithCondition: phase Failed + DisruptionTarget, then force delete. */
  private async failAndDelete(pod: Pod): Promise<void> {
    if (!isPodTerminal(pod)) {
      const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
      conditions.push({
        type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC',
        message: 'PodGC: node no longer exists', lastTransitionTime: formatTime(this.options.clock.now()),
      });
      try {
        await this.podClient.patch(pod.metadata?.namespace, pod.metadata?.name ?? '', 'merge',
          { status: { phase: 'Failed', conditions } }, { subresource: 'status' });
      } catch (error) {
        if (error instanceof NotFoundError) return;
        throw error;
      }
    }
    await this.forceDelete(pod);
  }

  private async forceDelete(pod: Pod): Promise<void> {
    try {
      await this.podClient.delete(pod.metadata?.namespace, pod.metadata?.name ?? '', {
        gracePeriodSeconds: 0, preconditions: { uid: pod.metadata?.uid ?? '' },
      });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
}
