// Identity helpers for pods in the scheduler's cache and queue.
import type { Pod } from 'kubernetes-types/core/v1.js';

/** `namespace/name`: the key of a pod in the queue and the node cache. */
export function podKey(pod: Pod): string {
  return `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`;
}

export function podPriority(pod: Pod): number {
  return pod.spec?.priority ?? 0;
}

export function hasAnyPodAffinity(pod: Pod): boolean {
  const affinity = pod.spec?.affinity;
  return Boolean(
    affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ||
      affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ||
      affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ||
      affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length,
  );
}

export function hasRequiredAntiAffinity(pod: Pod): boolean {
  return Boolean(pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length);
}

/** Succeeded and Failed pods hold no resources on their node any more. */
export function isTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** The uid of the pod's first owner: the soft-spread grouping (upstream PodsWithOwnerRef). */
export function firstOwnerUid(pod: Pod): string | undefined {
  return pod.metadata?.ownerReferences?.[0]?.uid;
}

// One string object per owner uid: podsPerOwner lookups run for every candidate node of every pod,
// and a Map compares a key it finds by identity first, so a shared string object saves reading a
// second copy of the characters from a cold cache line. Entries are counted and dropped when the
// last pod that used the uid goes away.
const ownerUids = new Map<string, { uid: string; uses: number }>();

/** The shared string for an owner uid, counting a use (pair with releaseOwnerUid). */
export function retainOwnerUid(uid: string): string {
  const entry = ownerUids.get(uid);
  if (entry) {
    entry.uses++;
    return entry.uid;
  }
  ownerUids.set(uid, { uid, uses: 1 });
  return uid;
}

export function releaseOwnerUid(uid: string): void {
  const entry = ownerUids.get(uid);
  if (entry && --entry.uses <= 0) ownerUids.delete(uid);
}

/** The shared string for an owner uid if one is in use, else the uid itself (no use counted). */
export function sharedOwnerUid(uid: string): string {
  return ownerUids.get(uid)?.uid ?? uid;
}
