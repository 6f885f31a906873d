// Issues and checks ServiceAccount tokens (JWTs signed with DATA_DIR/pki/sa.key). The checks here
// are the ones that need no API objects: issuer, signature, time window, audience, claim shape, as
// upstream's JWTTokenAuthenticator does them; service-account-authenticator.ts adds the lookups.
import type { KeyObject } from 'node:crypto';
import type { Clock } from '../../lib/clock.js';
import { keyIdOf, peekJwtPayload, signJwt, verifyJwt } from './jwt.js';
import { parseClaims, type ServiceAccountClaims } from './service-account-claims.js';

/** kubeadm's default --service-account-issuer (and so the API audience); kind and k3s use it too. */
export const DEFAULT_SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

/** go-jose's DefaultLeeway: exp, nbf and iat are checked with one minute of clock skew allowed. */
export const TOKEN_LEEWAY_SECONDS = 60;

export interface ServiceAccountTokensOptions {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly clock: Clock;
  /** `iss` of every token (default DEFAULT_SERVICE_ACCOUNT_ISSUER). */
  readonly issuer?: string;
  /** The audiences the API server accepts, and the default of a TokenRequest (default [issuer]). */
  readonly apiAudiences?: readonly string[];
}

/** Why a token that claims to be ours was refused (for debug logs; the client only sees 401). */
export type TokenCheck = { readonly claims: ServiceAccountClaims } | { readonly refused: string };

export class ServiceAccountTokens {
  readonly issuer: string;
  readonly apiAudiences: readonly string[];
  readonly #privateKey: KeyObject;
  readonly #publicKey: KeyObject;
  readonly #keyId: string;
  readonly #clock: Clock;

  constructor(options: ServiceAccountTokensOptions) {
    this.issuer = options.issuer ?? DEFAULT_SERVICE_ACCOUNT_ISSUER;
    this.apiAudiences = options.apiAudiences ?? [this.issuer];
    this.#privateKey = options.privateKey;
    this.#publicKey = options.publicKey;
    this.#keyId = keyIdOf(options.publicKey);
    this.#clock = options.clock;
  }

  sign(claims: ServiceAccountClaims): Promise<string> {
    return signJwt({ ...claims }, this.#privateKey, this.#keyId);
  }

  /**
   * undefined: not a token of this issuer (another authenticator may know it). Otherwise the
   * verified claims, or why they were refused. `audiences`: those the token must name one of (a
   * TokenReview may ask for others than the API's).
   */
  check(token: string, audiences: readonly string[] = this.apiAudiences): TokenCheck | undefined {
    // Routing on the unverified issuer is safe: nothing is trusted until the signature checks.
    if (peekJwtPayload(token)?.['iss'] !== this.issuer) return undefined;
    const payload = verifyJwt(token, this.#publicKey);
    if (!payload) return { refused: 'invalid signature' };
    const claims = parseClaims(payload);
    if (!claims) return { refused: 'malformed claims' };
    const now = Math.floor(this.#clock.now().getTime() / 1000);
    if (now > claims.exp + TOKEN_LEEWAY_SECONDS) return { refused: 'token has expired' };
    if (claims.nbf > now + TOKEN_LEEWAY_SECONDS) return { refused: 'token is not valid yet' };
    if (claims.iat > now + TOKEN_LEEWAY_SECONDS) return { refused: 'token is issued in the future' };
    if (!claims.aud.some((audience) => audiences.includes(audience))) {
      return { refused: `token audiences ${JSON.stringify(claims.aud)} is invalid for the target audiences ${JSON.stringify(audiences)}` };
    }
    return { claims };
  }
}
