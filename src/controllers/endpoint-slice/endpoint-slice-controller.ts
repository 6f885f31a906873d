// The EndpointSlice controller's wiring (upstream: pkg/controller/endpointslice). Services map to
// their own key; a pod to the services selecting it (before and after a label change); a slice
// managed by this controller to its service (from the service-name label), so a slice edited or
// deleted by someone else is put back. Nodes are read for the zone only and trigger nothing.
import { ENDPOINTSLICES, NODES, PODS, SERVICES } from '../../client/resource-types.js';
import { componentLogger } from '../../lib/logger.js';
import type { EndpointSliceObject, ServiceObject } from '../endpoints/endpoint-object-types.js';
import { servicesForLabels, servicesToUpdateOnPodChange } from '../endpoints/service-membership.js';
import type { ControllerFactory } from '../framework/controller-context.js';
import type { NodeObject, PodObject } from '../framework/kube-object-types.js';
import { objectKey } from '../framework/object-key.js';
import { ENDPOINT_SLICE_CONTROLLER_NAME, LABEL_MANAGED_BY } from './endpoint-slice-meta.js';
import { EndpointSliceReconciler, serviceKeyOfSlice } from './endpoint-slice-reconciler.js';

export interface EndpointSliceControllerOptions {
  /** Upstream's --max-endpoints-per-slice (default 100). */
  readonly maxEndpointsPerSlice?: number;
}

export function createEndpointSliceController(options: EndpointSliceControllerOptions = {}): ControllerFactory {
  return (context) => {
    const serviceInformer = context.informers.informerFor<ServiceObject>(SERVICES);
    const podInformer = context.informers.informerFor<PodObject>(PODS);
    const sliceInformer = context.informers.informerFor<EndpointSliceObject>(ENDPOINTSLICES);
    const nodeInformer = context.informers.informerFor<NodeObject>(NODES);
    const services = serviceInformer.lister;
    const reconciler = new EndpointSliceReconciler({
      clients: context.clients,
      services,
      pods: podInformer.lister,
      slices: sliceInformer.lister,
      nodes: nodeInformer.lister,
      clock: context.clock,
      logger: componentLogger(context.logger, 'endpointslice-controller'),
      ...(options.maxEndpointsPerSlice !== undefined ? { maxEndpointsPerSlice: options.maxEndpointsPerSlice } : {}),
    });
    return {
      reconciler,
      connect(enqueue) {
        const enqueuePodServices = (pod: PodObject): void => {
          for (const key of servicesForLabels(services, pod.metadata?.namespace, pod.metadata?.labels)) enqueue(key);
        };
        const enqueueSliceService = (slice: EndpointSliceObject): void => {
          if (slice.metadata?.labels?.[LABEL_MANAGED_BY] !== ENDPOINT_SLICE_CONTROLLER_NAME) return;
          const key = serviceKeyOfSlice(slice);
          if (key !== undefined) enqueue(key);
        };
        serviceInformer.addHandlers({
          add: (service) => enqueue(objectKey(service)),
          update: (_old, service) => enqueue(objectKey(service)),
          delete: (service) => enqueue(objectKey(service)),
        });
        podInformer.addHandlers({
          add: enqueuePodServices,
          update: (oldPod, newPod) => {
            for (const key of servicesToUpdateOnPodChange(services, oldPod, newPod)) enqueue(key);
          },
          delete: enqueuePodServices,
        });
        sliceInformer.addHandlers({
          add: enqueueSliceService,
          update: (oldSlice, newSlice) => {
            if (oldSlice.metadata?.resourceVersion === newSlice.metadata?.resourceVersion) return;
            // A slice that stopped being ours (label changed) concerns its old service too.
            enqueueSliceService(oldSlice);
            enqueueSliceService(newSlice);
          },
          delete: enqueueSliceService,
        });
      },
    };
  };
}

export const endpointSliceController: ControllerFactory = createEndpointSliceController();
