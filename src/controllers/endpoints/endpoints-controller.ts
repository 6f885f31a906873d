// The Endpoints controller's wiring (upstream: pkg/controller/endpoint). Services map to their own
// key; a pod maps to the services whose selector matches it (before and after a label change);
// a deleted Endpoints re-syncs its service (which recreates it, or confirms it should be gone).
// Endpoints seen in the first list are synced once too, so ones left behind by a service
// deleted while no controller ran are cleaned up (upstream: checkLeftoverEndpoints).
import { ENDPOINTS, PODS, SERVICES } from '../../client/resource-types.js';
import { componentLogger } from '../../lib/logger.js';
import type { ControllerFactory } from '../framework/controller-context.js';
import type { PodObject } from '../framework/kube-object-types.js';
import { objectKey } from '../framework/object-key.js';
import { ANNOTATION_LEADER_ELECTION, type EndpointsObject, type ServiceObject } from './endpoint-object-types.js';
import { EndpointsReconciler } from './endpoints-reconciler.js';
import { servicesForLabels, servicesToUpdateOnPodChange } from './service-membership.js';

export const endpointsController: ControllerFactory = (context) => {
  const serviceInformer = context.informers.informerFor<ServiceObject>(SERVICES);
  const podInformer = context.informers.informerFor<PodObject>(PODS);
  const endpointsInformer = context.informers.informerFor<EndpointsObject>(ENDPOINTS);
  const services = serviceInformer.lister;
  const reconciler = new EndpointsReconciler({
    clients: context.clients,
    services,
    pods: podInformer.lister,
    endpoints: endpointsInformer.lister,
    logger: componentLogger(context.logger, 'endpoints-controller'),
    recorder: context.recorder,
  });
  return {
    reconciler,
    connect(enqueue) {
      const enqueuePodServices = (pod: PodObject): void => {
        for (const key of servicesForLabels(services, pod.metadata?.namespace, pod.metadata?.labels)) enqueue(key);
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
      endpointsInformer.addHandlers({
        add: (endpoints) => {
          if (endpointsInformer.hasSynced()) return;
          if (endpoints.metadata?.annotations?.[ANNOTATION_LEADER_ELECTION] !== undefined) return;
          enqueue(objectKey(endpoints));
        },
        delete: (endpoints) => enqueue(objectKey(endpoints)),
      });
    },
  };
};
