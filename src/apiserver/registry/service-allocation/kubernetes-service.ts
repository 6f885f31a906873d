// The `kubernetes` Service in `default`, which every cluster has: the first address of the
// service range, port 443 (https) to the API server's port, and its Endpoints and EndpointSlice
// pointing at the API server (upstream's bootstrap controller and EndpointsAdapter). Pods find the
// API server through it (KUBERNETES_SERVICE_HOST / _PORT), and the service proxy programs it from
// the EndpointSlice. An existing Service is left as it is; the Endpoints and EndpointSlice are
// brought up to date (a restart on another port or address moves them), as upstream's reconciler
// does. If another Service holds the first address, the create fails (422); the caller decides
// whether that stops start-up.
import { isIPv6 } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { KubeObject } from '../../../api/object.js';
import { K8tsError } from '../../../lib/errors.js';
import type { ApiRegistryView, ResourceRegistry } from '../registry-types.js';

export interface KubernetesServiceOptions {
  readonly registry: ApiRegistryView;
  /** The first IP of --service-cluster-ip-range (10.43.0.1 by default). */
  readonly clusterIP: string;
  /** Where the API server listens, for the Endpoints. */
  readonly endpointAddress: string;
  readonly port: number;
}

const WRITE = { dryRun: false, fieldValidation: 'Strict' } as const;

function isCode(error: unknown, code: string): boolean {
  return error instanceof K8tsError && error.code === code;
}

/**
 * Creates the object unless it exists. Looks first: creating a Service that exists would fail on
 * its cluster IP (held by the existing one) before the name clash is noticed.
 */
async function createIfAbsent(registry: ResourceRegistry, body: KubeObject): Promise<void> {
  const name = body.metadata?.name ?? '';
  const exists = async () => registry.get('default', name).then(() => true, (error: unknown) => {
    if (isCode(error, 'NotFound')) return false;
    throw error;
  });
  if (await exists()) return;
  try {
    await registry.create('default', body, WRITE);
  } catch (error) {
    // Another API server on the same store made it meanwhile.
    if (await exists()) return;
    throw error;
  }
}

/**
 * Creates the object, or replaces it when `matches` says the stored one differs (a conditional
 * update: losing to another writer leaves theirs, the next start-up looks again).
 */
async function createOrUpdate(registry: ResourceRegistry, body: KubeObject, matches: (current: KubeObject) => boolean): Promise<void> {
  const name = body.metadata?.name ?? '';
  let current: KubeObject;
  try {
    current = await registry.get('default', name);
  } catch (error) {
    if (!isCode(error, 'NotFound')) throw error;
    try {
      await registry.create('default', body, WRITE);
    } catch (createError) {
      if (!isCode(createError, 'AlreadyExists')) throw createError;
    }
    return;
  }
  if (matches(current)) return;
  const resourceVersion = current.metadata?.resourceVersion;
  const next: KubeObject = { ...body, metadata: { ...body.metadata, ...(resourceVersion === undefined ? {} : { resourceVersion }) } };
  try {
    await registry.update('default', name, next, WRITE);
  } catch (error) {
    if (!isCode(error, 'Conflict')) throw error;
  }
}

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** Upstream's endpointSliceFromEndpoints for the one address and port of the API server. */
export function kubernetesEndpointSlice(endpointAddress: string, port: number): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    // Only the service-name label: upstream's apiserver writes no managed-by, so the EndpointSlice
    // controller (which owns only its own slices) leaves this one alone.
    metadata: { name: 'kubernetes', namespace: 'default', labels: { [SERVICE_NAME_LABEL]: 'kubernetes' } },
    addressType: isIPv6(endpointAddress) ? 'IPv6' : 'IPv4',
    endpoints: [{ addresses: [endpointAddress], conditions: { ready: true } }],
    ports: [{ name: 'https', port, protocol: 'TCP' }],
  };
}

interface SliceShape {
  addressType?: string;
  endpoints?: { addresses?: string[]; conditions?: { ready?: boolean } }[];
  ports?: { name?: string; port?: number; protocol?: string }[];
}

function sliceMatches(current: KubeObject, wanted: KubeObject): boolean {
  const project = (obj: KubeObject) => {
    const slice = obj as SliceShape;
    return JSON.stringify({
      label: obj.metadata?.labels?.[SERVICE_NAME_LABEL],
      addressType: slice.addressType,
      endpoints: (slice.endpoints ?? []).map((e) => ({ addresses: e.addresses ?? [], ready: e.conditions?.ready })),
      ports: (slice.ports ?? []).map((p) => ({ name: p.name, port: p.port, protocol: p.protocol })),
    });
  };
  return project(current) === project(wanted);
}

interface EndpointsShape {
  subsets?: { addresses?: { ip?: string }[]; ports?: { name?: string; port?: number; protocol?: string }[] }[];
}

function endpointsMatch(current: KubeObject, wanted: KubeObject): boolean {
  const project = (obj: KubeObject) => JSON.stringify({
    skipMirror: obj.metadata?.labels?.['endpointslice.kubernetes.io/skip-mirror'],
    subsets: ((obj as EndpointsShape).subsets ?? []).map((subset) => ({
      addresses: (subset.addresses ?? []).map((a) => a.ip),
      ports: (subset.ports ?? []).map((p) => ({ name: p.name, port: p.port, protocol: p.protocol })),
    })),
  });
  return project(current) === project(wanted);
}

export async function ensureKubernetesService(options: KubernetesServiceOptions): Promise<void> {
  const services = options.registry.lookup('', 'v1', 'services');
  const endpoints = options.registry.lookup('', 'v1', 'endpoints');
  const labels = { component: 'apiserver', provider: 'kubernetes' };
  if (services) {
    const service: KubeObject = {
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', labels },
      spec: {
        type: 'ClusterIP', clusterIP: options.clusterIP, sessionAffinity: 'None',
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: options.port }],
      },
    };
    await createIfAbsent(services, service);
  }
  if (endpoints) {
    const body: KubeObject = {
      apiVersion: 'v1', kind: 'Endpoints',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      subsets: [{ addresses: [{ ip: options.endpointAddress }], ports: [{ name: 'https', port: options.port, protocol: 'TCP' }] }],
    };
    await createOrUpdate(endpoints, body, (current) => endpointsMatch(current, body));
  }
  const slices = options.registry.lookup('discovery.k8s.io', 'v1', 'endpointslices');
  if (slices) {
    const slice = kubernetesEndpointSlice(options.endpointAddress, options.port);
    await createOrUpdate(slices, slice, (current) => sliceMatches(current, slice));
  }
}

/** How often upstream's bootstrap controller re-checks the `kubernetes` Service and its endpoints. */
export const KUBERNETES_SERVICE_INTERVAL_MS = 10_000;

/**
 * ensureKubernetesService every `intervalMs` until `signal` aborts, as upstream's bootstrap
 * controller does: a `kubernetes` Service deleted by hand (`kubectl delete all --all` deletes it)
 * comes back. Failures go to `onError` and are tried again next time.
 */
export async function keepKubernetesService(
  options: KubernetesServiceOptions, intervalMs: number, signal: AbortSignal, onError: (error: unknown) => void,
): Promise<void> {
  for (;;) {
    try {
      await delay(intervalMs, undefined, { signal });
    } catch {
      return;
    }
    await ensureKubernetesService(options).catch(onError);
  }
}
