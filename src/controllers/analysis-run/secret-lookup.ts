// `secretKeyRef` arguments of an AnalysisRun are read through the client (never storage), in the
// run's own namespace, as Argo does. A missing Secret or key is `undefined`: the engine turns it
// into the run's Error message `key 'k' does not exist in secret 's'`.
import type { Secret } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { ClientSet } from '../../client/resource-client.js';
import { SECRETS } from '../../client/resource-types.js';
import { NotFoundError } from '../../lib/errors.js';

type SecretObject = Secret & KubeObject;

export function secretLookup(clients: ClientSet, namespace: string): (name: string, key: string) => Promise<string | undefined> {
  return async (name, key) => {
    let secret: SecretObject;
    try {
      secret = await clients.resource<SecretObject>(SECRETS).get(namespace, name);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
    const encoded = secret.data?.[key];
    if (encoded !== undefined) return Buffer.from(encoded, 'base64').toString('utf8');
    return secret.stringData?.[key];
  };
}
