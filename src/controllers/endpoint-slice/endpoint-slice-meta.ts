// Labels, ownership and the shape of new EndpointSlices (upstream: endpointslice utils
// setEndpointSliceLabels, newEndpointSlice, ownedBy, placeholderSliceCompare).
import type { EndpointPort } from 'kubernetes-types/discovery/v1.js';
import { LABEL_HEADLESS_SERVICE, type EndpointSliceObject, type ServiceObject } from '../endpoints/endpoint-object-types.js';
import { isServiceIPSet, type IpFamily } from '../endpoints/pod-endpoint-rules.js';
import { semanticEqual } from '../endpoints/semantic-json.js';
import { newControllerRef } from '../framework/controller-ref.js';

export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const ENDPOINT_SLICE_CONTROLLER_NAME = 'endpointslice-controller.k8s.io';

function isReservedLabel(key: string): boolean {
  return key === LABEL_SERVICE_NAME || key === LABEL_MANAGED_BY || key === LABEL_HEADLESS_SERVICE;
}

function withoutReserved(labels: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(labels ?? {}).filter(([key]) => !isReservedLabel(key)));
}

/**
 * The labels a slice of `service` carries: the service's own labels (minus reserved keys), the
 * headless marker when it has no cluster IP, the service name and the managed-by label. `changed`
 * is whether the copied service labels differ from the slice's (the reserved ones never change
 * for a given service, as upstream assumes).
 */
export function sliceLabels(current: Readonly<Record<string, string>> | undefined, service: ServiceObject): { labels: Record<string, string>; changed: boolean } {
  const labels = withoutReserved(service.metadata?.labels);
  const changed = !semanticEqual(withoutReserved(current), labels);
  if (!isServiceIPSet(service)) labels[LABEL_HEADLESS_SERVICE] = '';
  labels[LABEL_SERVICE_NAME] = service.metadata?.name ?? '';
  labels[LABEL_MANAGED_BY] = ENDPOINT_SLICE_CONTROLLER_NAME;
  return { labels, changed };
}

/** `<service>-`: the server appends five random characters. */
export function sliceGenerateName(serviceName: string): string {
  // A DNS subdomain may be 253 characters; the server needs room for its suffix.
  return serviceName.length + 1 <= 253 - 5 ? `${serviceName}-` : serviceName;
}

export function newEndpointSlice(service: ServiceObject, ports: readonly EndpointPort[], addressType: IpFamily): EndpointSliceObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: sliceGenerateName(service.metadata?.name ?? ''),
      namespace: service.metadata?.namespace ?? '',
      labels: sliceLabels({}, service).labels,
      ownerReferences: [newControllerRef(service, { apiVersion: 'v1', kind: 'Service' })],
    },
    addressType,
    endpoints: [],
    ports: [...ports],
  };
}

/** The slice has an owner reference to this very Service (by uid). */
export function ownedBy(slice: EndpointSliceObject, service: ServiceObject): boolean {
  return (slice.metadata?.ownerReferences ?? []).some((ref) => ref.uid === service.metadata?.uid && ref.kind === 'Service' && ref.apiVersion === 'v1');
}

/**
 * Whether an existing slice already is the placeholder we would create: same namespace, labels,
 * owner references, address type, no endpoints, no ports. Keeps a service without endpoints from
 * deleting and recreating its empty slice on every sync.
 */
export function isSamePlaceholder(existing: EndpointSliceObject, placeholder: EndpointSliceObject): boolean {
  return (
    existing.metadata?.namespace === placeholder.metadata?.namespace &&
    semanticEqual(existing.metadata?.labels, placeholder.metadata?.labels) &&
    semanticEqual(existing.metadata?.ownerReferences, placeholder.metadata?.ownerReferences) &&
    existing.addressType === placeholder.addressType &&
    semanticEqual(existing.endpoints, placeholder.endpoints) &&
    semanticEqual(existing.ports, placeholder.ports)
  );
}
