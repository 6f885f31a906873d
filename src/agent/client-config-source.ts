// ConfigMaps and Secrets for env and volumes, read through the client (never from storage).
import type { ConfigMapObject, SecretObject } from './object-types.js';
import { CONFIGMAPS, SECRETS } from '../client/resource-types.js';
import type { ClientSet } from '../client/resource-client.js';
import { NotFoundError } from '../lib/errors.js';
import type { ConfigSource } from './container-env.js';

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
  return {
    configMap: (namespace, name) => orUndefined(configMaps.get(namespace, name)),
    secret: (namespace, name) => orUndefined(secrets.get(namespace, name)),
  };
}
