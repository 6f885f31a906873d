// How a pod appears in an EndpointSlice (upstream: endpointslice utils podToEndpoint,
// getEndpointPorts, hashEndpoint, EndpointsEqualBeyondHash, NewPortMapKey).
//
// Conditions: serving = the pod is Ready; terminating = it has a deletionTimestamp; ready =
// serving and not terminating, or always true with publishNotReadyAddresses. A Ready pod being
// deleted is therefore {ready: false, serving: true, terminating: true}: proxies stop sending it
// new traffic while gateways can still drain to it.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { Endpoint, EndpointPort } from 'kubernetes-types/discovery/v1.js';
import { isPodReady } from '../framework/pod-utils.js';
import type { ServiceObject } from '../endpoints/endpoint-object-types.js';
import { findPort, ipFamilyOf, isPortlessHeadless, podIPs, shouldSetHostname, type IpFamily } from '../endpoints/pod-endpoint-rules.js';
import { semanticEqual, semanticKey } from '../endpoints/semantic-json.js';

export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';

export function podToEndpoint(pod: Pod, node: Node | undefined, service: ServiceObject, addressType: IpFamily): Endpoint {
  const serving = isPodReady(pod);
  const terminating = pod.metadata?.deletionTimestamp !== undefined;
  const ready = service.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const nodeName = pod.spec?.nodeName ?? '';
  const zone = node?.metadata?.labels?.[LABEL_TOPOLOGY_ZONE] ?? '';
  return {
    addresses: podIPs(pod).filter((ip) => ipFamilyOf(ip) === addressType),
    conditions: { ready, serving, terminating },
    ...(shouldSetHostname(pod, service) ? { hostname: pod.spec?.hostname ?? '' } : {}),
    ...(nodeName !== '' ? { nodeName } : {}),
    ...(zone !== '' ? { zone } : {}),
    targetRef: { kind: 'Pod', namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' },
  };
}

/** The service ports this pod serves, resolved (a pod without a named target port lacks that port). */
export function endpointPortsFor(service: ServiceObject, pod: Pod): EndpointPort[] {
  if (isPortlessHeadless(service)) return [];
  const ports: EndpointPort[] = [];
  for (const servicePort of service.spec?.ports ?? []) {
    const port = findPort(pod, servicePort);
    if (port === undefined) continue;
    ports.push({
      name: servicePort.name ?? '',
      port,
      protocol: servicePort.protocol ?? 'TCP',
      ...(servicePort.appProtocol !== undefined ? { appProtocol: servicePort.appProtocol } : {}),
    });
  }
  return ports;
}

/** Pods with the same resolved ports share slices; this keys that group (order-insensitive). */
export function portMapKey(ports: readonly EndpointPort[] | undefined): string {
  return (ports ?? []).map((p) => semanticKey(p)).sort().join('|');
}

/**
 * An endpoint's identity: its addresses, hostname and pod. Conditions, node and zone are not part
 * of it, so a pod turning unready is an in-place update of its entry, not a remove and an add.
 */
export function endpointKey(endpoint: Endpoint): string {
  return JSON.stringify([
    [...endpoint.addresses].sort(),
    endpoint.hostname ?? '',
    endpoint.targetRef?.namespace ?? '',
    endpoint.targetRef?.name ?? '',
  ]);
}

function sameOptional<T>(a: T | undefined, b: T | undefined): boolean {
  return a === b;
}

/** Equal beyond the identity key: conditions, nodeName, zone and the target (ignoring its resourceVersion). */
export function endpointsEqualBeyondKey(a: Endpoint, b: Endpoint): boolean {
  const ref = (e: Endpoint) => (e.targetRef === undefined ? undefined : { ...e.targetRef, resourceVersion: undefined });
  return (
    sameOptional(a.nodeName, b.nodeName) &&
    sameOptional(a.zone, b.zone) &&
    sameOptional(a.conditions?.ready, b.conditions?.ready) &&
    sameOptional(a.conditions?.serving, b.conditions?.serving) &&
    sameOptional(a.conditions?.terminating, b.conditions?.terminating) &&
    semanticEqual(ref(a), ref(b))
  );
}
