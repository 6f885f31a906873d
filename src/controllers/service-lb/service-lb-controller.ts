// Wiring of the built-in LoadBalancer controller: a Service maps to its own key; a node change
// that can move the ingress list (readiness, InternalIP, exclusion label, unschedulable) maps to
// every Service of type LoadBalancer.
import { NODES, SERVICES } from '../../client/resource-types.js';
import { componentLogger } from '../../lib/logger.js';
import type { ServiceObject } from '../endpoints/endpoint-object-types.js';
import type { ControllerFactory } from '../framework/controller-context.js';
import type { NodeObject } from '../framework/kube-object-types.js';
import { objectKey } from '../framework/object-key.js';
import { nodeIngressIPs, ServiceLbReconciler } from './service-lb-reconciler.js';

export const serviceLoadBalancerController: ControllerFactory = (context) => {
  const serviceInformer = context.informers.informerFor<ServiceObject>(SERVICES);
  const nodeInformer = context.informers.informerFor<NodeObject>(NODES);
  const reconciler = new ServiceLbReconciler({
    clients: context.clients,
    services: serviceInformer.lister,
    nodes: nodeInformer.lister,
    recorder: context.recorder,
    logger: componentLogger(context.logger, 'service-lb-controller'),
  });
  return {
    reconciler,
    connect(enqueue) {
      const enqueueLoadBalancers = (): void => {
        for (const service of serviceInformer.lister.list()) if (service.spec?.type === 'LoadBalancer') enqueue(objectKey(service));
      };
      serviceInformer.addHandlers({
        add: (service) => enqueue(objectKey(service)),
        update: (_old, service) => enqueue(objectKey(service)),
      });
      nodeInformer.addHandlers({
        add: enqueueLoadBalancers,
        update: (oldNode, newNode) => {
          if (nodeIngressIPs([oldNode]).join() !== nodeIngressIPs([newNode]).join()) enqueueLoadBalancers();
        },
        delete: enqueueLoadBalancers,
      });
    },
  };
};
