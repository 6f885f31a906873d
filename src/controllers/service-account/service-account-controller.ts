// The serviceaccounts controller's wiring: a namespace that appears or changes is enqueued by
// name, and so is the namespace of a managed ServiceAccount that is deleted.
import { NAMESPACES, SERVICEACCOUNTS } from '../../client/resource-types.js';
import { componentLogger } from '../../lib/logger.js';
import type { ControllerFactory } from '../framework/controller-context.js';
import type { NamespaceObject } from '../framework/kube-object-types.js';
import { MANAGED_SERVICE_ACCOUNTS, ServiceAccountReconciler, type ServiceAccountObject } from './service-account-reconciler.js';

export const serviceAccountController: ControllerFactory = (context) => {
  const namespaces = context.informers.informerFor<NamespaceObject>(NAMESPACES);
  const serviceAccounts = context.informers.informerFor<ServiceAccountObject>(SERVICEACCOUNTS);
  const reconciler = new ServiceAccountReconciler({
    clients: context.clients,
    namespaces: namespaces.lister,
    serviceAccounts: serviceAccounts.lister,
    logger: componentLogger(context.logger, 'serviceaccount-controller'),
  });
  return {
    reconciler,
    connect(enqueue) {
      const enqueueNamespace = (namespace: NamespaceObject): void => {
        if (namespace.metadata?.name) enqueue(namespace.metadata.name);
      };
      namespaces.addHandlers({ add: enqueueNamespace, update: (_old, namespace) => enqueueNamespace(namespace) });
      serviceAccounts.addHandlers({
        delete: (account) => {
          const namespace = account.metadata?.namespace;
          if (namespace && MANAGED_SERVICE_ACCOUNTS.includes(account.metadata?.name ?? '')) enqueue(namespace);
        },
      });
    },
  };
};
