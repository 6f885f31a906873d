// The Endpoints controller's reconcile (upstream: pkg/controller/endpoint syncService). For a
// Service with a selector it keeps an Endpoints object of the same name listing the selected pods:
// ready ones in `addresses`, the others (not ready yet, or failing readiness) in
// `notReadyAddresses`, each with the port the service port resolves to on that pod. Terminating
// pods are left out unless publishNotReadyAddresses, which also lists every pod as ready.
// Services without a selector (and ExternalName ones) are left alone: their Endpoints are the
// user's. When the Service is gone, its Endpoints is deleted (it has no owner reference, so the
// garbage collector would not).
import type { EndpointAddress, EndpointPort, EndpointSubset, Pod } from 'kubernetes-types/core/v1.js';
import type { EventRecorder } from '../../client/events/event-recorder.js';
import type { Lister } from '../../client/informer/informer.js';
import type { ClientSet } from '../../client/resource-client.js';
import { ENDPOINTS } from '../../client/resource-types.js';
import { NotFoundError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { PodObject } from '../framework/kube-object-types.js';
import { splitObjectKey } from '../framework/object-key.js';
import { isPodReady } from '../framework/pod-utils.js';
import type { Reconciler } from '../framework/reconciler.js';
import { capacityAnnotationSetCorrectly, OVER_CAPACITY_VALUE, truncateSubsets } from './endpoints-capacity.js';
import {
  ANNOTATION_LAST_CHANGE_TRIGGER_TIME,
  ANNOTATION_OVER_CAPACITY,
  LABEL_HEADLESS_SERVICE,
  type EndpointsObject,
  type ServiceObject,
} from './endpoint-object-types.js';
import { findPort, hasSelector, ipFamilyOf, isServiceIPSet, podIPs, shouldPodBeInEndpoints, shouldSetHostname } from './pod-endpoint-rules.js';
import { repackSubsets } from './repack-subsets.js';
import { semanticEqual } from './semantic-json.js';
import { selectorMatches } from './service-membership.js';
import { formatRfc3339Nano, TriggerTimeTracker } from './trigger-time-tracker.js';

export interface EndpointsReconcilerOptions {
  readonly clients: ClientSet;
  readonly services: Lister<ServiceObject>;
  readonly pods: Lister<PodObject>;
  readonly endpoints: Lister<EndpointsObject>;
  readonly logger: Logger;
  readonly recorder: EventRecorder;
  readonly triggerTimes?: TriggerTimeTracker;
}

/** The pod's address for the service's IP family (the cluster IP's, else ipFamilies[0], else the pod's own). */
function addressFor(service: ServiceObject, pod: Pod): EndpointAddress | undefined {
  const ips = podIPs(pod);
  const family = isServiceIPSet(service)
    ? ipFamilyOf(service.spec?.clusterIP ?? '')
    : (service.spec?.ipFamilies?.[0] ?? (ips[0] === undefined ? undefined : ipFamilyOf(ips[0])));
  const ip = ips.find((candidate) => ipFamilyOf(candidate) === family);
  if (ip === undefined) return undefined;
  const nodeName = pod.spec?.nodeName ?? '';
  return {
    ip,
    ...(shouldSetHostname(pod, service) ? { hostname: pod.spec?.hostname ?? '' } : {}),
    ...(nodeName !== '' ? { nodeName } : {}),
    targetRef: { kind: 'Pod', namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' },
  };
}

/** One subset per (pod, service port) before repacking. */
export function desiredSubsets(service: ServiceObject, pods: readonly Pod[]): EndpointSubset[] {
  const publishNotReady = service.spec?.publishNotReadyAddresses === true;
  const servicePorts = service.spec?.ports ?? [];
  const subsets: EndpointSubset[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const address = addressFor(service, pod);
    if (address === undefined) continue;
    const ready = publishNotReady || isPodReady(pod);
    const add = (ports: EndpointPort[]): void => {
      subsets.push(ready ? { addresses: [address], ports } : { notReadyAddresses: [address], ports });
    };
    if (servicePorts.length === 0) {
      // Only a headless service may publish addresses without ports.
      if (service.spec?.clusterIP === 'None') add([]);
      continue;
    }
    for (const servicePort of servicePorts) {
      const port = findPort(pod, servicePort);
      if (port === undefined) continue;
      add([{
        name: servicePort.name ?? '',
        port,
        protocol: servicePort.protocol ?? 'TCP',
        ...(servicePort.appProtocol !== undefined ? { appProtocol: servicePort.appProtocol } : {}),
      }]);
    }
  }
  return repackSubsets(subsets);
}

function withoutHeadless(labels: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const copy = { ...labels };
  delete copy[LABEL_HEADLESS_SERVICE];
  return copy;
}

export class EndpointsReconciler implements Reconciler {
  readonly name = 'endpoint';
  private readonly options: EndpointsReconcilerOptions;
  private readonly triggerTimes: TriggerTimeTracker;

  constructor(options: EndpointsReconcilerOptions) {
    this.options = options;
    this.triggerTimes = options.triggerTimes ?? new TriggerTimeTracker();
  }

  async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitObjectKey(key);
    if (namespace === undefined) return;
    const o = this.options;
    const service = o.services.get(namespace, name);
    if (service === undefined) {
      await this.deleteLeftover(namespace, name);
      return;
    }
    if (service.spec?.type === 'ExternalName' || !hasSelector(service)) return;

    const pods = o.pods.list({ namespace }).filter((pod) => selectorMatches(service, pod.metadata?.labels));
    // Committed on every pass that ends well, so the tracker's state moves even when nothing is written.
    const triggerTime = this.triggerTimes.compute(service, pods);
    const subsets = desiredSubsets(service, pods);

    const current = o.endpoints.get(namespace, name);
    const serviceLabels = service.metadata?.labels ?? {};
    if (
      current !== undefined &&
      semanticEqual(current.subsets, subsets) &&
      semanticEqual(withoutHeadless(current.metadata?.labels), serviceLabels) &&
      capacityAnnotationSetCorrectly(current.metadata?.annotations, current.subsets ?? [])
    ) {
      triggerTime.commit();
      return;
    }

    const next: EndpointsObject = current === undefined
      ? { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace } }
      : structuredClone(current);
    const annotations: Record<string, string> = { ...next.metadata?.annotations };
    if (triggerTime.time !== undefined) annotations[ANNOTATION_LAST_CHANGE_TRIGGER_TIME] = formatRfc3339Nano(triggerTime.time);
    else delete annotations[ANNOTATION_LAST_CHANGE_TRIGGER_TIME];
    const truncated = truncateSubsets(subsets);
    if (truncated !== undefined) annotations[ANNOTATION_OVER_CAPACITY] = OVER_CAPACITY_VALUE;
    else delete annotations[ANNOTATION_OVER_CAPACITY];
    const labels: Record<string, string> = { ...serviceLabels };
    if (!isServiceIPSet(service)) labels[LABEL_HEADLESS_SERVICE] = '';
    next.metadata = { ...next.metadata, labels, annotations };
    next.subsets = truncated ?? subsets;

    const client = o.clients.resource<EndpointsObject>(ENDPOINTS);
    try {
      if (current === undefined) await client.create(namespace, next);
      else await client.update(namespace, next);
    } catch (error) {
      const message = (error as Error).message;
      if (current === undefined) o.recorder.event(next, 'Warning', 'FailedToCreateEndpoint', `Failed to create endpoint for service ${namespace}/${name}: ${message}`);
      else o.recorder.event(next, 'Warning', 'FailedToUpdateEndpoint', `Failed to update endpoint ${namespace}/${name}: ${message}`);
      throw error;
    }
    triggerTime.commit();
    o.logger.debug({ service: key, subsets: next.subsets.length }, 'endpoints written');
  }

  /** The service is gone: delete the Endpoints of its name, if any (404 means someone was faster). */
  private async deleteLeftover(namespace: string, name: string): Promise<void> {
    this.triggerTimes.deleteService(namespace, name);
    if (this.options.endpoints.get(namespace, name) === undefined) return;
    try {
      await this.options.clients.resource<EndpointsObject>(ENDPOINTS).delete(namespace, name);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
}
