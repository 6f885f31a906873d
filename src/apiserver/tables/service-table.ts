// `kubectl get services`: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE | SELECTOR.
import type { LoadBalancerStatus, Service, ServicePort } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { TableConvertor } from '../registry/strategy.js';
import { translateTimestampSince } from './age.js';
import { formatLabels } from './label-map-cell.js';
import { ageColumn, nameColumn, tableColumn, wideColumn } from './table-column.js';

/** Load balancer ingress points, sorted and de-duplicated (the server renders the wide form). */
function loadBalancerAddresses(status: LoadBalancerStatus | undefined): string[] {
  const found = new Set<string>();
  for (const ingress of status?.ingress ?? []) {
    if (ingress.ip) found.add(ingress.ip);
    else if (ingress.hostname) found.add(ingress.hostname);
  }
  return [...found].sort();
}

export function serviceExternalIp(svc: Service): string {
  const externalIPs = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerAddresses(svc.status?.loadBalancer);
      if (externalIPs.length) return [...lb, ...externalIPs].join(',');
      return lb.length ? lb.join(',') : '<pending>';
    }
    case 'ExternalName':
      return svc.spec?.externalName ?? '';
    default:
      return '<unknown>';
  }
}

/** `80/TCP`, or `80:30080/TCP` when a node port is allocated. */
export function servicePorts(ports: readonly ServicePort[] | undefined): string {
  const text = (ports ?? [])
    .map((p) => {
      // Stored services are defaulted to TCP; the fallback only covers hand-made objects.
      const protocol = p.protocol ?? 'TCP';
      return p.nodePort ? `${p.port}:${p.nodePort}/${protocol}` : `${p.port}/${protocol}`;
    })
    .join(',');
  return text || '<none>';
}

export const serviceTable: TableConvertor = {
  columns: [
    nameColumn,
    tableColumn('Type', 'type determines how the Service is exposed.'),
    tableColumn('Cluster-IP', 'clusterIP is the IP address of the service.'),
    tableColumn('External-IP', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    tableColumn('Port(s)', 'The list of ports that are exposed by this service.'),
    ageColumn,
    wideColumn('Selector', 'Route service traffic to pods with label keys and values matching this selector.'),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const svc = obj as Service;
    return [
      svc.metadata?.name ?? '',
      svc.spec?.type ?? 'ClusterIP',
      svc.spec?.clusterIPs?.[0] || svc.spec?.clusterIP || '<none>',
      serviceExternalIp(svc),
      servicePorts(svc.spec?.ports),
      translateTimestampSince(svc.metadata?.creationTimestamp, now),
      formatLabels(svc.spec?.selector),
    ];
  },
};
