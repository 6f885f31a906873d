// Every active namespace has a ConfigMap `kube-root-ca.crt` holding the CA that signed the API
// server's certificate, as upstream's root-ca-cert-publisher keeps it: in-cluster clients verify
// the API server with it (upstream mounts it into pods next to the ServiceAccount token). The key is
// a namespace name; a ConfigMap changed or deleted by hand is put back.
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { Lister } from '../../client/informer/informer.js';
import type { ClientSet } from '../../client/resource-client.js';
import { CONFIGMAPS } from '../../client/resource-types.js';
import { AlreadyExistsError, ConflictError, NotFoundError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { NamespaceObject } from '../framework/kube-object-types.js';
import type { Reconciler } from '../framework/reconciler.js';

export type ConfigMapObject = ConfigMap & KubeObject;

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
const DATA_KEY = 'ca.crt';
const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
/** Upstream's text, word for word: tools show it. */
const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. ' +
  'No other usage is guaranteed across distributions of Kubernetes clusters.';

export interface RootCaReconcilerOptions {
  readonly clients: ClientSet;
  readonly namespaces: Lister<NamespaceObject>;
  readonly configMaps: Lister<ConfigMapObject>;
  /** PEM of the cluster CA. */
  readonly caCert: string;
  readonly logger: Logger;
}

export class RootCaReconciler implements Reconciler {
  readonly name = 'root-ca-cert-publisher';
  private readonly options: RootCaReconcilerOptions;

  constructor(options: RootCaReconcilerOptions) {
    this.options = options;
  }

  async reconcile(key: string): Promise<void> {
    const namespace = this.options.namespaces.get(undefined, key);
    if (!namespace || namespace.metadata?.deletionTimestamp !== undefined || namespace.status?.phase === 'Terminating') return;
    const configMaps = this.options.clients.resource<ConfigMapObject>(CONFIGMAPS);
    const current = this.options.configMaps.get(key, ROOT_CA_CONFIGMAP);
    try {
      if (!current) {
        await configMaps.create(key, {
          apiVersion: 'v1', kind: 'ConfigMap',
          metadata: { name: ROOT_CA_CONFIGMAP, namespace: key, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
          data: { [DATA_KEY]: this.options.caCert },
        });
        this.options.logger.debug({ namespace: key }, 'root CA config map created');
        return;
      }
      const data = current.data ?? {};
      if (data[DATA_KEY] === this.options.caCert && Object.keys(data).length === 1 && current.metadata?.annotations?.[DESCRIPTION_ANNOTATION] === DESCRIPTION) return;
      await configMaps.update(key, {
        ...current,
        metadata: { ...current.metadata, annotations: { ...current.metadata?.annotations, [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
        data: { [DATA_KEY]: this.options.caCert },
      });
      this.options.logger.info({ namespace: key }, 'root CA config map restored');
    } catch (error) {
      // The cache lagged behind someone's write: the next event for it brings us back.
      if (error instanceof AlreadyExistsError || error instanceof ConflictError || error instanceof NotFoundError) return;
      throw error;
    }
  }
}
