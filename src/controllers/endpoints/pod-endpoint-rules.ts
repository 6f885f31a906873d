// Which pods become endpoints of a Service and on which ports (upstream: endpointslice util
// ShouldPodBeInEndpoints, ShouldSetHostname, FindPort, isServiceIPSet). Shared by the Endpoints and
// the EndpointSlice controllers so both publish the same set.
import { isIPv6 } from 'node:net';
import type { Pod, ServicePort } from 'kubernetes-types/core/v1.js';
import { isPodTerminal } from '../framework/pod-utils.js';
import type { ServiceObject } from './endpoint-object-types.js';

export type IpFamily = 'IPv4' | 'IPv6';

/**
 * A pod is published once it has an IP and until it is terminal (Succeeded/Failed). A terminating
 * pod (deletionTimestamp set) only when `includeTerminating`: the Endpoints controller passes
 * publishNotReadyAddresses, the EndpointSlice controller always true (it marks them instead).
 */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  if (podIPs(pod).length === 0) return false;
  if (!includeTerminating && pod.metadata?.deletionTimestamp !== undefined) return false;
  return true;
}

/** status.podIPs, or status.podIP alone when podIPs is missing (older writers). */
export function podIPs(pod: Pod): string[] {
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip).filter((ip): ip is string => ip !== undefined && ip !== '');
  if (ips.length > 0) return ips;
  const single = pod.status?.podIP;
  return single !== undefined && single !== '' ? [single] : [];
}

export function ipFamilyOf(ip: string): IpFamily {
  return isIPv6(ip) ? 'IPv6' : 'IPv4';
}

/** A pod gets a DNS hostname in the service's records when its subdomain names the service. */
export function shouldSetHostname(pod: Pod, service: ServiceObject): boolean {
  const hostname = pod.spec?.hostname ?? '';
  return hostname !== '' && pod.spec?.subdomain === service.metadata?.name && pod.metadata?.namespace === service.metadata?.namespace;
}

/** clusterIP is neither "" (not allocated) nor "None" (headless). */
export function isServiceIPSet(service: ServiceObject): boolean {
  const ip = service.spec?.clusterIP ?? '';
  return ip !== '' && ip !== 'None';
}

/** A service with selector absent or empty manages no endpoints: they are the user's. */
export function hasSelector(service: ServiceObject): boolean {
  return Object.keys(service.spec?.selector ?? {}).length > 0;
}

/** Headless (clusterIP None) with no ports: endpoints carry addresses only. */
export function isPortlessHeadless(service: ServiceObject): boolean {
  return (service.spec?.ports ?? []).length === 0 && service.spec?.clusterIP === 'None';
}

/**
 * The pod port a service port sends to. A numeric targetPort is used as is (absent: the service
 * port, as defaulting would set it). A named one is looked up among the container ports (and
 * sidecars: init containers with restartPolicy Always) with the same name and protocol; a pod
 * without it returns undefined and is left out of that port.
 */
export function findPort(pod: Pod, servicePort: ServicePort): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return target;
  const protocol = servicePort.protocol ?? 'TCP';
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  for (const container of [...(pod.spec?.containers ?? []), ...sidecars]) {
    for (const port of container.ports ?? []) {
      if (port.name === target && (port.protocol ?? 'TCP') === protocol) return port.containerPort;
    }
  }
  return undefined;
}
