// What a Rollout references, as informer indexes, so a change to a Service or an HTTPRoute finds
// the Rollouts to reconcile without scanning them all (Argo's rollout controller does the same
// with its service and ingress indexers). A route edited or recreated by hand, or a Service whose
// selector was reset, is then put back within one pass instead of at the next requeue — which,
// during a pause until promoted, never comes.
//
// Index values are `namespace/name`:
//   services:   canaryService, stableService (canary); activeService, previewService (blue/green),
//               in the rollout's namespace;
//   httproutes: every route of the argoproj-labs/gatewayAPI plugin config, in the plugin's
//               `namespace` or the rollout's.
// Pods map to their Rollout through their ReplicaSet's controller reference (no index needed).
import type { KubeObject } from '../../api/object.js';
import type { Indexers, Lister } from '../../client/informer/informer.js';
import { GATEWAY_API_PLUGIN, gatewayApiRoutes } from '../../rollouts/traffic/select-traffic-router.js';
import { getControllerOf } from '../framework/controller-ref.js';
import type { PodObject, ReplicaSetObject, RolloutObject } from './rollout-types.js';

export const ROLLOUT_SERVICES_INDEX = 'rollout.spec.strategy.services';
export const ROLLOUT_HTTPROUTES_INDEX = 'rollout.spec.strategy.canary.trafficRouting.gatewayAPI.httpRoutes';

function keyOf(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

/** `namespace/name` of every Service the rollout points at a revision. */
export function referencedServices(ro: RolloutObject): string[] {
  const namespace = ro.metadata?.namespace;
  const canary = ro.spec?.strategy?.canary;
  const blueGreen = ro.spec?.strategy?.blueGreen;
  const names = [canary?.canaryService, canary?.stableService, blueGreen?.activeService, blueGreen?.previewService];
  return [...new Set(names.filter((n): n is string => n !== undefined && n !== '').map((n) => keyOf(namespace, n)))];
}

/** `namespace/name` of every HTTPRoute the rollout's Gateway API plugin config names. */
export function referencedHttpRoutes(ro: RolloutObject): string[] {
  const config = ro.spec?.strategy?.canary?.trafficRouting?.plugins?.[GATEWAY_API_PLUGIN];
  if (config === undefined) return [];
  const { routes, namespace } = gatewayApiRoutes(config);
  return [...new Set(routes.map((name) => keyOf(namespace ?? ro.metadata?.namespace, name)))];
}

export const ROLLOUT_INDEXERS: Indexers<RolloutObject> = {
  [ROLLOUT_SERVICES_INDEX]: referencedServices,
  [ROLLOUT_HTTPROUTES_INDEX]: referencedHttpRoutes,
};

/** Keys (`namespace/name`) of the Rollouts whose index `indexName` names `object`. */
export function referrersOf(rollouts: Lister<RolloutObject>, indexName: string, object: KubeObject): string[] {
  const key = keyOf(object.metadata?.namespace, object.metadata?.name ?? '');
  return rollouts.byIndex(indexName, key).map((ro) => keyOf(ro.metadata?.namespace, ro.metadata?.name ?? ''));
}

/** The key of the Rollout controlling the pod's ReplicaSet, if any. */
export function podOwnerRollout(pod: PodObject, replicaSets: Lister<ReplicaSetObject>): string | undefined {
  const rsRef = getControllerOf(pod);
  if (rsRef?.kind !== 'ReplicaSet') return undefined;
  const namespace = pod.metadata?.namespace;
  const rs = replicaSets.get(namespace, rsRef.name);
  if (rs === undefined || rs.metadata?.uid !== rsRef.uid) return undefined;
  const owner = getControllerOf(rs);
  return owner?.kind === 'Rollout' ? keyOf(namespace, owner.name) : undefined;
}

/**
 * A change the rollout controller acts on: anything but a resync (same resourceVersion) or a
 * status-only write (the gateway's route status, a Service's load balancer status).
 */
export function specOrMetadataChanged(a: KubeObject, b: KubeObject): boolean {
  if (a === b || a.metadata?.resourceVersion === b.metadata?.resourceVersion) return false;
  const spec = (o: KubeObject): string => JSON.stringify((o as { spec?: unknown }).spec ?? null);
  const meta = (o: KubeObject): string => JSON.stringify([o.metadata?.labels ?? {}, o.metadata?.annotations ?? {}, o.metadata?.deletionTimestamp ?? null]);
  return spec(a) !== spec(b) || meta(a) !== meta(b);
}

function podReady(pod: PodObject): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
}

/** Pod changes that matter to a rollout: readiness, labels, phase, deletion (not every probe write). */
export function podChanged(a: PodObject, b: PodObject): boolean {
  if (a === b || a.metadata?.resourceVersion === b.metadata?.resourceVersion) return false;
  return podReady(a) !== podReady(b) || a.status?.phase !== b.status?.phase
    || a.metadata?.deletionTimestamp !== b.metadata?.deletionTimestamp
    || JSON.stringify(a.metadata?.labels ?? {}) !== JSON.stringify(b.metadata?.labels ?? {});
}
