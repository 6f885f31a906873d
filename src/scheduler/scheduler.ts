// The scheduler: an API client that assigns pending pods (spec.schedulerName ours, no nodeName,
// not being deleted) to nodes. Informers feed the node snapshot and the scheduling queue; one
// loop pops a pod, decides synchronously (schedule-pod.ts), assumes the pod onto the chosen node
// in the snapshot, and binds it through pods/binding without waiting, so the next decision already
// counts it. A failed binding forgets the assumption and retries after backoff. A pod no node fits
// gets PodScheduled=False (reason Unschedulable, upstream's message) and a FailedScheduling Event.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/object.js';
import type { EventRecorder } from '../client/events/event-recorder.js';
import type { InformerFactory } from '../client/informer/informer.js';
import type { ClientSet } from '../client/resource-client.js';
import { NAMESPACES, NODES, PODS } from '../client/resource-types.js';
import type { Clock } from '../lib/clock.js';
import { ConflictError, NotFoundError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { fitErrorMessage } from './framework/fit-error.js';
import { NodeSnapshot } from './framework/node-snapshot.js';
import { isTerminal, podKey } from './framework/pod-key.js';
import { defaultProfile, type SchedulerProfile } from './plugins/default-plugins.js';
import { podScheduledFalsePatch, REASON_SCHEDULER_ERROR, REASON_UNSCHEDULABLE } from './pod-scheduled-condition.js';
import { PodScheduler } from './schedule-pod.js';
import { SchedulingQueue, type QueuedPod } from './scheduling-queue.js';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

export interface SchedulerOptions {
  readonly clients: ClientSet;
  readonly informers: InformerFactory;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly recorder: EventRecorder;
  readonly schedulerName?: string;
  /** 0 or absent: adaptive (50% - nodes/125, min 5%, at least 100 nodes). */
  readonly percentageOfNodesToScore?: number;
  readonly profile?: SchedulerProfile;
  /** Tie-breaking between equally scored nodes (tests pin it). */
  readonly random?: () => number;
  /** Overrides the adaptive sample size (1 = first fit); for benchmarks. */
  readonly feasibleNodesToFind?: number;
  /** Bindings in flight at once before the loop waits (default 256). */
  readonly maxConcurrentBinds?: number;
  /** How often backoff/unschedulable waits are checked, in real time (default 200 ms). */
  readonly flushIntervalMs?: number;
}

/** Spec changes that can change where pods fit: anything else (status heartbeats) is ignored. */
function nodeSchedulingFields(node: Node): string {
  return JSON.stringify([node.metadata?.labels, node.spec?.taints, node.spec?.unschedulable, node.status?.allocatable]);
}

function hasPodAffinityTerms(pod: Pod): boolean {
  return Boolean(pod.spec?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length);
}

export class Scheduler {
  readonly queue: SchedulingQueue;
  readonly snapshot = new NodeSnapshot();
  private readonly clients: ClientSet;
  private readonly informers: InformerFactory;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly recorder: EventRecorder;
  private readonly schedulerName: string;
  private readonly algorithm: PodScheduler;
  private readonly maxConcurrentBinds: number;
  private readonly flushIntervalMs: number;
  private readonly binds = new Set<Promise<void>>();

  constructor(options: SchedulerOptions) {
    this.clients = options.clients;
    this.informers = options.informers;
    this.clock = options.clock;
    this.logger = options.logger;
    this.recorder = options.recorder;
    this.schedulerName = options.schedulerName ?? DEFAULT_SCHEDULER_NAME;
    this.maxConcurrentBinds = options.maxConcurrentBinds ?? 256;
    this.flushIntervalMs = options.flushIntervalMs ?? 200;
    this.queue = new SchedulingQueue({ clock: options.clock });
    const namespaces = options.informers.informerFor<KubeObject>(NAMESPACES);
    const profile =
      options.profile ?? defaultProfile({ namespaceLabels: (name) => namespaces.lister.get(undefined, name)?.metadata?.labels });
    this.algorithm = new PodScheduler({
      profile,
      ...(options.percentageOfNodesToScore !== undefined ? { percentageOfNodesToScore: options.percentageOfNodesToScore } : {}),
      ...(options.random ? { random: options.random } : {}),
      ...(options.feasibleNodesToFind !== undefined ? { feasibleNodesToFind: options.feasibleNodesToFind } : {}),
    });
    this.connectInformers();
  }

  /** Runs until the signal aborts; waits for bindings in flight before returning. */
  async run(signal: AbortSignal): Promise<void> {
    this.informers.start(signal);
    await this.informers.waitForSync(signal);
    if (signal.aborted) return;
    this.logger.info({ scheduler: this.schedulerName, nodes: this.snapshot.size }, 'scheduler started');
    const timer = setInterval(() => this.queue.flush(), this.flushIntervalMs);
    const onAbort = (): void => this.queue.close();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      let sinceYield = 0;
      for (;;) {
        const queued = await this.queue.pop(signal);
        if (!queued) break;
        // The binding runs on; bind() handles its own errors, so the promise never rejects.
        void this.scheduleOne(queued);
        // Decisions are synchronous; let informer events and binding replies in now and then.
        if (++sinceYield >= 32 || this.binds.size >= this.maxConcurrentBinds) {
          sinceYield = 0;
          await new Promise<void>((resolve) => setImmediate(resolve));
          while (this.binds.size >= this.maxConcurrentBinds) await Promise.race(this.binds);
        }
      }
    } finally {
      clearInterval(timer);
      signal.removeEventListener('abort', onAbort);
      await Promise.allSettled([...this.binds]);
    }
  }

  /**
   * One scheduling attempt for a popped pod. Returns the binding in flight (tests await it), or
   * undefined when the pod was skipped or found unschedulable.
   */
  scheduleOne(queued: QueuedPod): Promise<void> | undefined {
    const pod = queued.pod;
    if (!this.responsibleFor(pod) || this.snapshot.isPlaced(queued.key)) {
      this.queue.done(queued.key);
      return undefined;
    }
    const outcome = this.algorithm.schedule(pod, this.snapshot);
    if (outcome.kind === 'unschedulable') {
      const message = fitErrorMessage(pod, outcome);
      this.queue.addUnschedulable(queued);
      this.reportFailure(pod, REASON_UNSCHEDULABLE, message);
      return undefined;
    }
    this.snapshot.assumePod(pod, outcome.nodeName);
    const bind = this.bind(queued, outcome.nodeName);
    this.binds.add(bind);
    void bind.finally(() => this.binds.delete(bind));
    return bind;
  }

  private async bind(queued: QueuedPod, nodeName: string): Promise<void> {
    const pod = queued.pod;
    const namespace = pod.metadata?.namespace ?? 'default';
    const name = pod.metadata?.name ?? '';
    try {
      await this.clients.resource(PODS).createSubresource(namespace, name, 'binding', {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name, namespace },
        target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
      });
      this.queue.done(queued.key);
      this.recorder.event(pod as KubeObject, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${nodeName}`);
    } catch (error) {
      this.snapshot.forgetPod(queued.key);
      if (error instanceof NotFoundError || error instanceof ConflictError) {
        // Gone, or bound by someone else: the informer will tell the rest.
        this.queue.done(queued.key);
        this.logger.debug({ pod: queued.key, node: nodeName, err: (error as Error).message }, 'binding not applied');
        return;
      }
      this.logger.warn({ pod: queued.key, node: nodeName, err: (error as Error).message }, 'binding failed');
      this.queue.addBackoff(queued);
      this.reportFailure(pod, REASON_SCHEDULER_ERROR, `Binding rejected: ${(error as Error).message}`);
    }
  }

  private reportFailure(pod: Pod, reason: string, message: string): void {
    this.recorder.event(pod as KubeObject, 'Warning', 'FailedScheduling', message);
    const patch = podScheduledFalsePatch(pod, reason, message, this.clock.now());
    if (!patch) return;
    const namespace = pod.metadata?.namespace ?? 'default';
    const name = pod.metadata?.name ?? '';
    this.clients
      .resource(PODS)
      .patch(namespace, name, 'merge', patch, { subresource: 'status' })
      .catch((error: unknown) => {
        if (!(error instanceof NotFoundError)) this.logger.warn({ pod: `${namespace}/${name}`, err: (error as Error).message }, 'status update failed');
      });
  }

  private responsibleFor(pod: Pod): boolean {
    return (
      (pod.spec?.schedulerName ?? DEFAULT_SCHEDULER_NAME) === this.schedulerName &&
      !pod.spec?.nodeName &&
      !pod.metadata?.deletionTimestamp
    );
  }

  private connectInformers(): void {
    const pods = this.informers.informerFor<KubeObject>(PODS);
    pods.addHandlers({
      add: (object) => this.onPodAdd(object as Pod),
      update: (oldObject, newObject) => this.onPodUpdate(oldObject as Pod, newObject as Pod),
      delete: (object) => this.onPodDelete(object as Pod),
    });
    const nodes = this.informers.informerFor<KubeObject>(NODES);
    nodes.addHandlers({
      add: (object) => {
        this.snapshot.setNode(object as Node);
        this.queue.moveAllToActiveOrBackoff();
      },
      update: (oldObject, newObject) => {
        this.snapshot.setNode(newObject as Node);
        if (nodeSchedulingFields(oldObject as Node) !== nodeSchedulingFields(newObject as Node)) this.queue.moveAllToActiveOrBackoff();
      },
      delete: (object) => this.snapshot.removeNode((object as Node).metadata?.name ?? ''),
    });
  }

  private onPodAdd(pod: Pod): void {
    if (pod.spec?.nodeName) {
      if (isTerminal(pod)) return;
      this.snapshot.addPod(pod);
      this.queue.moveAllToActiveOrBackoff(hasPodAffinityTerms);
    } else if (this.responsibleFor(pod)) this.queue.add(pod);
  }

  private onPodUpdate(oldPod: Pod, pod: Pod): void {
    const key = podKey(pod);
    if (pod.spec?.nodeName) {
      if (!oldPod.spec?.nodeName) this.queue.delete(key);
      if (isTerminal(pod)) {
        if (this.snapshot.isPlaced(key)) {
          this.snapshot.removePod(key);
          this.queue.moveAllToActiveOrBackoff();
        }
        return;
      }
      const wasPlaced = this.snapshot.isPlaced(key);
      this.snapshot.addPod(pod);
      if (!wasPlaced || this.snapshot.isAssumed(key)) this.queue.moveAllToActiveOrBackoff(hasPodAffinityTerms);
      return;
    }
    if (this.responsibleFor(pod)) this.queue.update(pod);
    else this.queue.delete(key);
  }

  private onPodDelete(pod: Pod): void {
    const key = podKey(pod);
    this.queue.delete(key);
    if (this.snapshot.isPlaced(key)) {
      this.snapshot.removePod(key);
      this.queue.moveAllToActiveOrBackoff();
    }
  }
}
