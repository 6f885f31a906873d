// The `kubernetes` Service in `default`, which every cluster has: the first address of the
// service range, port 443 (https) to the API server's port, and its Endpoints pointing at the
// API server (upstream's bootstrap controller). Pods find the API server through it
// (KUBERNETES_SERVICE_HOST / _PORT). Existing objects are left as they are. If another Service holds
// the first address, the create fails (422); the caller decides whether that stops start-up.
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
    await createIfAbsent(endpoints, body);
  }
}
