// Services and EndpointSlices for the service proxy's tests.
import type { ServiceSpec } from 'kubernetes-types/core/v1.js';
import type { Endpoint } from 'kubernetes-types/discovery/v1.js';
import { LABEL_SERVICE_NAME, type ProxyEndpointSliceObject, type ProxyServiceObject } from './proxy-object-types.js';

export function svc(name: string, spec: Partial<ServiceSpec> = {}, ingress: readonly string[] = []): ProxyServiceObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: { type: 'ClusterIP', clusterIP: '10.43.0.10', ports: [{ name: 'http', port: 80, protocol: 'TCP' }], ...spec },
    status: { loadBalancer: ingress.length > 0 ? { ingress: ingress.map((ip) => ({ ip })) } : {} },
  };
}

export function ep(ip: string, conditions: Endpoint['conditions'] = { ready: true, serving: true, terminating: false }, nodeName?: string): Endpoint {
  return { addresses: [ip], conditions, ...(nodeName !== undefined ? { nodeName } : {}) };
}

export function slice(
  service: string,
  endpoints: Endpoint[],
  options: { readonly name?: string; readonly port?: number; readonly portName?: string; readonly addressType?: string; readonly protocol?: 'TCP' | 'UDP' | 'SCTP' } = {},
): ProxyEndpointSliceObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: options.name ?? `${service}-abcde`, namespace: 'default', labels: { [LABEL_SERVICE_NAME]: service } },
    addressType: options.addressType ?? 'IPv4',
    ports: [{ name: options.portName ?? 'http', port: options.port ?? 8080, protocol: options.protocol ?? 'TCP' }],
    endpoints,
  };
}
