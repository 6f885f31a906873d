// Authenticates ServiceAccount tokens. Beyond the token's own checks (service-account-tokens.ts)
// a token is only good while what it names still exists, as upstream's validator requires: the
// ServiceAccount with the uid in the token, and the Pod / Secret / Node it is bound to with theirs
// (deleting the pod a token was bound to revokes the token). Objects being deleted stay usable for
// the one-minute leeway, as upstream's do.
//
// The user is `system:serviceaccount:<ns>:<name>` in groups system:serviceaccounts and
// system:serviceaccounts:<ns>, with upstream's extra keys for a bound pod/node and the token id.
import type { IncomingHttpHeaders } from 'node:http';
import type { KubeObject } from '../../api/object.js';
import type { Clock } from '../../lib/clock.js';
import { K8tsError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { bearerTokenOf, type Authenticator, type UserInfo } from '../auth/authenticator.js';
import type { ApiRegistryView } from '../registry/registry-types.js';
import { serviceAccountUsername, type ClaimRef, type ServiceAccountClaims } from './service-account-claims.js';
import { TOKEN_LEEWAY_SECONDS, type ServiceAccountTokens } from './service-account-tokens.js';

export type LookupResource = 'serviceaccounts' | 'pods' | 'secrets' | 'nodes';

/** The object, or undefined when it does not exist. Other failures throw. */
export type ObjectLookup = (resource: LookupResource, namespace: string | undefined, name: string) => Promise<KubeObject | undefined>;

/** Lookups through the registry (core/v1), NotFound as undefined. */
export function registryLookup(registry: ApiRegistryView): ObjectLookup {
  return async (resource, namespace, name) => {
    const served = registry.lookup('', 'v1', resource);
    if (!served) return undefined;
    try {
      return await served.get(resource === 'nodes' ? undefined : namespace, name);
    } catch (error) {
      if (error instanceof K8tsError && error.code === 'NotFound') return undefined;
      throw error;
    }
  };
}

export const EXTRA_POD_NAME = 'authentication.kubernetes.io/pod-name';
export const EXTRA_POD_UID = 'authentication.kubernetes.io/pod-uid';
export const EXTRA_NODE_NAME = 'authentication.kubernetes.io/node-name';
export const EXTRA_NODE_UID = 'authentication.kubernetes.io/node-uid';
export const EXTRA_CREDENTIAL_ID = 'authentication.kubernetes.io/credential-id';

/** Upstream's ServiceAccountInfo.UserInfo(). */
export function serviceAccountUser(claims: ServiceAccountClaims): UserInfo {
  const k = claims['kubernetes.io'];
  const extra: Record<string, string[]> = {};
  if (k.pod) {
    extra[EXTRA_POD_NAME] = [k.pod.name];
    extra[EXTRA_POD_UID] = [k.pod.uid ?? ''];
  }
  if (k.node) {
    extra[EXTRA_NODE_NAME] = [k.node.name];
    if (k.node.uid) extra[EXTRA_NODE_UID] = [k.node.uid];
  }
  if (claims.jti !== '') extra[EXTRA_CREDENTIAL_ID] = [`JTI=${claims.jti}`];
  return {
    name: serviceAccountUsername(k.namespace, k.serviceaccount.name),
    ...(k.serviceaccount.uid ? { uid: k.serviceaccount.uid } : {}),
    groups: ['system:serviceaccounts', `system:serviceaccounts:${k.namespace}`],
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
}

/** A ServiceAccount token's review: who it is and for which of the asked audiences, or why not. */
export type TokenReviewOutcome = { readonly user: UserInfo; readonly audiences: readonly string[] } | { readonly refused: string };

export interface ServiceAccountAuthenticatorOptions {
  readonly tokens: ServiceAccountTokens;
  readonly lookup: ObjectLookup;
  readonly clock: Clock;
  readonly logger: Logger;
}

export class ServiceAccountAuthenticator implements Authenticator {
  readonly #options: ServiceAccountAuthenticatorOptions;

  constructor(options: ServiceAccountAuthenticatorOptions) {
    this.#options = options;
  }

  async authenticate(headers: IncomingHttpHeaders): Promise<UserInfo | undefined> {
    const token = bearerTokenOf(headers);
    if (token === undefined) return undefined;
    const reviewed = await this.review(token, this.#options.tokens.apiAudiences);
    if (reviewed === undefined || 'refused' in reviewed) {
      // Never log the token itself; the reason is enough to find the caller.
      if (reviewed !== undefined) this.#options.logger.debug({ reason: reviewed.refused }, 'service account token refused');
      return undefined;
    }
    return reviewed.user;
  }

  /**
   * A token checked for `audiences` (a TokenReview's, or the API's): undefined when it is not a
   * token of ours; else the user and the audiences it is good for, or why it was refused.
   */
  async review(token: string, audiences: readonly string[]): Promise<TokenReviewOutcome | undefined> {
    const checked = this.#options.tokens.check(token, audiences);
    if (checked === undefined) return undefined;
    if ('refused' in checked) return checked;
    let refused: string | undefined;
    try {
      refused = await this.#stillValid(checked.claims);
    } catch (error) {
      // The store failed: upstream answers 401 when a token cannot be validated.
      this.#options.logger.warn({ err: error }, 'cannot validate a service account token');
      return { refused: 'the token could not be validated' };
    }
    if (refused !== undefined) return { refused };
    return { user: serviceAccountUser(checked.claims), audiences: checked.claims.aud.filter((a) => audiences.includes(a)) };
  }

  /** undefined when the named objects still exist with the token's uids; else why not. */
  async #stillValid(claims: ServiceAccountClaims): Promise<string | undefined> {
    const k = claims['kubernetes.io'];
    const account = await this.#check('serviceaccounts', k.namespace, k.serviceaccount);
    if (account !== undefined) return account;
    if (k.secret) {
      const secret = await this.#check('secrets', k.namespace, k.secret);
      if (secret !== undefined) return secret;
    }
    if (k.pod) {
      const pod = await this.#check('pods', k.namespace, k.pod);
      if (pod !== undefined) return pod;
    } else if (k.node) {
      // A node alone is a Node binding; with a pod it is only information about where it ran.
      const node = await this.#check('nodes', undefined, k.node);
      if (node !== undefined) return node;
    }
    return undefined;
  }

  async #check(resource: LookupResource, namespace: string | undefined, ref: ClaimRef): Promise<string | undefined> {
    const object = await this.#options.lookup(resource, namespace, ref.name);
    if (!object) return `${resource} ${ref.name} no longer exists`;
    if ((object.metadata?.uid ?? '') !== (ref.uid ?? '')) return `${resource} ${ref.name} has another uid than the token's`;
    const deletion = object.metadata?.deletionTimestamp;
    if (deletion !== undefined && Date.parse(deletion) < this.#options.clock.now().getTime() - TOKEN_LEEWAY_SECONDS * 1000) {
      return `${resource} ${ref.name} is being deleted`;
    }
    return undefined;
  }
}
