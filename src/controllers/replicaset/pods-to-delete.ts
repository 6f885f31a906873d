// Which pods a ReplicaSet deletes first when it scales down (upstream: ActivePodsWithRanks.Less).
// The cheapest pods to lose go first:
//   1. unscheduled before scheduled (no node has started it yet)
//   2. Pending < Unknown < Running (less progress)
//   3. not ready before ready
//   4. more pods of this ReplicaSet on the same node first (upstream's rank: keeps replicas spread)
//   5. both ready: ready for a shorter time first
//   6. more container restarts first
//   7. newer before older (creationTimestamp)
// Upstream also counts co-located pods of sibling ReplicaSets in the rank and compares times on a
// logarithmic scale (LogarithmicScaleDown); both refinements are left out here.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isPodReady, maxContainerRestarts, podCondition } from '../framework/pod-utils.js';

const PHASE_ORDER: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

function time(value: string | undefined): number {
  const parsed = value === undefined ? Number.NaN : Date.parse(value);
  return Number.isNaN(parsed) ? 0 : parsed;
}

/** Negative when `a` should be deleted before `b`. */
function compareForDeletion(a: Pod, b: Pod, rank: ReadonlyMap<Pod, number>): number {
  const aNode = a.spec?.nodeName ?? '';
  const bNode = b.spec?.nodeName ?? '';
  if ((aNode === '') !== (bNode === '')) return aNode === '' ? -1 : 1;
  const aPhase = PHASE_ORDER[a.status?.phase ?? 'Pending'] ?? 0;
  const bPhase = PHASE_ORDER[b.status?.phase ?? 'Pending'] ?? 0;
  if (aPhase !== bPhase) return aPhase - bPhase;
  const aReady = isPodReady(a);
  const bReady = isPodReady(b);
  if (aReady !== bReady) return aReady ? 1 : -1;
  const aRank = rank.get(a) ?? 0;
  const bRank = rank.get(b) ?? 0;
  if (aRank !== bRank) return bRank - aRank;
  if (aReady && bReady) {
    const aSince = time(podCondition(a, 'Ready')?.lastTransitionTime);
    const bSince = time(podCondition(b, 'Ready')?.lastTransitionTime);
    if (aSince !== bSince) return bSince - aSince;
  }
  const restarts = maxContainerRestarts(b) - maxContainerRestarts(a);
  if (restarts !== 0) return restarts;
  const created = time(b.metadata?.creationTimestamp) - time(a.metadata?.creationTimestamp);
  if (created !== 0) return created;
  return (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}

/** The `count` pods of `pods` to delete first. */
export function podsToDelete<P extends Pod>(pods: readonly P[], count: number): P[] {
  if (count >= pods.length) return [...pods];
  const perNode = new Map<string, number>();
  for (const pod of pods) {
    const node = pod.spec?.nodeName;
    if (node) perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  const rank = new Map<Pod, number>();
  for (const pod of pods) {
    const node = pod.spec?.nodeName;
    rank.set(pod, node ? (perNode.get(node) ?? 0) : 0);
  }
  return [...pods].sort((a, b) => compareForDeletion(a, b, rank)).slice(0, count);
}
