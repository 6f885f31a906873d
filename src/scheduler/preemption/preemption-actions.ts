// Carrying out a preemption through the API (upstream prepareCandidate): each victim gets the
// DisruptionTarget condition (reason PreemptionByScheduler), is deleted with its own grace period,
// and gets a `Preempted` Event ("Preempted by pod <uid> on node <node>"). Pods of lower priority
// that were nominated to the same node lose their nomination (the room is the preemptor's now).
// Victims are handled in parallel; failures are logged, never thrown: the preemptor is retried
// later anyway, and a victim that did not go may simply be chosen again.
import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { EventRecorder } from '../../client/events/event-recorder.js';
import type { ClientSet } from '../../client/resource-client.js';
import { PODS } from '../../client/resource-types.js';
import type { Clock } from '../../lib/clock.js';
import { ConflictError, NotFoundError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { podKey } from '../framework/pod-key.js';
import { DISRUPTION_TARGET, REASON_PREEMPTION_BY_SCHEDULER } from './preemption.js';

export interface PreemptionActionsOptions {
  readonly clients: ClientSet;
  readonly recorder: EventRecorder;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly schedulerName: string;
}

/** status.conditions with DisruptionTarget set, as a merge patch (the whole list, like podScheduledFalsePatch). */
export function disruptionTargetPatch(victim: Pod, schedulerName: string, now: Date): { status: { conditions: PodCondition[] } } {
  const condition: PodCondition = {
    type: DISRUPTION_TARGET, status: 'True', reason: REASON_PREEMPTION_BY_SCHEDULER,
    message: `${schedulerName}: preempting to accommodate a higher priority pod`, lastTransitionTime: now.toISOString(),
  };
  const conditions = victim.status?.conditions ?? [];
  const next = conditions.some((c) => c.type === DISRUPTION_TARGET)
    ? conditions.map((c) => (c.type === DISRUPTION_TARGET ? condition : c))
    : [...conditions, condition];
  return { status: { conditions: next } };
}

export class PreemptionActions {
  private readonly options: PreemptionActionsOptions;

  constructor(options: PreemptionActionsOptions) {
    this.options = options;
  }

  /** Evicts the victims; resolves with the keys of those whose deletion went through (or were gone). */
  async evict(preemptor: Pod, nodeName: string, victims: readonly Pod[]): Promise<string[]> {
    const message = `Preempted by pod ${preemptor.metadata?.uid ?? ''} on node ${nodeName}`;
    const results = await Promise.all(victims.map(async (victim) => ((await this.evictOne(victim, message)) ? podKey(victim) : undefined)));
    return results.filter((key): key is string => key !== undefined);
  }

  /** Clears status.nominatedNodeName of a pod that lost its nomination. */
  async clearNomination(pod: Pod): Promise<void> {
    try {
      await this.options.clients.resource(PODS).patch(pod.metadata?.namespace, pod.metadata?.name ?? '', 'merge', { status: { nominatedNodeName: null } }, { subresource: 'status' });
    } catch (error) {
      if (!(error instanceof NotFoundError)) this.options.logger.warn({ pod: podKey(pod), err: (error as Error).message }, 'cannot clear nominated node');
    }
  }

  private async evictOne(victim: Pod, message: string): Promise<boolean> {
    const { clients, recorder, clock, logger, schedulerName } = this.options;
    const pods = clients.resource(PODS);
    const namespace = victim.metadata?.namespace;
    const name = victim.metadata?.name ?? '';
    try {
      await pods.patch(namespace, name, 'merge', disruptionTargetPatch(victim, schedulerName, clock.now()), { subresource: 'status' });
      await pods.delete(namespace, name, { preconditions: { ...(victim.metadata?.uid ? { uid: victim.metadata.uid } : {}) } });
    } catch (error) {
      // Gone, or replaced by a new pod of the same name (the uid precondition failed).
      if (error instanceof NotFoundError || error instanceof ConflictError) return true;
      logger.warn({ pod: podKey(victim), err: (error as Error).message }, 'cannot preempt victim');
      return false;
    }
    recorder.event(victim as KubeObject, 'Normal', 'Preempted', message);
    return true;
  }
}
