// The non-resource endpoints: /version, health (/healthz, /livez, /readyz), OpenAPI v3 (and an
// empty v2, see openapi-v2-stub.ts), /metrics.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiMetrics } from '../metrics/api-metrics.js';
import { OPENAPI_V2_PROTOBUF, openApiV2Json, openApiV2Protobuf, wantsOpenApiV2Protobuf } from '../openapi/openapi-v2-stub.js';
import { MethodNotSupportedError } from '../registry/api-errors.js';
import { resourceNotFound } from './resource-handler.js';
import { sendJson, sendText } from './respond.js';

/** What OpenApiDocuments provides (src/apiserver/openapi/openapi-documents.ts). */
export interface OpenApiSource {
  root(): object;
  /** `api/v1` or `apis/<group>/<version>`. */
  groupVersion(path: string): { readonly body: string; readonly hash: string } | undefined;
}

/** The Kubernetes version we speak; kubectl's dispatcher picks its 1.32 binary from `minor` (kubectl-wire §0). */
export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-k8ts',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-01-01T00:00:00Z',
  goVersion: `node${process.versions.node}`,
  compiler: 'tsc',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

const NON_RESOURCE_PATHS = /^\/(version\/?|healthz|livez|readyz|metrics|openapi\/v[23](\/.*)?)$/;

export function isNonResourcePath(pathname: string): boolean {
  return NON_RESOURCE_PATHS.test(pathname);
}

export class NonResourceHandler {
  readonly #openapi: OpenApiSource;
  readonly #metrics: ApiMetrics;
  readonly #readiness: () => Promise<void>;
  #shuttingDown = false;

  constructor(options: { openapi: OpenApiSource; metrics: ApiMetrics; readiness?: () => Promise<void> }) {
    this.#openapi = options.openapi;
    this.#metrics = options.metrics;
    this.#readiness = options.readiness ?? (() => Promise.resolve());
  }

  /** From now on /readyz fails, so load balancers stop sending traffic while we drain. */
  shuttingDown(): void {
    this.#shuttingDown = true;
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<number> {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new MethodNotSupportedError();
    const path = url.pathname;
    if (path === '/version' || path === '/version/') {
      sendJson(res, 200, SERVER_VERSION);
      return 200;
    }
    if (path === '/healthz' || path === '/livez') {
      sendText(res, 200, 'ok');
      return 200;
    }
    if (path === '/readyz') return this.#readyz(res);
    if (path === '/metrics') {
      sendText(res, 200, this.#metrics.render(), 'text/plain; version=0.0.4; charset=utf-8');
      return 200;
    }
    if (path === '/openapi/v3') {
      sendJson(res, 200, this.#openapi.root());
      return 200;
    }
    if (path.startsWith('/openapi/v3/')) {
      const document = this.#openapi.groupVersion(path.slice('/openapi/v3/'.length));
      if (!document) throw resourceNotFound();
      const hash = url.searchParams.get('hash');
      res.statusCode = 200;
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('ETag', `"${document.hash}"`);
      // A URL with the current hash never changes content; clients may cache it for good.
      res.setHeader('Cache-Control', hash === document.hash ? 'public, immutable, max-age=31536000' : 'no-cache, private');
      res.end(document.body);
      return 200;
    }
    if (path === '/openapi/v2') {
      const protobuf = wantsOpenApiV2Protobuf(req.headers.accept);
      res.statusCode = 200;
      res.setHeader('Content-Type', protobuf ? OPENAPI_V2_PROTOBUF : 'application/json');
      res.end(protobuf ? openApiV2Protobuf(SERVER_VERSION.gitVersion) : openApiV2Json(SERVER_VERSION.gitVersion));
      return 200;
    }
    throw resourceNotFound();
  }

  async #readyz(res: ServerResponse): Promise<number> {
    if (this.#shuttingDown) {
      sendText(res, 500, '[-]shutdown failed: the server is shutting down\nreadyz check failed');
      return 500;
    }
    try {
      await this.#readiness();
    } catch (error) {
      sendText(res, 500, `[-]store failed: ${(error as Error).message}\nreadyz check failed`);
      return 500;
    }
    sendText(res, 200, 'ok');
    return 200;
  }
}
