// authentication.k8s.io/v1 TokenReview: "who is this bearer token?", asked by in-cluster
// components that take tokens themselves (controller-runtime's metrics filter, kube-rbac-proxy,
// Vault's Kubernetes auth). As upstream's tokenreview REST: the token is authenticated as if it
// came with a request, for the review's audiences (default: the API's); the answer is the posted
// review with its status, never stored. A ServiceAccount token may be reviewed for an audience of
// its own (`kubectl create token --audience vault`); other tokens (the admin token) are only good
// for the API's audiences.
import type { IncomingHttpHeaders } from 'node:http';
import type { KubeObject } from '../../api/object.js';
import { BadRequestError } from '../../lib/errors.js';
import type { Authenticator, UserInfo } from '../auth/authenticator.js';
import type { TokenReviewOutcome } from '../serviceaccount/service-account-authenticator.js';

/** What reviews a ServiceAccount token (ServiceAccountAuthenticator); undefined: not one of ours. */
export interface ServiceAccountTokenReviewer {
  review(token: string, audiences: readonly string[]): Promise<TokenReviewOutcome | undefined>;
}

export interface TokenReviewerOptions {
  /** The server's authenticator, for tokens that are not ServiceAccount tokens. */
  readonly authenticator: Authenticator;
  readonly serviceAccounts?: ServiceAccountTokenReviewer;
  /** The API server's own audiences (a review without audiences asks for these). */
  readonly apiAudiences: readonly string[];
}

interface ReviewSpec {
  readonly token?: unknown;
  readonly audiences?: unknown;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Upstream's authentication/v1 UserInfo (username, uid, groups, extra). */
function userInfo(user: UserInfo): Record<string, unknown> {
  return {
    username: user.name,
    ...(user.uid !== undefined ? { uid: user.uid } : {}),
    groups: [...user.groups],
    ...(user.extra !== undefined ? { extra: user.extra } : {}),
  };
}

export class TokenReviewer {
  readonly #options: TokenReviewerOptions;

  constructor(options: TokenReviewerOptions) {
    this.#options = options;
  }

  async review(review: KubeObject): Promise<KubeObject> {
    const spec = (review['spec'] ?? {}) as ReviewSpec;
    const token = typeof spec.token === 'string' ? spec.token : '';
    if (token === '') throw new BadRequestError('token is required for TokenReview in authentication');
    const asked = stringList(spec.audiences);
    const audiences = asked.length > 0 ? asked : [...this.#options.apiAudiences];
    const status = await this.#status(token, audiences);
    // Go omits a false `authenticated` and keeps an empty `user` struct: so do we.
    return { ...review, metadata: review.metadata ?? {}, status };
  }

  async #status(token: string, audiences: readonly string[]): Promise<Record<string, unknown>> {
    const ours = await this.#options.serviceAccounts?.review(token, audiences);
    if (ours !== undefined) {
      if ('refused' in ours) return { user: {}, error: `[invalid bearer token, ${ours.refused}]` };
      return { authenticated: true, user: userInfo(ours.user), audiences: [...ours.audiences] };
    }
    // Audience-agnostic credentials are good for the API's audiences only (upstream wraps them so).
    const forApi = audiences.filter((a) => this.#options.apiAudiences.includes(a));
    if (forApi.length === 0) return { user: {}, error: 'token audiences are invalid for the target audiences' };
    const headers: IncomingHttpHeaders = { authorization: `Bearer ${token}` };
    const user = await this.#options.authenticator.authenticate(headers);
    if (!user) return { user: {}, error: 'invalid bearer token' };
    return { authenticated: true, user: userInfo(user), audiences: forApi };
  }
}
