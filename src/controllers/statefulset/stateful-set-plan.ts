// What one pass does to a StatefulSet's pods (upstream: updateStatefulSet, processReplica,
// processCondemned and the rolling-update loop), decided up front from the cached pods so the
// rules read in one place and are tested without a client.
//
// Members are the ordinals start .. start+replicas-1; pods with other ordinals are "condemned".
// Three phases, each only when the previous one finished without an error:
//   1. members, lowest ordinal first: delete a Failed/Succeeded pod, create a missing one, relabel
//      one whose identity labels are wrong;
//   2. condemned, highest ordinal first: delete;
//   3. rolling update: delete the highest member not at the update revision (it comes back at the
//      update revision in a later pass), down to the partition.
// OrderedReady ("sequential") stops the whole pass at the first member that is missing (after
// creating it), finished, terminating, not Running and Ready, or not yet available: so web-2 is
// created only once web-0 and web-1 are Ready for minReadySeconds, and scale-down waits too.
// Parallel runs every action of a phase at once and never waits for readiness.
//
// Worked example, OrderedReady, replicas 3 -> 2 with all pods healthy, template changed:
// pass 1: members web-0, web-1 fine; condemned web-2 is deleted; stop. pass 2 (web-2 gone): the
// rolling update deletes web-1 (old revision); stop. pass 3: web-1 is missing and is created at the
// update revision; stop. Once web-1 is Ready, pass 4 deletes web-0, and so on.
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { newStatefulPod, templateForOrdinal, type VersionedTemplate } from './new-stateful-pod.js';
import { identityMatches, ordinalOf } from './stateful-pod-identity.js';
import { isFinished, isHealthy, isRunningAndAvailable, isRunningAndReady, isTerminating, podRevision } from './stateful-pod-state.js';
import type { ResolvedStatefulSetSpec, StatefulSetObject } from './stateful-set-spec.js';

export type PodAction =
  | { readonly type: 'create'; readonly pod: Pod }
  | { readonly type: 'delete'; readonly pod: Pod }
  /** Rewrite the identity labels (pod-name, pod-index) of member `ordinal`. */
  | { readonly type: 'relabel'; readonly pod: Pod; readonly ordinal: number };

export type PhaseName = 'members' | 'condemned' | 'rollingUpdate';

export interface PlanPhase {
  readonly name: PhaseName;
  readonly actions: readonly PodAction[];
}

export interface SyncPlan {
  /** OrderedReady: one action at a time, in order. Parallel: a phase's actions together. */
  readonly sequential: boolean;
  readonly phases: readonly PlanPhase[];
}

export interface PlanInput {
  readonly set: StatefulSetObject;
  readonly spec: ResolvedStatefulSetSpec;
  /** The pods the set owns, terminating and finished ones included. */
  readonly pods: readonly Pod[];
  readonly current: VersionedTemplate;
  readonly update: VersionedTemplate;
  readonly now: Date;
}

/** A member slot: the existing pod, or the pod to create for it. */
interface Slot {
  readonly pod: Pod;
  readonly missing: boolean;
}

/** Where a phase stopped: `blocked` ends the pass (OrderedReady only). */
interface PhaseResult {
  readonly actions: PodAction[];
  readonly blocked: boolean;
}

export function planSync(input: PlanInput): SyncPlan {
  const sequential = !input.spec.parallel;
  // A set being deleted only has its status kept up to date.
  if (input.set.metadata?.deletionTimestamp !== undefined) return { sequential, phases: [] };

  const { slots, condemned } = placePods(input);
  const phases: PlanPhase[] = [];
  const members = planMembers(slots, input, sequential);
  phases.push({ name: 'members', actions: members.actions });
  if (members.blocked) return { sequential, phases };

  const condemnedResult = planCondemned(condemned, firstUnhealthy(slots, condemned), input, sequential);
  phases.push({ name: 'condemned', actions: condemnedResult.actions });
  if (condemnedResult.blocked || input.spec.updateStrategy === 'OnDelete') return { sequential, phases };

  const replace = planRollingUpdate(slots, input);
  if (replace !== undefined) phases.push({ name: 'rollingUpdate', actions: [replace] });
  return { sequential, phases };
}

/** Members by index (ordinal - start), missing ones made from their revision; condemned, highest first. */
function placePods(input: PlanInput): { slots: Slot[]; condemned: Pod[] } {
  const { set, spec } = input;
  const existing = new Map<number, Pod>();
  const condemned: Pod[] = [];
  for (const pod of input.pods) {
    const ordinal = ordinalOf(pod);
    if (ordinal >= spec.startOrdinal && ordinal < spec.startOrdinal + spec.replicas) existing.set(ordinal, pod);
    else if (ordinal >= 0) condemned.push(pod);
    // A name without an ordinal has no slot: the pod is ignored.
  }
  const versions = { current: input.current, update: input.update, currentReplicas: set.status?.currentReplicas ?? 0 };
  const slots: Slot[] = [];
  for (let index = 0; index < spec.replicas; index++) {
    const ordinal = spec.startOrdinal + index;
    const pod = existing.get(ordinal);
    slots.push(pod !== undefined
      ? { pod, missing: false }
      : { pod: newStatefulPod(set, spec, templateForOrdinal(spec, ordinal, versions), ordinal), missing: true });
  }
  condemned.sort((a, b) => ordinalOf(b) - ordinalOf(a));
  return { slots, condemned };
}

/**
 * The pod a sequential scale-down may delete although it is unhealthy: the lowest member that is
 * not healthy (a missing one counts), else the lowest condemned one. Deleting it cannot make
 * things worse, and waiting for it to recover could wait forever.
 */
function firstUnhealthy(slots: readonly Slot[], condemned: readonly Pod[]): Pod | undefined {
  return slots.find((slot) => !isHealthy(slot.pod))?.pod ?? [...condemned].reverse().find((pod) => !isHealthy(pod));
}

function planMembers(slots: readonly Slot[], input: PlanInput, sequential: boolean): PhaseResult {
  const actions: PodAction[] = [];
  const { minReadySeconds, startOrdinal } = input.spec;
  for (const [index, { pod, missing }] of slots.entries()) {
    if (missing) {
      actions.push({ type: 'create', pod });
      if (sequential) return { actions, blocked: true };
      continue;
    }
    if (isFinished(pod)) {
      // Deleted now, recreated with the same name once it is gone. Nothing else is done to it.
      if (!isTerminating(pod)) actions.push({ type: 'delete', pod });
      if (sequential) return { actions, blocked: true };
      continue;
    }
    const waiting = isTerminating(pod) || !isRunningAndReady(pod) || !isRunningAndAvailable(pod, minReadySeconds, input.now);
    if (sequential && waiting) return { actions, blocked: true };
    if (!identityMatches(input.set, pod)) actions.push({ type: 'relabel', pod, ordinal: startOrdinal + index });
  }
  return { actions, blocked: false };
}

function planCondemned(condemned: readonly Pod[], unhealthy: Pod | undefined, input: PlanInput, sequential: boolean): PhaseResult {
  const actions: PodAction[] = [];
  for (const pod of condemned) {
    if (isTerminating(pod)) {
      if (sequential) return { actions, blocked: true };
      continue;
    }
    const ready = isRunningAndReady(pod) && isRunningAndAvailable(pod, input.spec.minReadySeconds, input.now);
    if (sequential && !ready && pod !== unhealthy) return { actions, blocked: true };
    actions.push({ type: 'delete', pod });
    if (sequential) return { actions, blocked: true };
  }
  return { actions, blocked: false };
}

/**
 * The one pod the rolling update replaces now, if any. Walking down from the highest index to the
 * partition, the first pod not at the update revision is replaced; an unhealthy pod met first
 * (typically the one just replaced, still starting) ends the walk with nothing replaced. Healthy
 * means Running and Ready: in 1.32 the rolling update does not wait for minReadySeconds.
 * Example: replicas 3, partition 1, web-2 already updated and Ready, web-1 old -> delete web-1;
 * web-0 (index 0 < partition) stays at the current revision.
 */
function planRollingUpdate(slots: readonly Slot[], input: PlanInput): PodAction | undefined {
  for (let index = slots.length - 1; index >= (input.spec.partition ?? 0); index--) {
    const pod = slots[index]?.pod;
    if (pod === undefined) continue;
    if (podRevision(pod) !== input.update.revision && !isTerminating(pod)) return { type: 'delete', pod };
    if (!isHealthy(pod)) return undefined;
  }
  return undefined;
}
