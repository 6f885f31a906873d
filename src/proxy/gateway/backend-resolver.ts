// HTTPRoute backendRefs -> WeightedBackends with their endpoints: Service lookup (cross-namespace
// only with a ReferenceGrant), Service port -> target port through the EndpointSlices' named
// ports, endpoint conditions, and each endpoint's revision from its pod's labels.

import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { HTTPBackendRef, ReferenceGrant } from '../../api/gateway/index.js';
import { GATEWAY_GROUP, GatewayConditionReason } from '../../api/gateway/index.js';
import type { GatewayEndpoint, WeightedBackend } from './route-table.js';

const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
/** Argo Rollouts' revision label wins over the ReplicaSet controller's (a Rollout's pods carry both). */
export const REVISION_LABELS: readonly string[] = ['rollouts-pod-template-hash', 'pod-template-hash'];

export interface BackendIndexInput {
  readonly services: readonly Service[];
  readonly endpointSlices: readonly EndpointSlice[];
  readonly pods: readonly Pod[];
  readonly referenceGrants?: readonly ReferenceGrant[];
}

/** Lookups built once per compile; endpoint lists are shared by every rule naming the same Service port. */
export class BackendIndex {
  private readonly services = new Map<string, Service>();
  private readonly slices = new Map<string, EndpointSlice[]>();
  private readonly revisions = new Map<string, string>();
  private readonly grants: readonly ReferenceGrant[];
  private readonly endpointCache = new Map<string, readonly GatewayEndpoint[]>();

  constructor(input: BackendIndexInput) {
    for (const s of input.services) this.services.set(keyOf(s.metadata?.namespace, s.metadata?.name), s);
    for (const slice of input.endpointSlices) {
      const svc = slice.metadata?.labels?.[LABEL_SERVICE_NAME];
      if (svc === undefined) continue;
      const key = keyOf(slice.metadata?.namespace, svc);
      const list = this.slices.get(key) ?? [];
      list.push(slice);
      this.slices.set(key, list);
    }
    for (const pod of input.pods) {
      const labels = pod.metadata?.labels ?? {};
      const revision = REVISION_LABELS.map((l) => labels[l]).find((v) => v !== undefined && v !== '');
      if (revision !== undefined) this.revisions.set(keyOf(pod.metadata?.namespace, pod.metadata?.name), revision);
    }
    this.grants = input.referenceGrants ?? [];
  }

  /** The backend one backendRef of a route in `routeNamespace` names. */
  resolve(ref: HTTPBackendRef, routeNamespace: string): WeightedBackend {
    const namespace = ref.namespace ?? routeNamespace;
    const service = `${namespace}/${ref.name}`;
    const weight = ref.weight ?? 1;
    const port = ref.port ?? 0;
    const invalid = (reason: string): WeightedBackend => ({ service, port, weight, endpoints: [], invalid: reason });
    if ((ref.group ?? '') !== '' || (ref.kind ?? 'Service') !== 'Service') return invalid(GatewayConditionReason.InvalidKind);
    if (namespace !== routeNamespace && !this.granted(routeNamespace, namespace, ref.name)) return invalid(GatewayConditionReason.RefNotPermitted);
    const svc = this.services.get(service);
    if (svc === undefined || svc.metadata?.deletionTimestamp !== undefined) return invalid(GatewayConditionReason.BackendNotFound);
    const svcPort = (svc.spec?.ports ?? []).find((p) => p.port === port && (p.protocol ?? 'TCP') === 'TCP');
    if (ref.port === undefined || svcPort === undefined) return invalid(GatewayConditionReason.BackendNotFound);
    return { service, port, weight, endpoints: this.endpoints(namespace, ref.name, svcPort.name ?? '') };
  }

  private granted(fromNamespace: string, toNamespace: string, name: string): boolean {
    return this.grants.some(
      (g) =>
        (g.metadata?.namespace ?? 'default') === toNamespace &&
        g.spec.from.some((f) => f.group === GATEWAY_GROUP && f.kind === 'HTTPRoute' && f.namespace === fromNamespace) &&
        g.spec.to.some((t) => t.group === '' && t.kind === 'Service' && (t.name === undefined || t.name === '' || t.name === name)),
    );
  }

  private endpoints(namespace: string, name: string, portName: string): readonly GatewayEndpoint[] {
    const cacheKey = `${namespace}/${name}:${portName}`;
    const cached = this.endpointCache.get(cacheKey);
    if (cached !== undefined) return cached;
    const out: GatewayEndpoint[] = [];
    const seen = new Set<string>();
    for (const slice of this.slices.get(`${namespace}/${name}`) ?? []) {
      if (slice.addressType === 'FQDN') continue;
      const slicePort = (slice.ports ?? []).find((p) => (p.name ?? '') === portName && (p.protocol ?? 'TCP') === 'TCP');
      if (slicePort?.port === undefined) continue;
      for (const ep of slice.endpoints) {
        const address = ep.addresses[0];
        if (address === undefined) continue;
        const id = `${address}:${slicePort.port}`;
        if (seen.has(id)) continue;
        seen.add(id);
        // Unknown (absent) conditions: ready is interpreted as ready, serving as ready, terminating as not.
        const ready = ep.conditions?.ready ?? true;
        const podName = ep.targetRef?.kind === 'Pod' ? ep.targetRef.name : undefined;
        const podKey = podName === undefined ? undefined : `${ep.targetRef?.namespace ?? namespace}/${podName}`;
        const revision = podKey === undefined ? undefined : this.revisions.get(podKey);
        out.push({
          address,
          port: slicePort.port,
          ready,
          serving: ep.conditions?.serving ?? ready,
          terminating: ep.conditions?.terminating ?? false,
          ...(podKey !== undefined ? { pod: podKey } : {}),
          ...(revision !== undefined ? { revision } : {}),
        });
      }
    }
    // Stable order: a recompile with the same endpoints gives the same table (and round robin).
    out.sort((a, b) => (a.address === b.address ? a.port - b.port : a.address < b.address ? -1 : 1));
    this.endpointCache.set(cacheKey, out);
    return out;
  }
}

function keyOf(namespace: string | undefined, name: string | undefined): string {
  return `${namespace ?? 'default'}/${name ?? ''}`;
}
