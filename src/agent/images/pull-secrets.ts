// The pull secrets of a pod, as kubelet's getPullSecretsForPod: every named secret that can be
// read; the names that cannot are reported (Event FailedToRetrieveImagePullSecret) and the pull
// goes on without them. A pod without imagePullSecrets gets its ServiceAccount's, which upstream's
// ServiceAccount admission plugin copies into the pod at creation (k8ts has no such plugin).
import type { ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { ClientSet } from '../../client/resource-client.js';
import { SECRETS, SERVICEACCOUNTS } from '../../client/resource-types.js';
import { NotFoundError } from '../../lib/errors.js';
import type { PodObject, SecretObject } from '../object-types.js';

export type ServiceAccountObject = ServiceAccount & KubeObject;

export interface PullSecretSource {
  secret(namespace: string, name: string): Promise<SecretObject | undefined>;
  /** Optional: without it, only the pod's own imagePullSecrets count. */
  serviceAccount?(namespace: string, name: string): Promise<ServiceAccountObject | undefined>;
}

export interface PodPullSecrets {
  readonly secrets: readonly SecretObject[];
  /** Names that could not be read, in the pod's order. */
  readonly missing: readonly string[];
}

async function orUndefined<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

export function clientPullSecretSource(clients: ClientSet): PullSecretSource {
  const secrets = clients.resource<SecretObject>(SECRETS);
  const accounts = clients.resource<ServiceAccountObject>(SERVICEACCOUNTS);
  return {
    secret: (namespace, name) => orUndefined(secrets.get(namespace, name)),
    serviceAccount: (namespace, name) => orUndefined(accounts.get(namespace, name)),
  };
}

async function secretNames(pod: PodObject, source: PullSecretSource, namespace: string): Promise<string[]> {
  const own = (pod.spec?.imagePullSecrets ?? []).map((ref) => ref.name ?? '').filter((name) => name !== '');
  if (own.length > 0 || !source.serviceAccount) return own;
  let account: ServiceAccountObject | undefined;
  try {
    account = await source.serviceAccount(namespace, pod.spec?.serviceAccountName || 'default');
  } catch {
    // The ServiceAccount's secrets are a convenience; an unreadable account means none.
    return [];
  }
  return (account?.imagePullSecrets ?? []).map((ref) => ref.name ?? '').filter((name) => name !== '');
}

export async function podPullSecrets(pod: PodObject, source: PullSecretSource): Promise<PodPullSecrets> {
  const namespace = pod.metadata?.namespace ?? 'default';
  const secrets: SecretObject[] = [];
  const missing: string[] = [];
  for (const name of await secretNames(pod, source, namespace)) {
    let secret: SecretObject | undefined;
    try {
      secret = await source.secret(namespace, name);
    } catch {
      secret = undefined;
    }
    if (secret) secrets.push(secret);
    else missing.push(name);
  }
  return { secrets, missing };
}

/** kubelet's Event message for secrets it could not read. */
export function missingSecretsMessage(missing: readonly string[]): string {
  return `Unable to retrieve some image pull secrets (${missing.join(', ')}); attempting to pull the image may not succeed.`;
}
