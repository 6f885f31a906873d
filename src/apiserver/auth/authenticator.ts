// Who is calling. The HTTP layer asks the Authenticator for every request that is not public
// (see isPublicPath) and answers 401 when it gets no user back.
import type { IncomingHttpHeaders } from 'node:http';

export interface UserInfo {
  readonly name: string;
  readonly groups: readonly string[];
}

export interface Authenticator {
  /** The user the request's credentials identify, or undefined (missing or wrong credentials). */
  authenticate(headers: IncomingHttpHeaders): UserInfo | undefined;
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
