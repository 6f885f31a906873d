// The informer indexes cluster DNS looks its records up by: answer() runs once per query, so it
// reads only the objects of the name asked about (CoreDNS's kubernetes plugin keeps the same
// indexes: services and endpoints by service key, both by IP for reverse lookups). Services by
// name need no index: the Lister's get(namespace, name) is one.
import type { Indexers } from '../client/informer/informer.js';
import type { DnsEndpointSliceObject, DnsServiceObject } from './dns-object-types.js';

/** The label an EndpointSlice names its Service with. */
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';

/** Services by each cluster IP (spec.clusterIP and spec.clusterIPs; never `None`). */
export const SERVICES_BY_CLUSTER_IP_INDEX = 'dns:spec.clusterIPs';
/** EndpointSlices by `<namespace>/<kubernetes.io/service-name>` (serviceKey()). */
export const SLICES_BY_SERVICE_INDEX = 'dns:namespace/service-name';
/** IPv4 EndpointSlices by every endpoint address, ready or not (readiness is judged per query). */
export const SLICES_BY_ADDRESS_INDEX = 'dns:ipv4-endpoint-addresses';

/** The value SLICES_BY_SERVICE_INDEX files a Service's slices under. */
export function serviceKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export interface ClusterRecordIndexers {
  /** For the Service informer. */
  readonly services: Indexers<DnsServiceObject>;
  /** For the EndpointSlice informer. */
  readonly slices: Indexers<DnsEndpointSliceObject>;
}

/** What ClusterRecords needs registered (informer.addIndexers) before the informers start. */
export function clusterRecordIndexers(): ClusterRecordIndexers {
  return {
    services: {
      [SERVICES_BY_CLUSTER_IP_INDEX]: (service) => {
        const ips = new Set([service.spec?.clusterIP ?? '', ...(service.spec?.clusterIPs ?? [])]);
        ips.delete('');
        ips.delete('None');
        return [...ips];
      },
    },
    slices: {
      [SLICES_BY_SERVICE_INDEX]: (slice) => {
        const service = slice.metadata?.labels?.[LABEL_SERVICE_NAME];
        return service ? [serviceKey(slice.metadata?.namespace ?? '', service)] : [];
      },
      [SLICES_BY_ADDRESS_INDEX]: (slice) => {
        if (slice.addressType !== 'IPv4') return [];
        // `?? []`: the API serves a slice without endpoints as `endpoints: null` (Go's nil slice).
        return [...new Set((slice.endpoints ?? []).flatMap((endpoint) => endpoint.addresses ?? []))];
      },
    },
  };
}
