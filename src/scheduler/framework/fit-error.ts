// The text of an unschedulable pod's PodScheduled condition and FailedScheduling Event, worded as
// upstream 1.32 (framework.FitError.Error() plus the DefaultPreemption PostFilter message):
//
//   0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: },
//   2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for
//   scheduling, 2 No preemption victims found for incoming pod.
//
// Each reason is counted once per node that gave it; the "<count> <reason>" strings are sorted as
// strings (so "1 node(s)..." sorts before "2 Insufficient cpu"). The part after "preemption:" is
// what preemption (../preemption/preemption.ts) reported; when preemption nominated a node it is
// empty and the message ends after the filter reasons, as upstream's does. Without a report (a
// caller that did not try preemption), nodes that failed with UnschedulableAndUnresolvable are
// "not helpful" and the others have "no victims".
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { FilterResult } from './plugin.js';

export const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const NO_PREEMPTION_VICTIMS = 'No preemption victims found for incoming pod';

export interface Diagnosis {
  readonly numAllNodes: number;
  /** One failed filter result per node that was checked. */
  readonly nodeFailures: readonly FilterResult[];
}

/** `<count> <reason>` for each reason, sorted as strings and joined by ", " (upstream's histogram). */
export function histogram(counts: ReadonlyMap<string, number>): string {
  return [...counts].map(([reason, count]) => `${count} ${reason}`).sort().join(', ');
}

/** Upstream's ErrNoNodesAvailable text, used when the cluster has no nodes at all. */
export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

/**
 * `postFilter`: preemption's own sentence ("preemption: ..."), '' when it nominated a node,
 * undefined to derive it from the filter codes.
 */
export function fitErrorMessage(pod: Pod, diagnosis: Diagnosis, postFilter?: string): string {
  const { numAllNodes, nodeFailures } = diagnosis;
  if (numAllNodes === 0) return NO_NODES_AVAILABLE;
  const reasons = new Map<string, number>();
  for (const failure of nodeFailures) {
    for (const reason of failure.reasons) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  let message = `0/${numAllNodes} nodes are available:`;
  if (reasons.size > 0) message += ` ${histogram(reasons)}.`;
  const after = postFilter ?? `preemption: ${preemptionMessage(pod, diagnosis)}`;
  if (after !== '') message += ` ${after}`;
  return message;
}

function preemptionMessage(pod: Pod, diagnosis: Diagnosis): string {
  if (pod.spec?.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
  const outcome = new Map<string, number>();
  for (const failure of diagnosis.nodeFailures) {
    const reason = failure.code === 'UnschedulableAndUnresolvable' ? PREEMPTION_NOT_HELPFUL : NO_PREEMPTION_VICTIMS;
    outcome.set(reason, (outcome.get(reason) ?? 0) + 1);
  }
  return `0/${diagnosis.numAllNodes} nodes are available: ${histogram(outcome)}.`;
}
