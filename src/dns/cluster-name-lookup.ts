// What a name of the cluster zone stands for, from the Service and EndpointSlice listers: the
// Kubernetes DNS specification's names, resolved the way CoreDNS's kubernetes plugin resolves them
// (plugin/kubernetes findServices, findPods, serviceRecordForIP). This file decides which names
// exist and what they hold; cluster-records.ts turns that into the records of one query type.
//
// Names (left of `<zone>`, compared in lower case; Kubernetes names are lower case already):
//   svc / pod                       exist, hold nothing (empty non-terminals)
//   <ns>.svc                        exists while some Service is in <ns> (there is no Namespace
//                                   lister here; CoreDNS asks whether the namespace exists)
//   <ns>.pod                        exists (pods insecure: any namespace)
//   <a-b-c-d>.<ns>.pod              the address a.b.c.d, for any canonical dashed IPv4
//   <svc>.<ns>.svc                  ClusterIP: its IPv4 cluster IPs; headless: its ready endpoints;
//                                   ExternalName: an alias of spec.externalName
//   <ep>.<svc>.<ns>.svc             the ready endpoints whose hostname (or, without one, dashed
//                                   address) is <ep>; any Service but ExternalName, as CoreDNS
//   _<port>._<proto>.<svc>.<ns>.svc the Service's (ClusterIP) or endpoints' (headless) port named
//                                   <port> with protocol <proto>; CoreDNS also takes them without
//                                   the underscores, and so does this
// A headless Service with no ready endpoint, and a port name nothing has, are NXDOMAIN: the spec
// says so (2.4.1) and CoreDNS does it.
import { isIPv4 } from 'node:net';
import type { Lister } from '../client/informer/informer.js';
import {
  LABEL_SERVICE_NAME, SERVICES_BY_CLUSTER_IP_INDEX, SLICES_BY_ADDRESS_INDEX, SLICES_BY_SERVICE_INDEX, serviceKey,
} from './cluster-record-indexers.js';
import type { DnsEndpointSliceObject, DnsServiceObject } from './dns-object-types.js';
import { dashedIPv4, ipv4FromDashed } from './ipv4-labels.js';

/** One thing a name stands for (CoreDNS's msg.Service). */
export interface NameEntry {
  /** `address`: `host` is an IPv4 address (A). `alias`: `host` is the name an ExternalName Service points at (CNAME). */
  readonly kind: 'address' | 'alias';
  readonly host: string;
  /** The port an SRV record gives; absent: the entry has none (pods, slices without ports, aliases). */
  readonly port?: number;
  /** The absolute name (lower case) SRV records point at and the additional A record is for. */
  readonly target: string;
}

export interface ClusterNameLookupOptions {
  /** Lower case, without the trailing dot. */
  readonly zone: string;
  readonly services: Lister<DnsServiceObject>;
  readonly slices: Lister<DnsEndpointSliceObject>;
}

interface PortQuery {
  readonly name: string;
  readonly protocol: string;
}

export class ClusterNameLookup {
  readonly #zone: string;
  readonly #services: Lister<DnsServiceObject>;
  readonly #slices: Lister<DnsEndpointSliceObject>;

  constructor(options: ClusterNameLookupOptions) {
    this.#zone = options.zone;
    this.#services = options.services;
    this.#slices = options.slices;
  }

  /**
   * What the name with these labels left of the zone (lower case, leftmost first) stands for;
   * undefined when there is no such name (NXDOMAIN); [] when it exists and holds nothing.
   */
  lookup(labels: readonly string[]): NameEntry[] | undefined {
    const kind = labels.at(-1);
    if (kind === 'svc') return this.#service(labels.slice(0, -1));
    if (kind === 'pod') return this.#pod(labels.slice(0, -1));
    return undefined;
  }

  /** The names a PTR query for `address` answers with; [] when it is none of ours. */
  namesOf(address: string): string[] {
    // A cluster IP belongs to one Service (the apiserver allocates each once); CoreDNS answers
    // with the first and only then looks at endpoints.
    const [service] = this.#services.byIndex(SERVICES_BY_CLUSTER_IP_INDEX, address);
    if (service) return [this.#serviceName(service.metadata?.namespace ?? '', service.metadata?.name ?? '')];
    const names = new Set<string>();
    for (const slice of this.#slices.byIndex(SLICES_BY_ADDRESS_INDEX, address)) {
      const namespace = slice.metadata?.namespace ?? '';
      const name = slice.metadata?.labels?.[LABEL_SERVICE_NAME];
      // Only endpoints of a Service that exists: the PTR target must resolve forward.
      const owner = name === undefined ? undefined : this.#services.get(namespace, name);
      if (name === undefined || owner === undefined || isExternalName(owner)) continue;
      for (const endpoint of usableEndpoints(slice, owner)) {
        if (endpoint.addresses.includes(address)) names.add(`${endpointLabel(endpoint.hostname, address)}.${this.#serviceName(namespace, name)}`);
      }
    }
    return [...names];
  }

  #pod(labels: readonly string[]): NameEntry[] | undefined {
    if (labels.length < 2) return [];
    const [label, namespace] = labels;
    const address = labels.length === 2 && label !== undefined ? ipv4FromDashed(label) : undefined;
    if (address === undefined) return undefined;
    return [{ kind: 'address', host: address, target: `${label}.${namespace}.pod.${this.#zone}` }];
  }

  #service(labels: readonly string[]): NameEntry[] | undefined {
    const namespace = labels.at(-1);
    const name = labels.at(-2);
    if (namespace === undefined) return [];
    if (name === undefined) return this.#services.list({ namespace }).length > 0 ? [] : undefined;
    const service = this.#services.get(namespace, name);
    const rest = labels.slice(0, -2);
    if (service === undefined || rest.length > 2) return undefined;
    const serviceName = this.#serviceName(namespace, name);
    if (isExternalName(service)) {
      // No endpoints and no ports under an alias; and, as CoreDNS, an externalName that is an IP
      // address is no name to alias.
      const host = (service.spec?.externalName ?? '').replace(/\.$/, '');
      if (rest.length > 0 || host === '' || isIPv4(host)) return undefined;
      return [{ kind: 'alias', host, target: serviceName }];
    }
    const [first, second] = rest;
    const port = first !== undefined && second !== undefined ? { name: stripUnderscore(first), protocol: stripUnderscore(second) } : undefined;
    const endpoint = rest.length === 1 ? first : undefined;
    if (endpoint === undefined && !isHeadless(service)) return clusterIpEntries(service, serviceName, port);
    const entries = this.#endpointEntries(service, serviceName, endpoint, port);
    return entries.length > 0 ? entries : undefined;
  }

  #endpointEntries(service: DnsServiceObject, serviceName: string, wanted: string | undefined, port: PortQuery | undefined): NameEntry[] {
    const key = serviceKey(service.metadata?.namespace ?? '', service.metadata?.name ?? '');
    const entries: NameEntry[] = [];
    const seen = new Set<string>();
    for (const slice of this.#slices.byIndex(SLICES_BY_SERVICE_INDEX, key)) {
      if (slice.addressType !== 'IPv4') continue;
      // A slice without ports still gives addresses (A), just no SRV: CoreDNS's port -1 sentinel.
      const ports = slice.ports?.length ? slice.ports : [undefined];
      const matching = ports.filter((p) => port === undefined || (p !== undefined && portMatches(p.name, p.protocol, port)));
      if (matching.length === 0) continue;
      for (const endpoint of usableEndpoints(slice, service)) {
        for (const address of endpoint.addresses) {
          if (!isIPv4(address)) continue;
          const label = endpointLabel(endpoint.hostname, address);
          if (wanted !== undefined && label !== wanted) continue;
          for (const p of matching) {
            // A Pod can sit in two slices of one Service for a moment while slices are rebalanced.
            const id = `${address} ${label} ${p?.port ?? ''}`;
            if (seen.has(id)) continue;
            seen.add(id);
            entries.push({ kind: 'address', host: address, target: `${label}.${serviceName}`, ...(p?.port !== undefined ? { port: p.port } : {}) });
          }
        }
      }
    }
    return entries;
  }

  #serviceName(namespace: string, name: string): string {
    return `${name}.${namespace}.svc.${this.#zone}`;
  }
}

/**
 * A ClusterIP Service's entries: one per port and IPv4 cluster IP. undefined (NXDOMAIN) when no
 * port matches, as CoreDNS; a matching port without a cluster IP yet is [] (NODATA).
 */
function clusterIpEntries(service: DnsServiceObject, serviceName: string, port: PortQuery | undefined): NameEntry[] | undefined {
  const ports = (service.spec?.ports ?? []).filter((p) => port === undefined || portMatches(p.name, p.protocol, port));
  if (ports.length === 0) return undefined;
  const ips = [...new Set([service.spec?.clusterIP ?? '', ...(service.spec?.clusterIPs ?? [])])].filter((ip) => isIPv4(ip));
  return ports.flatMap((p) => ips.map((ip): NameEntry => ({ kind: 'address', host: ip, port: p.port, target: serviceName })));
}

function isExternalName(service: DnsServiceObject): boolean {
  return service.spec?.type === 'ExternalName';
}

function isHeadless(service: DnsServiceObject): boolean {
  return service.spec?.clusterIP === 'None' || service.spec?.clusterIPs?.[0] === 'None';
}

/**
 * Ready endpoints (ready unset counts as ready, as the EndpointSlice API says), and the not-ready
 * ones too when the Service publishes them (the EndpointSlice controller marks those ready
 * already; this keeps them when a slice comes from elsewhere).
 */
function usableEndpoints(slice: DnsEndpointSliceObject, service: DnsServiceObject): DnsEndpointSliceObject['endpoints'] {
  const all = service.spec?.publishNotReadyAddresses === true;
  // `?? []`: the API serves a slice without endpoints as `endpoints: null` (Go's nil slice).
  return (slice.endpoints ?? []).filter((endpoint) => all || endpoint.conditions?.ready !== false);
}

/** The label an endpoint has under its Service: its hostname, else its dashed address (CoreDNS's endpointHostname). */
function endpointLabel(hostname: string | undefined, address: string): string {
  return hostname ? hostname.toLowerCase() : dashedIPv4(address);
}

/** Service and EndpointSlice ports default to TCP; names compare case-insensitively. */
function portMatches(name: string | undefined, protocol: string | undefined, query: PortQuery): boolean {
  return (name ?? '').toLowerCase() === query.name && (protocol ?? 'TCP').toLowerCase() === query.protocol;
}

function stripUnderscore(label: string): string {
  return label.startsWith('_') ? label.slice(1) : label;
}
