// ConfigMaps and Secrets for env and volumes, Services for the service env vars, and
// serviceaccounts/token for projected token volumes, through the client (never from storage).
import type { TokenRequest } from 'kubernetes-types/authentication/v1.js';
import type { ConfigMapObject, SecretObject } from './object-types.js';
import { CONFIGMAPS, SECRETS, SERVICEACCOUNTS, SERVICES } from '../client/resource-types.js';
import type { ClientSet } from '../client/resource-client.js';
import { NotFoundError } from '../lib/errors.js';
import type { ConfigSource } from './container-env.js';
import type { ServiceObject } from './service-env.js';

async function orUndefined<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

export function clientConfigSource(clients: ClientSet): ConfigSource {
  const configMaps = clients.resource<ConfigMapObject>(CONFIGMAPS);
  const secrets = clients.resource<SecretObject>(SECRETS);
  const services = clients.resource<ServiceObject>(SERVICES);
  const accounts = clients.resource(SERVICEACCOUNTS);
  return {
    configMap: (namespace, name) => orUndefined(configMaps.get(namespace, name)),
    secret: (namespace, name) => orUndefined(secrets.get(namespace, name)),
    // Read when a container starts (kubelet reads a Service informer; a list is enough here), and
    // only read (service-env.ts): readOnly spares the in-process client a copy of every Service.
    services: async (namespace) => (await services.list(namespace, { readOnly: true })).items,
    serviceAccountToken: async (namespace, name, spec) => {
      const body = { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: { name, namespace }, spec };
      const answer = await accounts.createSubresource(namespace, name, 'token', body);
      const status = (answer as Partial<TokenRequest>).status;
      if (typeof status?.token !== 'string' || status.token === '') throw new Error('the TokenRequest answer has no token');
      return { token: status.token, expirationTimestamp: status.expirationTimestamp };
    },
  };
}
