// What the proxy programs, as plain data: one ServicePortPlan per (Service, port), built from the
// Services and EndpointSlices the informers hold. Pure; the iptables rendering reads only this.
//
// Endpoint choice follows kube-proxy: endpoints whose `ready` condition holds receive traffic;
// when none is ready, endpoints that are still serving while terminating are used instead (so
// a Deployment rolled down to terminating pods keeps answering until they really stop).
// Conditions left unset mean: ready=true, serving=ready, terminating=false (the API's defaults).
// The same rule picks the local endpoints (EndpointSlice `nodeName` is this node) that
// internalTrafficPolicy/externalTrafficPolicy Local send traffic to.
import type { ServicePort } from 'kubernetes-types/core/v1.js';
import type { Endpoint, EndpointPort } from 'kubernetes-types/discovery/v1.js';
import { cidrContains, ipNumber, isIPv4, parseIPv4Cidr, type IPv4Cidr } from './ipv4-address.js';
import { LABEL_SERVICE_NAME, type ProxyEndpointSliceObject, type ProxyServiceObject } from './proxy-object-types.js';

export type ProxyProtocol = 'TCP' | 'UDP' | 'SCTP';

export interface ProxyEndpoint {
  readonly ip: string;
  readonly port: number;
}

export interface ServicePortPlan {
  /** `namespace/name:portName`, or `namespace/name` for an unnamed port (kube-proxy's ServicePortName). */
  readonly name: string;
  readonly protocol: ProxyProtocol;
  readonly clusterIP: string;
  readonly port: number;
  /** 0 when the Service has none for this port. */
  readonly nodePort: number;
  /** spec.externalIPs. */
  readonly externalIPs: readonly string[];
  /** status.loadBalancer.ingress IPs (type LoadBalancer only); absent: none. */
  readonly loadBalancerIPs?: readonly string[];
  /** spec.loadBalancerSourceRanges (or the legacy annotation), normalised; absent: any source. */
  readonly loadBalancerSourceRanges?: readonly string[];
  /** True when the LB source ranges admit one of this node's addresses (kube-proxy's allowFromNode). */
  readonly sourceRangesAllowNode?: boolean;
  /** internalTrafficPolicy Local: cluster IP traffic goes to localEndpoints only. */
  readonly internalLocal?: boolean;
  /** externalTrafficPolicy Local: node port / external / LB traffic goes to localEndpoints only, not SNATed. */
  readonly externalLocal?: boolean;
  /** The endpoints on this node (same choice rule as `endpoints`); set when a policy is Local. */
  readonly localEndpoints?: readonly ProxyEndpoint[];
  /** spec.healthCheckNodePort (LoadBalancer with externalTrafficPolicy Local). */
  readonly healthCheckNodePort?: number;
  /** ClientIP affinity timeout in seconds; absent without sessionAffinity ClientIP. */
  readonly affinityTimeoutSeconds?: number;
  /** Sorted by ip, then port; empty means "reject". */
  readonly endpoints: readonly ProxyEndpoint[];
}

/** kubernetes' default sessionAffinityConfig.clientIP.timeoutSeconds (3 hours). */
export const DEFAULT_AFFINITY_TIMEOUT_SECONDS = 10_800;

/** Upstream's pre-field way of giving source ranges (comma-separated); used when the field is empty. */
export const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

function protocolOf(value: string | undefined): ProxyProtocol | undefined {
  const protocol = value ?? 'TCP';
  return protocol === 'TCP' || protocol === 'UDP' || protocol === 'SCTP' ? protocol : undefined;
}

interface Candidate extends ProxyEndpoint {
  readonly ready: boolean;
  readonly servingTerminating: boolean;
}

function conditionsOf(endpoint: Endpoint): { ready: boolean; serving: boolean; terminating: boolean } {
  const ready = endpoint.conditions?.ready ?? true;
  return { ready, serving: endpoint.conditions?.serving ?? ready, terminating: endpoint.conditions?.terminating ?? false };
}

function slicePortFor(ports: readonly EndpointPort[] | undefined, servicePort: ServicePort): EndpointPort | undefined {
  const wanted = servicePort.name ?? '';
  const protocol = servicePort.protocol ?? 'TCP';
  return ports?.find((p) => (p.name ?? '') === wanted && (p.protocol ?? 'TCP') === protocol);
}

/** The endpoints one service port sends traffic to (see the header); `onNode`: only those on that node. */
export function endpointsFor(slices: readonly ProxyEndpointSliceObject[], servicePort: ServicePort, onNode?: string): ProxyEndpoint[] {
  const byAddress = new Map<string, Candidate>();
  for (const slice of slices) {
    if (slice.addressType !== 'IPv4') continue;
    const port = slicePortFor(slice.ports, servicePort)?.port;
    if (port === undefined) continue;
    for (const endpoint of slice.endpoints ?? []) {
      const ip = endpoint.addresses[0];
      if (!isIPv4(ip)) continue;
      if (onNode !== undefined && endpoint.nodeName !== onNode) continue;
      const { ready, serving, terminating } = conditionsOf(endpoint);
      const key = `${ip}:${port}`;
      const previous = byAddress.get(key);
      // The same endpoint in two slices (briefly, while the controller moves it): the ready copy wins.
      if (previous?.ready === true) continue;
      byAddress.set(key, { ip, port, ready, servingTerminating: serving && terminating });
    }
  }
  const all = [...byAddress.values()];
  const ready = all.filter((c) => c.ready);
  const chosen = ready.length > 0 ? ready : all.filter((c) => c.servingTerminating);
  return chosen.map(({ ip, port }) => ({ ip, port })).sort(compareEndpoints);
}

function compareEndpoints(a: ProxyEndpoint, b: ProxyEndpoint): number {
  return ipNumber(a.ip) - ipNumber(b.ip) || a.port - b.port;
}

function serviceName(service: ProxyServiceObject): string {
  return `${service.metadata?.namespace ?? ''}/${service.metadata?.name ?? ''}`;
}

/** Services the proxy handles: a cluster IP (not headless, not ExternalName). */
function proxied(service: ProxyServiceObject): boolean {
  const spec = service.spec;
  return spec?.type !== 'ExternalName' && isIPv4(spec?.clusterIP);
}

function sortedIPs(ips: readonly (string | undefined)[]): string[] {
  return [...new Set(ips.filter(isIPv4))].sort((a, b) => ipNumber(a) - ipNumber(b));
}

function loadBalancerIPsOf(service: ProxyServiceObject): string[] {
  if (service.spec?.type !== 'LoadBalancer') return [];
  return sortedIPs((service.status?.loadBalancer?.ingress ?? []).map((ingress) => ingress.ip));
}

/** The field, else the legacy annotation (as kube-proxy reads them); IPv4 CIDRs only. */
function sourceRangesOf(service: ProxyServiceObject): IPv4Cidr[] {
  const field = service.spec?.loadBalancerSourceRanges ?? [];
  const texts = field.length > 0 ? field : (service.metadata?.annotations?.[SOURCE_RANGES_ANNOTATION] ?? '').split(',');
  const ranges = new Map<string, IPv4Cidr>();
  for (const text of texts) {
    const cidr = parseIPv4Cidr(text);
    if (cidr) ranges.set(cidr.text, cidr);
  }
  return [...ranges.values()];
}

export interface PlanOptions {
  /** This node's name: endpoints whose slice `nodeName` matches are local. Absent: none is. */
  readonly nodeName?: string;
  /** This node's addresses: LB source ranges that contain one also admit the node itself. */
  readonly nodeIPs?: readonly string[];
}

/** The traffic-policy and LB firewall fields of one service port's plan. */
function policyFields(
  service: ProxyServiceObject, slices: readonly ProxyEndpointSliceObject[], servicePort: ServicePort, options: PlanOptions,
): Partial<ServicePortPlan> {
  const spec = service.spec ?? {};
  const internalLocal = spec.internalTrafficPolicy === 'Local';
  const externalLocal = spec.externalTrafficPolicy === 'Local';
  const out: { -readonly [K in keyof ServicePortPlan]?: ServicePortPlan[K] } = {};
  if (internalLocal) out.internalLocal = true;
  if (externalLocal) out.externalLocal = true;
  if (internalLocal || externalLocal) {
    out.localEndpoints = options.nodeName === undefined ? [] : endpointsFor(slices, servicePort, options.nodeName);
  }
  const lbIPs = loadBalancerIPsOf(service);
  if (lbIPs.length > 0) out.loadBalancerIPs = lbIPs;
  const ranges = spec.type === 'LoadBalancer' ? sourceRangesOf(service) : [];
  if (ranges.length > 0) {
    out.loadBalancerSourceRanges = ranges.map((cidr) => cidr.text);
    if (ranges.some((cidr) => (options.nodeIPs ?? []).some((ip) => cidrContains(cidr, ip)))) out.sourceRangesAllowNode = true;
  }
  if (spec.type === 'LoadBalancer' && externalLocal && (spec.healthCheckNodePort ?? 0) > 0) out.healthCheckNodePort = spec.healthCheckNodePort ?? 0;
  return out;
}

/**
 * Every ServicePortPlan, sorted by name. `slicesByService` maps `namespace/name` to that
 * Service's EndpointSlices (see groupSlicesByService).
 */
export function buildServicePortPlans(
  services: readonly ProxyServiceObject[],
  slicesByService: ReadonlyMap<string, readonly ProxyEndpointSliceObject[]>,
  options: PlanOptions = {},
): ServicePortPlan[] {
  const plans: ServicePortPlan[] = [];
  for (const service of services) {
    if (!proxied(service)) continue;
    const spec = service.spec ?? {};
    const name = serviceName(service);
    const slices = slicesByService.get(name) ?? [];
    const externalIPs = sortedIPs(spec.externalIPs ?? []);
    const affinity = spec.sessionAffinity === 'ClientIP'
      ? { affinityTimeoutSeconds: spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_TIMEOUT_SECONDS }
      : {};
    for (const servicePort of spec.ports ?? []) {
      const protocol = protocolOf(servicePort.protocol);
      if (protocol === undefined) continue;
      plans.push({
        name: servicePort.name ? `${name}:${servicePort.name}` : name,
        protocol,
        clusterIP: spec.clusterIP ?? '',
        port: servicePort.port,
        nodePort: spec.type === 'NodePort' || spec.type === 'LoadBalancer' ? servicePort.nodePort ?? 0 : 0,
        externalIPs,
        ...affinity,
        ...policyFields(service, slices, servicePort, options),
        endpoints: endpointsFor(slices, servicePort),
      });
    }
  }
  return plans.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.protocol < b.protocol ? -1 : 1));
}

/** EndpointSlices grouped by their Service (`namespace/name` from the service-name label). */
export function groupSlicesByService(slices: readonly ProxyEndpointSliceObject[]): Map<string, ProxyEndpointSliceObject[]> {
  const groups = new Map<string, ProxyEndpointSliceObject[]>();
  for (const slice of slices) {
    const service = slice.metadata?.labels?.[LABEL_SERVICE_NAME];
    if (!service) continue;
    const key = `${slice.metadata?.namespace ?? ''}/${service}`;
    const group = groups.get(key);
    if (group) group.push(slice);
    else groups.set(key, [slice]);
  }
  return groups;
}
