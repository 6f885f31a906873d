// A DaemonSet's pods grouped by the node they belong to (upstream: getNodesToDaemonPods), and the
// order upstream picks "the" pod of a node in (podByCreationTimestampAndPhase).
import { isPodTerminal } from '../framework/pod-utils.js';
import { targetNodeName } from './daemon-pod-template.js';
import { createdAt, type PodObject } from './daemon-set-types.js';

export type NodeDaemonPods = ReadonlyMap<string, readonly PodObject[]>;

/**
 * Owned pods by target node. A pod that is both finished and being deleted is left out unless
 * `includeDeletedTerminal`: the kubelet or pod GC is removing it and there is nothing left to do
 * with it, except remembering (for history cleanup) which revision it ran.
 */
export function groupPodsByNode(pods: readonly PodObject[], includeDeletedTerminal = false): Map<string, PodObject[]> {
  const byNode = new Map<string, PodObject[]>();
  for (const pod of pods) {
    if (!includeDeletedTerminal && isPodTerminal(pod) && pod.metadata?.deletionTimestamp !== undefined) continue;
    const node = targetNodeName(pod);
    if (node === undefined) continue;
    const list = byNode.get(node);
    if (list === undefined) byNode.set(node, [pod]);
    else list.push(pod);
  }
  return byNode;
}

function isScheduled(pod: PodObject): boolean {
  return (pod.spec?.nodeName ?? '') !== '';
}

/** Bound pods first, then oldest first, then by name: the first one is the node's daemon pod. */
export function byScheduledThenAge(a: PodObject, b: PodObject): number {
  if (isScheduled(a) !== isScheduled(b)) return isScheduled(a) ? -1 : 1;
  const age = createdAt(a) - createdAt(b);
  if (age !== 0) return age;
  const nameA = a.metadata?.name ?? '';
  const nameB = b.metadata?.name ?? '';
  return nameA < nameB ? -1 : nameA > nameB ? 1 : 0;
}
