// Preemption for a pod no node fits (upstream DefaultPreemption PostFilter, simplified):
// - a pod with preemptionPolicy Never never preempts;
// - a pod already nominated to a node where lower-priority pods it preempted are still
//   terminating waits for them instead of preempting again;
// - every node that failed with a plain Unschedulable (a node that failed on taints, labels or
//   affinity is "not helpful") is asked for its fewest victims (select-victims.ts), every such node
//   is considered (upstream samples at most 10% / 100 nodes; k8ts clusters are small), and one node
//   is picked by upstream's rules (pick-node.ts).
// The result is a decision only; the scheduler carries it out through the API
// (preemption-actions.ts) and nominates the pod to the node.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { histogram, NO_PREEMPTION_VICTIMS, PREEMPTION_NOT_HELPFUL } from '../framework/fit-error.js';
import type { NodeSnapshot } from '../framework/node-snapshot.js';
import type { NominatedPods } from '../framework/nominator.js';
import { podKey, podPriority } from '../framework/pod-key.js';
import type { Unschedulable } from '../schedule-pod.js';
import type { BudgetView } from './pdb-violation.js';
import { pickNodeForPreemption } from './pick-node.js';
import { selectVictimsOnNode, type NodeVictims, type VictimSearch } from './select-victims.js';

/** The condition the scheduler puts on a victim before deleting it (upstream's constants). */
export const DISRUPTION_TARGET = 'DisruptionTarget';
export const REASON_PREEMPTION_BY_SCHEDULER = 'PreemptionByScheduler';

export interface PreemptionContext {
  readonly snapshot: NodeSnapshot;
  readonly nominated: NominatedPods | undefined;
  /** The PodDisruptionBudgets; asked only when some node has pods preemption could evict. */
  readonly budgets: () => readonly BudgetView[];
  /** Victims this scheduler asked to delete that have not left the snapshot yet. */
  readonly preempting: ReadonlySet<string>;
}

export type PreemptionResult =
  | { readonly kind: 'nominated'; readonly nodeName: string; readonly victims: readonly Pod[] }
  /** `message` is the "preemption: ..." sentence of the FailedScheduling message. */
  | { readonly kind: 'failed'; readonly message: string };

function terminatingByPreemption(pod: Pod, preempting: ReadonlySet<string>): boolean {
  if (preempting.has(podKey(pod))) return true;
  return Boolean(pod.metadata?.deletionTimestamp) &&
    (pod.status?.conditions ?? []).some((c) => c.type === DISRUPTION_TARGET && c.reason === REASON_PREEMPTION_BY_SCHEDULER);
}

/** Upstream PodEligibleToPreemptOthers; undefined when the pod may preempt. */
function notEligible(pod: Pod, outcome: Unschedulable, ctx: PreemptionContext): string | undefined {
  if (pod.spec?.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
  const nominatedNode = ctx.nominated?.nodeOf(podKey(pod)) ?? pod.status?.nominatedNodeName;
  // A nominated node that can no longer help at all (now tainted, gone...) does not hold the pod back.
  const info = nominatedNode ? outcome.candidates.find((c) => c.name === nominatedNode) : undefined;
  if (!info) return undefined;
  const priority = podPriority(pod);
  for (const other of info.pods.values()) {
    if (podPriority(other) < priority && terminatingByPreemption(other, ctx.preempting)) {
      return 'not eligible due to a terminating pod on the nominated node.';
    }
  }
  return undefined;
}

export function preempt(pod: Pod, outcome: Unschedulable, ctx: PreemptionContext): PreemptionResult {
  const refusal = notEligible(pod, outcome, ctx);
  if (refusal) return { kind: 'failed', message: `preemption: ${refusal}` };
  const reasons = new Map<string, number>();
  const count = (reason: string): void => void reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  for (const failure of outcome.nodeFailures) if (failure.code === 'UnschedulableAndUnresolvable') count(PREEMPTION_NOT_HELPFUL);
  const priority = podPriority(pod);
  let search: VictimSearch | undefined;
  const found: Extract<NodeVictims, { kind: 'victims' }>[] = [];
  for (const info of outcome.candidates) {
    // The common case in a cluster of equal priorities, answered without building anything.
    if (!info.hasPodBelow(priority)) {
      count(NO_PREEMPTION_VICTIMS);
      continue;
    }
    search ??= { filters: outcome.filters, state: outcome.state, nominated: ctx.nominated, budgets: ctx.budgets() };
    const result = selectVictimsOnNode(pod, info, search);
    if (result.kind === 'victims') found.push(result);
    else for (const reason of result.reasons) count(reason);
  }
  const chosen = pickNodeForPreemption(found);
  if (!chosen) return { kind: 'failed', message: `preemption: 0/${outcome.numAllNodes} nodes are available: ${histogram(reasons)}.` };
  return { kind: 'nominated', nodeName: chosen.nodeName, victims: chosen.victims };
}
