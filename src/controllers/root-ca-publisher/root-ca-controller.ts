// The root-ca-cert-publisher's wiring: a namespace that appears or changes is enqueued by name,
// and so is the namespace of a `kube-root-ca.crt` ConfigMap that is changed or deleted.
import { CONFIGMAPS, NAMESPACES } from '../../client/resource-types.js';
import { componentLogger } from '../../lib/logger.js';
import type { ControllerFactory } from '../framework/controller-context.js';
import type { NamespaceObject } from '../framework/kube-object-types.js';
import { ROOT_CA_CONFIGMAP, RootCaReconciler, type ConfigMapObject } from './root-ca-reconciler.js';

/** `caCert`: PEM of the cluster CA, published in every namespace. */
export function createRootCaPublisher(options: { readonly caCert: string }): ControllerFactory {
  return (context) => {
    const namespaces = context.informers.informerFor<NamespaceObject>(NAMESPACES);
    const configMaps = context.informers.informerFor<ConfigMapObject>(CONFIGMAPS);
    const reconciler = new RootCaReconciler({
      clients: context.clients,
      namespaces: namespaces.lister,
      configMaps: configMaps.lister,
      caCert: options.caCert,
      logger: componentLogger(context.logger, 'root-ca-cert-publisher'),
    });
    return {
      reconciler,
      connect(enqueue) {
        const enqueueNamespace = (namespace: NamespaceObject): void => {
          if (namespace.metadata?.name) enqueue(namespace.metadata.name);
        };
        const enqueueOwner = (configMap: ConfigMapObject): void => {
          if (configMap.metadata?.name === ROOT_CA_CONFIGMAP && configMap.metadata.namespace) enqueue(configMap.metadata.namespace);
        };
        namespaces.addHandlers({ add: enqueueNamespace, update: (_old, namespace) => enqueueNamespace(namespace) });
        configMaps.addHandlers({ update: (_old, configMap) => enqueueOwner(configMap), delete: enqueueOwner });
      },
    };
  };
}
