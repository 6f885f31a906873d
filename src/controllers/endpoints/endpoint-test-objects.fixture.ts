// Builders for endpoints/EndpointSlice controller tests: services, pods in every interesting
// state (ready, unready, terminating, terminal, without IP, with named ports), nodes.
import type { ServicePort } from 'kubernetes-types/core/v1.js';
import type { NodeObject, PodObject } from '../framework/kube-object-types.js';
import type { ServiceObject } from './endpoint-object-types.js';

export const NS = 'default';

export interface ServiceShape {
  readonly selector?: Record<string, string> | undefined;
  readonly ports?: ServicePort[];
  readonly clusterIP?: string;
  readonly publishNotReadyAddresses?: boolean;
  readonly labels?: Record<string, string>;
  readonly type?: string;
}

export function service(name: string, shape: ServiceShape = {}): ServiceObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NS, ...(shape.labels ? { labels: shape.labels } : {}) },
    spec: {
      ...('selector' in shape ? (shape.selector === undefined ? {} : { selector: shape.selector }) : { selector: { app: 'web' } }),
      ports: shape.ports ?? [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
      clusterIP: shape.clusterIP ?? '10.96.0.10',
      ipFamilies: ['IPv4'],
      type: shape.type ?? 'ClusterIP',
      ...(shape.publishNotReadyAddresses ? { publishNotReadyAddresses: true } : {}),
    },
  };
}

export interface PodShape {
  readonly ip?: string | undefined;
  readonly ready?: boolean;
  readonly readySince?: string;
  readonly phase?: string;
  readonly terminating?: boolean;
  readonly labels?: Record<string, string>;
  readonly node?: string;
  readonly namedPorts?: Record<string, number>;
  readonly hostname?: string;
  readonly subdomain?: string;
}

export function pod(name: string, shape: PodShape = {}): PodObject {
  // Distinct names give distinct default IPs as long as their character sums differ.
  const ip = 'ip' in shape ? shape.ip : `10.244.0.${([...name].reduce((sum, ch) => sum + ch.charCodeAt(0), 0) % 250) + 1}`;
  const ready = shape.ready ?? true;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: NS,
      labels: shape.labels ?? { app: 'web' },
      ...(shape.terminating ? { deletionTimestamp: '2025-01-01T00:00:30Z' } : {}),
    },
    spec: {
      nodeName: shape.node ?? 'node-1',
      ...(shape.hostname ? { hostname: shape.hostname } : {}),
      ...(shape.subdomain ? { subdomain: shape.subdomain } : {}),
      containers: [{
        name: 'c',
        image: 'web',
        ports: Object.entries(shape.namedPorts ?? {}).map(([portName, containerPort]) => ({ name: portName, containerPort, protocol: 'TCP' })),
      }],
    },
    status: {
      phase: shape.phase ?? 'Running',
      ...(ip !== undefined ? { podIP: ip, podIPs: [{ ip }] } : {}),
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: shape.readySince ?? '2025-01-01T00:00:10Z' }],
    },
  };
}

export function node(name: string, zone?: string): NodeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, ...(zone ? { labels: { 'topology.kubernetes.io/zone': zone } } : {}) } };
}
