// Orderings of ReplicaSets the rollout depends on (upstream controller.ReplicaSetsByCreationTimestamp,
// ReplicaSetsBySizeNewer/Older, deploymentutil.ReplicaSetsByRevision). All return new arrays.
import type { ReplicaSetObject } from './deployment-types.js';
import { createdAt } from './deployment-types.js';
import { rsReplicas } from './rollout-math.js';
import { revisionOf } from './replica-set-annotations.js';

function byName(a: ReplicaSetObject, b: ReplicaSetObject): number {
  const x = a.metadata?.name ?? '';
  const y = b.metadata?.name ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Oldest first; equal times by name. */
export function oldestFirst(sets: readonly ReplicaSetObject[]): ReplicaSetObject[] {
  return [...sets].sort((a, b) => createdAt(a) - createdAt(b) || byName(a, b));
}

/** Largest first; equal sizes newest first (where a scale-up goes). */
export function largestNewerFirst(sets: readonly ReplicaSetObject[]): ReplicaSetObject[] {
  return [...sets].sort((a, b) => rsReplicas(b) - rsReplicas(a) || createdAt(b) - createdAt(a) || byName(b, a));
}

/** Largest first; equal sizes oldest first (where a scale-down goes). */
export function largestOlderFirst(sets: readonly ReplicaSetObject[]): ReplicaSetObject[] {
  return [...sets].sort((a, b) => rsReplicas(b) - rsReplicas(a) || createdAt(a) - createdAt(b) || byName(a, b));
}

/** Lowest revision first; equal revisions oldest first. */
export function lowestRevisionFirst(sets: readonly ReplicaSetObject[]): ReplicaSetObject[] {
  return [...sets].sort((a, b) => revisionOf(a) - revisionOf(b) || createdAt(a) - createdAt(b) || byName(a, b));
}
