// Who is calling. The HTTP layer asks the Authenticator for every request that is not public
// (see isPublicPath) and answers 401 when it gets no user back.
import type { IncomingHttpHeaders } from 'node:http';

export interface UserInfo {
  readonly name: string;
  readonly groups: readonly string[];
  /** ServiceAccount users: the ServiceAccount's uid. */
  readonly uid?: string;
  /** Upstream's user.Info extra (ServiceAccount tokens: the bound pod/node, the credential id). */
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

export interface Authenticator {
  /**
   * The user the request's credentials identify, or undefined (missing or wrong credentials).
   * Async: a ServiceAccount token is only valid while its ServiceAccount (and bound object) exist.
   */
  authenticate(headers: IncomingHttpHeaders): Promise<UserInfo | undefined>;
}

/** The token of `Authorization: Bearer <token>`, or undefined. */
export function bearerTokenOf(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] || undefined;
}

/**
 * Paths anyone may read, like upstream's `system:public-info-viewer` ClusterRole: version and
 * health only. Discovery, OpenAPI and /metrics need credentials.
 */
export function isPublicPath(pathname: string): boolean {
  return (
    pathname === '/version' ||
    pathname === '/version/' ||
    /^\/(healthz|livez|readyz)(\/.*)?$/.test(pathname)
  );
}
