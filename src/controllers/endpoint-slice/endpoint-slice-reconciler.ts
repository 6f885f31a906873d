// The EndpointSlice controller's reconcile (upstream: pkg/controller/endpointslice syncService and
// staging/src/k8s.io/endpointslice Reconciler). For a Service with a selector it keeps the
// discovery.k8s.io/v1 EndpointSlices labelled kubernetes.io/service-name=<service> and managed by
// this controller, owned by the Service (the garbage collector deletes them with it), holding
// every selected pod with an IP, terminating ones included, with ready/serving/terminating
// conditions; at most maxEndpointsPerSlice per slice, one group of slices per distinct set of
// resolved ports. A service with no endpoints keeps one empty placeholder slice.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Endpoint, EndpointPort } from 'kubernetes-types/discovery/v1.js';
import type { Lister } from '../../client/informer/informer.js';
import type { ClientSet } from '../../client/resource-client.js';
import { ENDPOINTSLICES } from '../../client/resource-types.js';
import type { Clock } from '../../lib/clock.js';
import { NotFoundError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { ANNOTATION_LAST_CHANGE_TRIGGER_TIME, type EndpointSliceObject, type ServiceObject } from '../endpoints/endpoint-object-types.js';
import { hasSelector, shouldPodBeInEndpoints, type IpFamily } from '../endpoints/pod-endpoint-rules.js';
import { selectorMatches } from '../endpoints/service-membership.js';
import { formatRfc3339Nano, TriggerTimeTracker } from '../endpoints/trigger-time-tracker.js';
import type { NodeObject, PodObject } from '../framework/kube-object-types.js';
import { objectKey, splitObjectKey } from '../framework/object-key.js';
import type { ReconcileResult, Reconciler } from '../framework/reconciler.js';
import { isSamePlaceholder, LABEL_MANAGED_BY, LABEL_SERVICE_NAME, ENDPOINT_SLICE_CONTROLLER_NAME, newEndpointSlice, ownedBy } from './endpoint-slice-meta.js';
import { EndpointSliceTracker } from './endpoint-slice-tracker.js';
import { endpointKey, endpointPortsFor, podToEndpoint, portMapKey } from './pod-to-endpoint.js';
import { DEFAULT_MAX_ENDPOINTS_PER_SLICE, planPortGroup } from './slice-planner.js';

/** How long a sync waits for the cache to show its own writes before looking again. */
export const STALE_CACHE_RETRY_MS = 1000;

export interface EndpointSliceReconcilerOptions {
  readonly clients: ClientSet;
  readonly services: Lister<ServiceObject>;
  readonly pods: Lister<PodObject>;
  readonly slices: Lister<EndpointSliceObject>;
  readonly nodes: Lister<NodeObject>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly maxEndpointsPerSlice?: number;
  readonly tracker?: EndpointSliceTracker;
}

/** Upstream: getAddressTypesForService, without the pre-dual-stack fallbacks (ipFamilies is always defaulted here). */
function addressTypesOf(service: ServiceObject): IpFamily[] {
  const families = (service.spec?.ipFamilies ?? []).filter((f): f is IpFamily => f === 'IPv4' || f === 'IPv6');
  return families.length > 0 ? [...new Set(families)] : ['IPv4'];
}

export class EndpointSliceReconciler implements Reconciler {
  readonly name = 'endpointslice';
  private readonly options: EndpointSliceReconcilerOptions;
  private readonly tracker: EndpointSliceTracker;
  private readonly triggerTimes = new TriggerTimeTracker();
  private readonly max: number;

  constructor(options: EndpointSliceReconcilerOptions) {
    this.options = options;
    this.tracker = options.tracker ?? new EndpointSliceTracker({ clock: options.clock });
    this.max = options.maxEndpointsPerSlice ?? DEFAULT_MAX_ENDPOINTS_PER_SLICE;
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const { namespace, name } = splitObjectKey(key);
    if (namespace === undefined) return;
    const o = this.options;
    const service = o.services.get(namespace, name);
    if (service === undefined) {
      // Its slices are owned by it: the garbage collector deletes them.
      this.triggerTimes.deleteService(namespace, name);
      this.tracker.forget(key);
      return;
    }
    if (service.spec?.type === 'ExternalName' || !hasSelector(service)) return;

    const pods = o.pods.list({ namespace }).filter((pod) => selectorMatches(service, pod.metadata?.labels));
    const existing = o.slices
      .list({ namespace, labelSelector: `${LABEL_SERVICE_NAME}=${name},${LABEL_MANAGED_BY}=${ENDPOINT_SLICE_CONTROLLER_NAME}` })
      // A slice being deleted is on its way out; counting it could wedge the sync.
      .filter((slice) => slice.metadata?.deletionTimestamp === undefined);
    if (this.tracker.stale(key, existing)) return { requeueAfterMs: STALE_CACHE_RETRY_MS };

    const triggerTime = this.triggerTimes.compute(service, pods);
    const supported = addressTypesOf(service);
    const toDelete: EndpointSliceObject[] = existing.filter((slice) => !supported.includes(slice.addressType as IpFamily));
    const missingNodes: string[] = [];
    for (const addressType of supported) {
      const ofType = existing.filter((slice) => slice.addressType === addressType);
      const plan = this.planAddressType(service, pods, ofType, addressType, missingNodes);
      await this.finalize(key, service, plan.create, plan.update, plan.delete, triggerTime.time);
    }
    for (const slice of toDelete) await this.deleteSlice(key, slice);
    // Only now: a failed write is retried with the same trigger time (see TriggerTimeTracker).
    triggerTime.commit();
    if (missingNodes.length > 0) {
      // Upstream: the sync fails so it is retried; the slices are written without those pods.
      throw new Error(`skipping pods of service ${key} on nodes not found: ${missingNodes.join(', ')}`);
    }
  }

  private planAddressType(
    service: ServiceObject, pods: readonly Pod[], existing: readonly EndpointSliceObject[], addressType: IpFamily, missingNodes: string[],
  ): { create: EndpointSliceObject[]; update: EndpointSliceObject[]; delete: EndpointSliceObject[] } {
    const toCreate: EndpointSliceObject[] = [];
    const toUpdate: EndpointSliceObject[] = [];
    const toDelete: EndpointSliceObject[] = [];
    const existingByPorts = new Map<string, EndpointSliceObject[]>();
    for (const slice of existing) {
      // Slices of an earlier Service of the same name go; the GC may not have got to them yet.
      if (!ownedBy(slice, service)) {
        toDelete.push(slice);
        continue;
      }
      const portKey = portMapKey(slice.ports ?? undefined);
      existingByPorts.set(portKey, [...(existingByPorts.get(portKey) ?? []), slice]);
    }

    const desired = new Map<string, { ports: EndpointPort[]; endpoints: Map<string, Endpoint> }>();
    for (const pod of pods) {
      if (!shouldPodBeInEndpoints(pod, true)) continue;
      const ports = endpointPortsFor(service, pod);
      const portKey = portMapKey(ports);
      let group = desired.get(portKey);
      if (group === undefined) desired.set(portKey, (group = { ports, endpoints: new Map() }));
      const nodeName = pod.spec?.nodeName ?? '';
      const node = nodeName === '' ? undefined : this.options.nodes.get(undefined, nodeName);
      if (node === undefined && service.spec?.publishNotReadyAddresses !== true) {
        missingNodes.push(nodeName);
        continue;
      }
      const endpoint = podToEndpoint(pod, node, service, addressType);
      if (endpoint.addresses.length > 0) group.endpoints.set(endpointKey(endpoint), endpoint);
    }

    for (const [portKey, group] of desired) {
      const plan = planPortGroup({
        service,
        existing: existingByPorts.get(portKey) ?? [],
        desired: group.endpoints,
        newSlice: () => newEndpointSlice(service, group.ports, addressType),
        maxEndpointsPerSlice: this.max,
      });
      toCreate.push(...plan.create);
      toUpdate.push(...plan.update);
      toDelete.push(...plan.delete);
    }
    for (const [portKey, slices] of existingByPorts) if (!desired.has(portKey)) toDelete.push(...slices);

    // A service with no endpoints keeps one empty slice, so consumers can tell "no endpoints"
    // from "not synced yet"; an existing identical placeholder is kept rather than replaced.
    if (existing.length === toDelete.length && toCreate.length === 0) {
      const placeholder = newEndpointSlice(service, [], addressType);
      const [only] = toDelete;
      if (toDelete.length === 1 && only !== undefined && isSamePlaceholder(only, placeholder)) toDelete.length = 0;
      else toCreate.push(placeholder);
    }
    return { create: toCreate, update: toUpdate, delete: toDelete };
  }

  /** Writes the plan; a create that would pair with a delete becomes an update of that slice. */
  private async finalize(
    key: string, service: ServiceObject, toCreate: EndpointSliceObject[], toUpdate: EndpointSliceObject[],
    toDelete: EndpointSliceObject[], triggerTime: Date | undefined,
  ): Promise<void> {
    for (let i = 0; i < toDelete.length && toCreate.length > 0;) {
      const victim = toDelete[i];
      const fresh = toCreate[toCreate.length - 1];
      if (victim !== undefined && fresh !== undefined && victim.addressType === fresh.addressType && ownedBy(victim, service)) {
        toCreate.pop();
        toDelete.splice(i, 1);
        // Reuse the victim's identity; its resourceVersion makes the write a compare-and-swap.
        toUpdate.push({ ...fresh, metadata: { ...victim.metadata, labels: fresh.metadata?.labels ?? {}, ownerReferences: fresh.metadata?.ownerReferences ?? [] } });
      } else {
        i++;
      }
    }
    const client = this.options.clients.resource<EndpointSliceObject>(ENDPOINTSLICES);
    const namespace = service.metadata?.namespace;
    // Creating while the Service is being deleted would race the garbage collector.
    if (service.metadata?.deletionTimestamp === undefined) {
      for (const slice of toCreate) {
        const created = await client.create(namespace, withTriggerTime(slice, triggerTime));
        this.tracker.created(key, created);
      }
    }
    for (const slice of toUpdate) {
      const replaced = slice.metadata?.resourceVersion ?? '';
      await client.update(namespace, withTriggerTime(slice, triggerTime));
      this.tracker.updated(key, slice.metadata?.name ?? '', replaced);
    }
    for (const slice of toDelete) await this.deleteSlice(key, slice);
    if (toCreate.length + toUpdate.length + toDelete.length > 0) {
      this.options.logger.debug({ service: key, created: toCreate.length, updated: toUpdate.length, deleted: toDelete.length }, 'endpoint slices written');
    }
  }

  private async deleteSlice(key: string, slice: EndpointSliceObject): Promise<void> {
    try {
      await this.options.clients.resource<EndpointSliceObject>(ENDPOINTSLICES).delete(slice.metadata?.namespace, slice.metadata?.name ?? '');
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      return;
    }
    this.tracker.deleted(key, slice);
  }
}

function withTriggerTime(slice: EndpointSliceObject, triggerTime: Date | undefined): EndpointSliceObject {
  const annotations: Record<string, string> = { ...slice.metadata?.annotations };
  if (triggerTime !== undefined) annotations[ANNOTATION_LAST_CHANGE_TRIGGER_TIME] = formatRfc3339Nano(triggerTime);
  else delete annotations[ANNOTATION_LAST_CHANGE_TRIGGER_TIME];
  return { ...slice, metadata: { ...slice.metadata, annotations } };
}

/** The service key an EndpointSlice belongs to, from its service-name label. */
export function serviceKeyOfSlice(slice: EndpointSliceObject): string | undefined {
  const serviceName = slice.metadata?.labels?.[LABEL_SERVICE_NAME];
  const namespace = slice.metadata?.namespace;
  if (serviceName === undefined || serviceName === '' || namespace === undefined) return undefined;
  return objectKey({ metadata: { namespace, name: serviceName } });
}
