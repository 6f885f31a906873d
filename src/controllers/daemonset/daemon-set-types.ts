// The object shapes, labels and small readers the DaemonSet controller's files share.
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../api/object.js';

export type { NodeObject, PodObject } from '../framework/kube-object-types.js';
export type { ControllerRevisionObject } from '../framework/controller-history.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../framework/controller-history.js';

export { CONTROLLER_REVISION_HASH_LABEL };

export type DaemonSetObject = DaemonSet & KubeObject;

export const DAEMON_SET_TYPE = { apiVersion: 'apps/v1', kind: 'DaemonSet' } as const;

/**
 * The API server numbers template changes in this annotation (apps/v1's
 * DeprecatedTemplateGeneration); pods made from that template carry the number in
 * TEMPLATE_GENERATION_LABEL. Kept for pods made before revision hashes existed: a pod is current
 * when either its hash or its generation matches.
 */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';

/** Upstream's defaults, for objects the server has not defaulted (unit tests, older stores). */
export const DEFAULT_REVISION_HISTORY_LIMIT = 10;
export const DEFAULT_MAX_UNAVAILABLE = 1;
export const DEFAULT_MAX_SURGE = 0;

/** Upstream's BurstReplicas for DaemonSets: at most this many creates or deletes per pass. */
export const DAEMON_SET_BURST_REPLICAS = 250;

/** The template generation from the annotation, or undefined when absent or not an integer. */
export function templateGeneration(ds: DaemonSetObject): string | undefined {
  const text = ds.metadata?.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  return text !== undefined && /^[+-]?\d+$/.test(text) ? String(BigInt(text)) : undefined;
}

export function minReadySeconds(ds: DaemonSetObject): number {
  return ds.spec?.minReadySeconds ?? 0;
}

export function isRollingUpdate(ds: DaemonSetObject): boolean {
  return (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/**
 * Whether `pod` runs the DaemonSet's current template (upstream's IsPodUpdated): its revision hash
 * label equals `hash`, or its template generation label equals the DaemonSet's generation.
 */
export function isPodUpdated(pod: KubeObject, hash: string, generation: string | undefined): boolean {
  const labels = pod.metadata?.labels ?? {};
  const hashMatches = hash !== '' && labels[CONTROLLER_REVISION_HASH_LABEL] === hash;
  const generationMatches = generation !== undefined && labels[TEMPLATE_GENERATION_LABEL] === generation;
  return hashMatches || generationMatches;
}

/** Creation time in ms (0 when unknown), for ordering. */
export function createdAt(object: KubeObject): number {
  const stamp = object.metadata?.creationTimestamp;
  const ms = stamp === undefined ? NaN : Date.parse(stamp);
  return Number.isNaN(ms) ? 0 : ms;
}
