// The HPA's target through its scale subresource (autoscaling/v1 Scale). Upstream maps
// scaleTargetRef's group and kind to a resource with the RESTMapper; here the scalable kinds are
// the ones the API server gives a scale subresource.
//
// The ResourceClient reads subresources only by writing them, so the Scale is read with an empty
// merge patch: the server computes the Scale, finds nothing to change and skips the write (no new
// resourceVersion, no event), answering the current Scale.
import type { Scale } from 'kubernetes-types/autoscaling/v1.js';
import type { CrossVersionObjectReference } from 'kubernetes-types/autoscaling/v2.js';
import type { KubeObject } from '../../api/object.js';
import type { ClientSet, ResourceType } from '../../client/resource-client.js';
import { DEPLOYMENTS, REPLICASETS, ROLLOUTS, STATEFUL_SETS } from '../../client/resource-types.js';
import { MetricComputationError } from './hpa-types.js';

export type ScaleObject = Scale & KubeObject;

const SCALABLE: readonly ResourceType[] = [DEPLOYMENTS, REPLICASETS, STATEFUL_SETS, ROLLOUTS];

/** The group of an apiVersion: `apps/v1` -> `apps`, `v1` -> '' (the core group). */
function groupOf(apiVersion: string | undefined): string {
  const parts = (apiVersion ?? '').split('/');
  return parts.length === 2 ? (parts[0] ?? '') : '';
}

/** The resource scaleTargetRef names; throws with the RESTMapper's wording when there is none. */
export function scaleTargetResource(ref: CrossVersionObjectReference): ResourceType {
  const group = groupOf(ref.apiVersion);
  const type = SCALABLE.find((t) => t.group === group && t.kind === ref.kind);
  if (type === undefined) throw new MetricComputationError(`no matches for kind "${ref.kind}" in group "${group}"`);
  return type;
}

export async function readScale(clients: ClientSet, type: ResourceType, namespace: string, name: string): Promise<ScaleObject> {
  return (await clients.resource(type).getScale(namespace, name)) as ScaleObject;
}

/** Sets spec.replicas, conditional on the Scale read (a concurrent change is a Conflict). */
export async function writeScale(clients: ClientSet, type: ResourceType, scale: ScaleObject, replicas: number): Promise<ScaleObject> {
  const { namespace, name, resourceVersion } = scale.metadata ?? {};
  const patch = { metadata: { resourceVersion }, spec: { replicas } };
  return clients.resource<ScaleObject>(type).patch(namespace, name ?? '', 'merge', patch, { subresource: 'scale' });
}
