// How the scheduler's in-memory state follows the cluster (upstream: eventhandlers.go). Pod and
// node informer events keep the node snapshot, the scheduling queue, the nominator and the set of
// victims being preempted in step, and decide when waiting pods deserve another attempt. Split
// from scheduler.ts so that file holds the scheduling loop and its outcomes (binding, failure,
// preemption) and this one the bookkeeping that feeds it; the state itself stays owned by the
// Scheduler, which passes it in.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/object.js';
import type { InformerFactory } from '../client/informer/informer.js';
import { NODES, PODS } from '../client/resource-types.js';
import type { NodeSnapshot } from './framework/node-snapshot.js';
import type { Nominator } from './framework/nominator.js';
import { isTerminal, podKey } from './framework/pod-key.js';
import type { SchedulingQueue } from './scheduling-queue.js';

export interface InformerEventHandlersOptions {
  readonly snapshot: NodeSnapshot;
  readonly queue: SchedulingQueue;
  readonly nominator: Nominator;
  /** Victims we asked to delete that are still in the snapshot (shared with the scheduler). */
  readonly preempting: Set<string>;
  /** Whether a pending pod is ours to schedule (scheduler name, unbound, not being deleted). */
  readonly responsibleFor: (pod: Pod) => boolean;
}

/** Spec changes that can change where pods fit: anything else (status heartbeats) is ignored. */
function nodeSchedulingFields(node: Node): string {
  return JSON.stringify([node.metadata?.labels, node.spec?.taints, node.spec?.unschedulable, node.status?.allocatable]);
}

function hasPodAffinityTerms(pod: Pod): boolean {
  return Boolean(pod.spec?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length);
}

export class InformerEventHandlers {
  private readonly snapshot: NodeSnapshot;
  private readonly queue: SchedulingQueue;
  private readonly nominator: Nominator;
  private readonly preempting: Set<string>;
  private readonly responsibleFor: (pod: Pod) => boolean;

  constructor(options: InformerEventHandlersOptions) {
    this.snapshot = options.snapshot;
    this.queue = options.queue;
    this.nominator = options.nominator;
    this.preempting = options.preempting;
    this.responsibleFor = options.responsibleFor;
  }

  /** Registers the pod and node handlers (before the informers start, so no event is missed). */
  connect(informers: InformerFactory): void {
    const pods = informers.informerFor<KubeObject>(PODS);
    pods.addHandlers({
      add: (object) => this.onPodAdd(object as Pod),
      update: (oldObject, newObject) => this.onPodUpdate(oldObject as Pod, newObject as Pod),
      delete: (object) => this.onPodDelete(object as Pod),
    });
    const nodes = informers.informerFor<KubeObject>(NODES);
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
    this.trackNomination(pod);
    if (pod.spec?.nodeName) {
      if (isTerminal(pod)) return;
      this.snapshot.addPod(pod);
      this.queue.moveAllToActiveOrBackoff(hasPodAffinityTerms);
    } else if (this.responsibleFor(pod)) this.queue.add(pod);
  }

  private onPodUpdate(oldPod: Pod, pod: Pod): void {
    const key = podKey(pod);
    this.trackNomination(pod);
    if (pod.spec?.nodeName) {
      if (!oldPod.spec?.nodeName) this.queue.delete(key);
      if (isTerminal(pod)) {
        if (this.snapshot.isPlaced(key)) {
          this.snapshot.removePod(key);
          this.preempting.delete(key);
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
    this.nominator.remove(key);
    this.preempting.delete(key);
    if (this.snapshot.isPlaced(key)) {
      this.snapshot.removePod(key);
      this.queue.moveAllToActiveOrBackoff();
    }
  }

  /**
   * Keeps the nominator in step with the pods: a bound pod is nominated nowhere; a pending pod
   * whose status names a node (set by us, or by a scheduler before a restart) is nominated there.
   * A pending pod without one keeps what we recorded (our status patch may not be back yet).
   */
  private trackNomination(pod: Pod): void {
    const key = podKey(pod);
    if (pod.spec?.nodeName || pod.metadata?.deletionTimestamp) {
      this.nominator.remove(key);
      return;
    }
    const nominated = pod.status?.nominatedNodeName;
    if (nominated && this.responsibleFor(pod)) this.nominator.nominate(pod, nominated);
    else this.nominator.refresh(pod);
  }
}
