// Which Services a pod change concerns (upstream: GetPodUpdateProjectionKey, GetServicesToUpdate,
// podEndpointsChanged). Both endpoint controllers map pod events to service keys with this.
//
// Worked example: pod p with labels {app: web, tier: x} becomes Ready. Its labels did not change,
// so only the services selecting it now are enqueued. If instead only its labels change, to
// {app: api, tier: x}, a service selecting {app: web} lost it and one selecting {app: api} gained
// it, but one selecting {tier: x} sees the same endpoint as before: only the symmetric difference
// of the two service sets is enqueued.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Lister } from '../../client/informer/informer.js';
import { isPodReady } from '../framework/pod-utils.js';
import { objectKey } from '../framework/object-key.js';
import type { ServiceObject } from './endpoint-object-types.js';
import { hasSelector, podIPs } from './pod-endpoint-rules.js';

type Labels = Readonly<Record<string, string>> | undefined;

/** A service selects a pod when every selector pair is among the pod's labels. */
export function selectorMatches(service: ServiceObject, labels: Labels): boolean {
  if (!hasSelector(service)) return false;
  return Object.entries(service.spec?.selector ?? {}).every(([key, value]) => labels?.[key] === value);
}

/** Keys of the services in `namespace` whose selector matches `labels`. */
export function servicesForLabels(services: Lister<ServiceObject>, namespace: string | undefined, labels: Labels): Set<string> {
  const keys = new Set<string>();
  if (namespace === undefined) return keys;
  for (const service of services.list({ namespace })) if (selectorMatches(service, labels)) keys.add(objectKey(service));
  return keys;
}

function sameLabels(a: Labels, b: Labels): boolean {
  const left = Object.entries(a ?? {});
  return left.length === Object.keys(b ?? {}).length && left.every(([k, v]) => b?.[k] === v);
}

/**
 * [podChanged, labelsChanged]: whether the pod's endpoint (readiness, deletion, IPs) changed,
 * and whether which services select it may have (labels, hostname, subdomain). Name, namespace,
 * uid are immutable, and nodeName is set before the pod gets an IP.
 */
export function podEndpointsChanged(oldPod: Pod, newPod: Pod): readonly [boolean, boolean] {
  const labelsChanged =
    !sameLabels(oldPod.metadata?.labels, newPod.metadata?.labels) ||
    oldPod.spec?.hostname !== newPod.spec?.hostname ||
    oldPod.spec?.subdomain !== newPod.spec?.subdomain;
  const podChanged =
    oldPod.metadata?.deletionTimestamp !== newPod.metadata?.deletionTimestamp ||
    isPodReady(oldPod) !== isPodReady(newPod) ||
    podIPs(oldPod).join(',') !== podIPs(newPod).join(',') ||
    // Terminal pods leave the endpoints; upstream sees this through the kubelet's Ready flip,
    // checking the phase too costs nothing.
    oldPod.status?.phase !== newPod.status?.phase;
  return [podChanged, labelsChanged];
}

/** Service keys to sync after a pod update; none for a resync or an irrelevant change. */
export function servicesToUpdateOnPodChange(services: Lister<ServiceObject>, oldPod: Pod, newPod: Pod): Set<string> {
  if (oldPod.metadata?.resourceVersion === newPod.metadata?.resourceVersion) return new Set();
  const [podChanged, labelsChanged] = podEndpointsChanged(oldPod, newPod);
  if (!podChanged && !labelsChanged) return new Set();
  const namespace = newPod.metadata?.namespace;
  const current = servicesForLabels(services, namespace, newPod.metadata?.labels);
  if (!labelsChanged) return current;
  const previous = servicesForLabels(services, namespace, oldPod.metadata?.labels);
  if (podChanged) return new Set([...current, ...previous]);
  // Only the labels changed: a service selecting the pod before and after sees the same endpoint.
  const result = new Set<string>();
  for (const key of current) if (!previous.has(key)) result.add(key);
  for (const key of previous) if (!current.has(key)) result.add(key);
  return result;
}
