// The scheduler: an API client that assigns pending pods (spec.schedulerName ours, no nodeName,
// not being deleted) to nodes. Informers feed the node snapshot and the scheduling queue
// (informer-event-handlers.ts); one loop pops a pod, decides synchronously (schedule-pod.ts),
// assumes the pod onto the chosen node in the snapshot, and binds it through pods/binding without
// waiting, so the next decision already counts it. A failed binding forgets the assumption and retries after backoff. A pod no node fits
// gets PodScheduled=False (reason Unschedulable, upstream's message) and a FailedScheduling Event.
// Before that, preemption (preemption/) may pick lower-priority pods to evict from one node: the
// pod is then nominated to that node (status.nominatedNodeName), the victims are deleted, and the
// pod is retried when they are gone (a deleted pod moves unschedulable pods back to active).
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { KubeObject } from '../api/object.js';
import type { EventRecorder } from '../client/events/event-recorder.js';
import type { InformerFactory } from '../client/informer/informer.js';
import type { ClientSet } from '../client/resource-client.js';
import type { Lister } from '../client/informer/informer.js';
import { NAMESPACES, PODDISRUPTIONBUDGETS, PODS } from '../client/resource-types.js';
import type { Clock } from '../lib/clock.js';
import { ConflictError, NotFoundError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { fitErrorMessage } from './framework/fit-error.js';
import { NodeSnapshot } from './framework/node-snapshot.js';
import { Nominator } from './framework/nominator.js';
import { podKey, podPriority } from './framework/pod-key.js';
import { InformerEventHandlers } from './informer-event-handlers.js';
import { defaultProfile, type SchedulerProfile } from './plugins/default-plugins.js';
import { podScheduledFalsePatch, REASON_SCHEDULER_ERROR, REASON_UNSCHEDULABLE } from './pod-scheduled-condition.js';
import { budgetViews } from './preemption/pdb-violation.js';
import { preempt } from './preemption/preemption.js';
import { PreemptionActions } from './preemption/preemption-actions.js';
import { PodScheduler, type Unschedulable } from './schedule-pod.js';
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

export class Scheduler {
  readonly queue: SchedulingQueue;
  readonly snapshot = new NodeSnapshot();
  readonly nominator = new Nominator();
  private readonly clients: ClientSet;
  private readonly informers: InformerFactory;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly recorder: EventRecorder;
  private readonly schedulerName: string;
  private readonly algorithm: PodScheduler;
  private readonly maxConcurrentBinds: number;
  private readonly flushIntervalMs: number;
  /** Bindings and preemptions in flight. */
  private readonly binds = new Set<Promise<void>>();
  private readonly budgets: Lister<KubeObject>;
  private readonly preemption: PreemptionActions;
  /** Victims we asked to delete that are still in the snapshot. */
  private readonly preempting = new Set<string>();

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
    this.budgets = options.informers.informerFor<KubeObject>(PODDISRUPTIONBUDGETS).lister;
    this.preemption = new PreemptionActions({
      clients: options.clients, recorder: options.recorder, clock: options.clock, logger: options.logger, schedulerName: this.schedulerName,
    });
    this.algorithm = new PodScheduler({
      profile,
      ...(options.percentageOfNodesToScore !== undefined ? { percentageOfNodesToScore: options.percentageOfNodesToScore } : {}),
      ...(options.random ? { random: options.random } : {}),
      ...(options.feasibleNodesToFind !== undefined ? { feasibleNodesToFind: options.feasibleNodesToFind } : {}),
    });
    new InformerEventHandlers({
      snapshot: this.snapshot, queue: this.queue, nominator: this.nominator, preempting: this.preempting,
      responsibleFor: (pod) => this.responsibleFor(pod),
    }).connect(options.informers);
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
   * One scheduling attempt for a popped pod. Returns the binding or preemption in flight (tests
   * await it), or undefined when the pod was skipped or found unschedulable without preempting.
   */
  scheduleOne(queued: QueuedPod): Promise<void> | undefined {
    const pod = queued.pod;
    if (!this.responsibleFor(pod) || this.snapshot.isPlaced(queued.key)) {
      this.queue.done(queued.key);
      return undefined;
    }
    const outcome = this.algorithm.schedule(pod, this.snapshot, this.nominator.size > 0 ? this.nominator : undefined);
    if (outcome.kind === 'unschedulable') return this.onUnschedulable(queued, outcome);
    this.nominator.remove(queued.key);
    this.snapshot.assumePod(pod, outcome.nodeName);
    return this.track(this.bind(queued, outcome.nodeName));
  }

  private track(work: Promise<void>): Promise<void> {
    this.binds.add(work);
    void work.finally(() => this.binds.delete(work));
    return work;
  }

  /** No node fits: try preemption, then record the failure (and the nomination, if any). */
  private onUnschedulable(queued: QueuedPod, outcome: Unschedulable): Promise<void> | undefined {
    const pod = queued.pod;
    const result = preempt(pod, outcome, {
      snapshot: this.snapshot,
      nominated: this.nominator.size > 0 ? this.nominator : undefined,
      budgets: () => budgetViews(this.budgets.list() as unknown as PodDisruptionBudget[]),
      preempting: this.preempting,
    });
    this.queue.addUnschedulable(queued);
    if (result.kind === 'failed') {
      this.reportFailure(pod, REASON_UNSCHEDULABLE, fitErrorMessage(pod, outcome, result.message));
      return undefined;
    }
    const { nodeName, victims } = result;
    this.logger.info({ pod: queued.key, node: nodeName, victims: victims.map(podKey) }, 'preempting');
    // Lower-priority pods nominated to this node lose the room they were waiting for.
    const displaced = [...(this.nominator.podsOn(nodeName) ?? [])].filter((p) => podPriority(p) < podPriority(pod));
    for (const other of displaced) this.nominator.remove(podKey(other));
    this.nominator.nominate(pod, nodeName);
    for (const victim of victims) this.preempting.add(podKey(victim));
    this.reportFailure(pod, REASON_UNSCHEDULABLE, fitErrorMessage(pod, outcome, ''), nodeName);
    return this.track(this.carryOut(pod, nodeName, victims, displaced));
  }

  private async carryOut(pod: Pod, nodeName: string, victims: readonly Pod[], displaced: readonly Pod[]): Promise<void> {
    const [evicted] = await Promise.all([
      this.preemption.evict(pod, nodeName, victims),
      ...displaced.map((other) => this.preemption.clearNomination(other)),
    ]);
    // A victim whose deletion failed may be chosen again by a later attempt.
    const gone = new Set(evicted);
    for (const victim of victims) if (!gone.has(podKey(victim))) this.preempting.delete(podKey(victim));
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

  private reportFailure(pod: Pod, reason: string, message: string, nominatedNodeName?: string): void {
    this.recorder.event(pod as KubeObject, 'Warning', 'FailedScheduling', message);
    const conditionPatch = podScheduledFalsePatch(pod, reason, message, this.clock.now());
    const nominate = nominatedNodeName !== undefined && pod.status?.nominatedNodeName !== nominatedNodeName;
    if (!conditionPatch && !nominate) return;
    const patch = { status: { ...conditionPatch?.status, ...(nominate ? { nominatedNodeName } : {}) } };
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
}
