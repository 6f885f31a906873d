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
