// The annotations a Deployment keeps on its ReplicaSets (upstream deployment/util:
// SetNewReplicaSetAnnotations, SetReplicasAnnotations, ReplicasAnnotationsNeedUpdate, MaxRevision).
//   revision          which rollout this template is; `rollout history` lists them
//   desired-replicas  spec.replicas when the RS was last sized (tells scaling events from rollouts)
//   max-replicas      replicas + maxSurge then (the base of proportional scaling)
// plus a copy of the deployment's own annotations (e.g. kubernetes.io/change-cause).
import type { DeploymentObject, ReplicaSetObject } from './deployment-types.js';
import {
  DEPRECATED_ROLLBACK_TO_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  LAST_APPLIED_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
} from './deployment-types.js';

/** Upstream caps revision-history at this many characters. */
const MAX_REVISION_HISTORY_CHARS = 2000;

const NOT_COPIED = new Set([
  LAST_APPLIED_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  DEPRECATED_ROLLBACK_TO_ANNOTATION,
]);

/** The revision annotation as a number (0 when absent or malformed). */
export function revisionOf(rs: { metadata?: { annotations?: Record<string, string> } }): number {
  const text = rs.metadata?.annotations?.[REVISION_ANNOTATION];
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : 0;
}

export function maxRevision(sets: readonly ReplicaSetObject[]): number {
  return sets.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);
}

function annotationsOf(rs: ReplicaSetObject): Record<string, string> {
  const metadata = (rs.metadata ??= {});
  return (metadata.annotations ??= {});
}

/** Copies the deployment's annotations (minus ours and kubectl's last-applied). Mutates `rs`. */
function copyDeploymentAnnotations(d: DeploymentObject, rs: ReplicaSetObject): boolean {
  const target = annotationsOf(rs);
  let changed = false;
  for (const [key, value] of Object.entries(d.metadata?.annotations ?? {})) {
    if (NOT_COPIED.has(key) || target[key] === value) continue;
    target[key] = value;
    changed = true;
  }
  return changed;
}

/** Sets desired-replicas and max-replicas; true when either changed. Mutates `rs`. */
export function setReplicasAnnotations(rs: ReplicaSetObject, desired: number, max: number): boolean {
  const annotations = annotationsOf(rs);
  let changed = false;
  for (const [key, value] of [[DESIRED_REPLICAS_ANNOTATION, String(desired)], [MAX_REPLICAS_ANNOTATION, String(max)]] as const) {
    if (annotations[key] === value) continue;
    annotations[key] = value;
    changed = true;
  }
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: ReplicaSetObject, desired: number, max: number): boolean {
  const annotations = rs.metadata?.annotations ?? {};
  return annotations[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || annotations[MAX_REPLICAS_ANNOTATION] !== String(max);
}

export function desiredReplicasAnnotation(rs: ReplicaSetObject): number | undefined {
  const text = rs.metadata?.annotations?.[DESIRED_REPLICAS_ANNOTATION];
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}

/**
 * Brings the new ReplicaSet's annotations up to date (upstream SetNewReplicaSetAnnotations):
 * copies the deployment's annotations and raises its revision to `newRevision` when lower. A
 * raised revision on an existing RS means a rollback to it: the revisions it had before are kept
 * in revision-history. A ReplicaSet about to be created (`exists` false) also gets the replica
 * annotations. Mutates `rs`; true when anything changed.
 */
export function setNewReplicaSetAnnotations(
  d: DeploymentObject,
  rs: ReplicaSetObject,
  newRevision: number,
  exists: boolean,
  replicas: { desired: number; max: number },
): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  const annotations = annotationsOf(rs);
  const oldText = annotations[REVISION_ANNOTATION];
  const oldRevision = revisionOf(rs);
  if (oldText !== undefined && !/^\d+$/.test(oldText)) return changed;
  if (oldRevision < newRevision) {
    annotations[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
    if (oldText !== undefined && oldText !== '') {
      const history = annotations[REVISION_HISTORY_ANNOTATION];
      let next = history ? `${history},${oldText}` : oldText;
      // Keep the newest entries when the list outgrows its budget.
      while (next.length > MAX_REVISION_HISTORY_CHARS && next.includes(',')) next = next.slice(next.indexOf(',') + 1);
      annotations[REVISION_HISTORY_ANNOTATION] = next;
    }
  }
  if (!exists && setReplicasAnnotations(rs, replicas.desired, replicas.max)) changed = true;
  return changed;
}
