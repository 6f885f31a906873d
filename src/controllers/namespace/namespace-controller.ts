// The namespace controller's wiring: a namespace that is being deleted is enqueued by name.
import { NAMESPACES } from '../../client/resource-types.js';
import { componentLogger } from '../../lib/logger.js';
import type { ControllerFactory } from '../framework/controller-context.js';
import type { NamespaceObject as Namespace } from '../framework/kube-object-types.js';
import { NamespaceReconciler } from './namespace-reconciler.js';

export const namespaceController: ControllerFactory = (context) => {
  const informer = context.informers.informerFor<Namespace>(NAMESPACES);
  const reconciler = new NamespaceReconciler({
    clients: context.clients,
    namespaces: informer.lister,
    clock: context.clock,
    logger: componentLogger(context.logger, 'namespace-controller'),
  });
  return {
    reconciler,
    connect(enqueue) {
      const enqueueTerminating = (ns: Namespace): void => {
        if (ns.metadata?.deletionTimestamp !== undefined && ns.metadata.name) enqueue(ns.metadata.name);
      };
      informer.addHandlers({ add: enqueueTerminating, update: (_old, ns) => enqueueTerminating(ns) });
    },
  };
};
