// The object shapes, names and small readers this controller shares across its files.
import type { DeploymentCondition, DeploymentStatus } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../api/object.js';

export type { DeploymentObject, PodObject, ReplicaSetObject } from '../framework/kube-object-types.js';
export type { DeploymentCondition, DeploymentStatus };

/** Label every ReplicaSet (selector, template and pods) of a Deployment carries. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** The annotation the deprecated `rollbackTo` field round-trips through (never copied). */
export const DEPRECATED_ROLLBACK_TO_ANNOTATION = 'deprecated.deployment.rollback.to';

/** spec.replicas with upstream's default of 1 (the server defaults it; fakes may not). */
export function specReplicas(object: { spec?: { replicas?: number } }): number {
  return object.spec?.replicas ?? 1;
}

/** Sorting tie-breaker and ordering key: creation time in ms (0 when unknown). */
export function createdAt(object: KubeObject): number {
  const stamp = object.metadata?.creationTimestamp;
  const ms = stamp === undefined ? NaN : Date.parse(stamp);
  return Number.isNaN(ms) ? 0 : ms;
}

/** RFC 3339 with second precision, as metav1.Time serializes. */
export function formatTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
