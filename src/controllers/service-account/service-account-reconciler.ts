// Every active namespace has a ServiceAccount named `default`, as upstream's serviceaccounts
// controller ensures: pods without spec.serviceAccountName run as it, and `kubectl create token
// default` needs it. The key is a namespace name. A namespace being deleted is left alone (the API
// refuses new content there); a `default` that is deleted is created again (its deletion enqueues
// its namespace), with a new uid, so tokens of the old one stop working.
import type { ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { Lister } from '../../client/informer/informer.js';
import type { ClientSet } from '../../client/resource-client.js';
import { SERVICEACCOUNTS } from '../../client/resource-types.js';
import { AlreadyExistsError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { NamespaceObject } from '../framework/kube-object-types.js';
import type { Reconciler } from '../framework/reconciler.js';

export type ServiceAccountObject = ServiceAccount & KubeObject;

/** The ServiceAccounts every namespace gets (upstream's --service-account-names default). */
export const MANAGED_SERVICE_ACCOUNTS: readonly string[] = ['default'];

export interface ServiceAccountReconcilerOptions {
  readonly clients: ClientSet;
  readonly namespaces: Lister<NamespaceObject>;
  readonly serviceAccounts: Lister<ServiceAccountObject>;
  readonly logger: Logger;
}

export class ServiceAccountReconciler implements Reconciler {
  readonly name = 'serviceaccount';
  private readonly options: ServiceAccountReconcilerOptions;

  constructor(options: ServiceAccountReconcilerOptions) {
    this.options = options;
  }

  async reconcile(key: string): Promise<void> {
    const namespace = this.options.namespaces.get(undefined, key);
    if (!namespace || namespace.metadata?.deletionTimestamp !== undefined || namespace.status?.phase === 'Terminating') return;
    for (const name of MANAGED_SERVICE_ACCOUNTS) {
      if (this.options.serviceAccounts.get(key, name)) continue;
      try {
        await this.options.clients.resource<ServiceAccountObject>(SERVICEACCOUNTS).create(key, {
          apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: key },
        });
        this.options.logger.info({ namespace: key, serviceAccount: name }, 'service account created');
      } catch (error) {
        // The cache lagged behind a create (ours or a user's): it exists, which is all we want.
        if (!(error instanceof AlreadyExistsError)) throw error;
      }
    }
  }
}
