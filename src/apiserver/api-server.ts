// The HTTP(S) API server: authentication, routing to discovery / non-resource endpoints / the
// resource handler, metrics and error Status for every request. Returns a node server that the
// composition root listens with, and close() which stops it and ends open watches.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import type { Endpoints, Node, Pod, Service } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { isPublicPath, type Authenticator } from './auth/authenticator.js';
import { DiscoveryDocuments } from './discovery/discovery-documents.js';
import { handleDiscovery } from './discovery/discovery-handler.js';
import { isNonResourcePath, NonResourceHandler, type OpenApiSource } from './http/non-resource-handler.js';
import { parseApiPath } from './http/parse-api-path.js';
import { PodStreamProxy } from './http/pod-stream-proxy.js';
import { forwardProxyRequest, proxyTarget, type ProxyLookups } from './http/proxy-subresource.js';
import { DEFAULT_MAX_BODY_BYTES } from './http/read-body.js';
import { ResourceHandler, resourceNotFound, type RequestLabels } from './http/resource-handler.js';
import { sendError } from './http/respond.js';
import { WatchEventEncoder } from './http/watch-event-encoder.js';
import { WatchStreams } from './http/watch-stream.js';
import type { ApiMetrics, RequestVerb } from './metrics/api-metrics.js';
import type { TokenReviewer } from './access-review/token-review.js';
import { AccessReviewHandler } from './access-review/access-review-handler.js';
import { AUTHENTICATION_API_GROUP, AUTHORIZATION_API_GROUP } from './access-review/access-review-groups.js';
import { METRICS_API_GROUP } from './metrics-api/metrics-api-group.js';
import { MetricsApiHandler } from './metrics-api/metrics-api-handler.js';
import { UnauthorizedError } from './registry/api-errors.js';
import type { ApiRegistryView, ResourceRegistry } from './registry/registry-types.js';
import type { ServiceAccountTokens } from './serviceaccount/service-account-tokens.js';

export interface ApiServerOptions {
  readonly registry: ApiRegistryView;
  readonly openapi: OpenApiSource;
  /** PEM key and certificate; absent: plain HTTP (tests). */
  readonly tls?: { readonly key: string; readonly cert: string };
  readonly authenticator: Authenticator;
  /** Issues serviceaccounts/token (`kubectl create token`); absent: that subresource is 404. */
  readonly serviceAccountTokens?: ServiceAccountTokens;
  /** Answers authentication.k8s.io TokenReviews; absent: tokenreviews is 404. */
  readonly tokenReviewer?: TokenReviewer;
  /**
   * The token sent to node agents (logs, exec/attach/port-forward, metrics), as upstream's API
   * server uses its own kubelet credential. Absent: the caller's bearer token is passed on, which
   * only works for callers using a token the agents know (not ServiceAccount tokens).
   */
  readonly agentToken?: string;
  readonly logger: Logger;
  readonly metrics: ApiMetrics;
  readonly clock: Clock;
  /** Largest request body accepted (413 above). Default 3 MiB like upstream. */
  readonly maxBodyBytes?: number;
  /** /readyz runs this (e.g. "the store answers"); a throw makes it 500. */
  readonly readiness?: () => Promise<void>;
  /** Time source for request durations (seconds = difference / 1000). */
  readonly monotonicNow?: () => number;
}

export interface ApiServer {
  readonly server: Server;
  /** Open watch streams right now. */
  readonly openWatches: number;
  /** Stops accepting connections, ends open watches, and resolves once every connection is gone. */
  close(): Promise<void>;
}

/** How long in-flight requests get to finish on close before their connections are cut. */
const CLOSE_GRACE_MS = 5000;

function verbOfMethod(method: string | undefined): RequestVerb {
  switch (method) {
    case 'POST':
    case 'PUT':
    case 'PATCH':
    case 'DELETE':
    case 'HEAD':
    case 'OPTIONS':
      return method;
    default:
      return 'GET';
  }
}

export function createApiServer(options: ApiServerOptions): ApiServer {
  const logger = options.logger.child({ component: 'apiserver' });
  const now = options.monotonicNow ?? (() => performance.now());
  const watches = new WatchStreams({ encoder: new WatchEventEncoder(), metrics: options.metrics, clock: options.clock, logger });
  const resources = new ResourceHandler({
    registry: options.registry,
    watches,
    clock: options.clock,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    ...(options.serviceAccountTokens ? { tokens: options.serviceAccountTokens } : {}),
    ...(options.agentToken !== undefined ? { agentToken: options.agentToken } : {}),
  });
  const discovery = new DiscoveryDocuments({ registry: options.registry, staticGroups: [AUTHENTICATION_API_GROUP, AUTHORIZATION_API_GROUP, METRICS_API_GROUP] });
  const reviews = new AccessReviewHandler({
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, ...(options.tokenReviewer ? { tokenReviewer: options.tokenReviewer } : {}),
  });
  const metricsApi = new MetricsApiHandler({
    registry: options.registry, clock: options.clock, logger, ...(options.agentToken !== undefined ? { agentToken: options.agentToken } : {}),
  });
  const nonResource = new NonResourceHandler({
    openapi: options.openapi,
    metrics: options.metrics,
    ...(options.readiness ? { readiness: options.readiness } : {}),
  });

  const proxyLookups: ProxyLookups = {
    getPod: async (namespace, name) => coreRegistry('pods').get(namespace, name) as Promise<Pod>,
    getService: async (namespace, name) => coreRegistry('services').get(namespace, name) as Promise<Service>,
    getEndpoints: async (namespace, name) => coreRegistry('endpoints').get(namespace, name) as Promise<Endpoints>,
  };

  async function route(req: IncomingMessage, res: ServerResponse, url: URL, labels: RequestLabels): Promise<number> {
    const user = isPublicPath(url.pathname) ? undefined : await options.authenticator.authenticate(req.headers);
    if (!isPublicPath(url.pathname) && !user) throw new UnauthorizedError();
    if (isNonResourcePath(url.pathname)) return nonResource.handle(req, res, url);
    // pods/proxy and services/proxy carry a path of their own after `proxy` (proxy-subresource.ts).
    const proxied = proxyTarget(url.pathname);
    if (proxied) {
      labels.resource = proxied.resource;
      labels.subresource = 'proxy';
      return forwardProxyRequest(req, res, url, proxied, proxyLookups);
    }
    const path = parseApiPath(url.pathname);
    if (!path) throw resourceNotFound();
    if (path.type !== 'resource') return handleDiscovery(discovery, req, res, path);
    // metrics.k8s.io is computed from the agents on request, not stored (metrics-api/).
    if (MetricsApiHandler.handles(path.group)) return metricsApi.handle({ req, res, url, path, labels });
    // `kubectl auth can-i` / `auth whoami`: answered from the caller, not stored (access-review/).
    if (AccessReviewHandler.handles(path.group) && user) return reviews.handle({ req, res, url, path, labels }, user);
    return resources.handle({ req, res, url, path, labels });
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = now();
    const labels: RequestLabels = { verb: verbOfMethod(req.method), resource: '', subresource: '' };
    let code: number;
    try {
      const url = new URL(req.url ?? '/', 'http://k8ts.invalid');
      code = await route(req, res, url, labels);
    } catch (error) {
      code = sendError(res, error);
      if (code >= 500) logger.error({ err: error, method: req.method, url: req.url }, 'request failed');
      // The body may not have been read (413, 401...): drop it rather than keep the socket busy.
      if (!req.complete) req.resume();
    }
    const seconds = (now() - started) / 1000;
    options.metrics.observeRequest(labels, code, labels.verb === 'WATCH' ? undefined : seconds);
    logger.debug({ method: req.method, url: req.url, verb: labels.verb, code, ms: Math.round(seconds * 1000) }, 'request');
  }

  const handler = (req: IncomingMessage, res: ServerResponse) => void onRequest(req, res);
  const server: Server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler) : createHttpServer(handler);
  // Watches are long-lived; node's default request timeout (5 min) would cut them.
  server.requestTimeout = 0;
  // kubectl exec / attach / port-forward: upgrades passed through to the pod's agent.
  const podStreams = new PodStreamProxy({
    authenticator: options.authenticator,
    getPod: async (namespace, name) => coreRegistry('pods').get(namespace, name) as Promise<Pod>,
    getNode: async (name) => coreRegistry('nodes').get(undefined, name) as Promise<Node>,
    logger,
    ...(options.agentToken !== undefined ? { agentToken: options.agentToken } : {}),
  });
  function coreRegistry(resource: string): ResourceRegistry {
    const registry = options.registry.lookup('', 'v1', resource);
    if (!registry) throw resourceNotFound();
    return registry;
  }
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => podStreams.handleUpgrade(req, socket, head));
  server.on('clientError', (error, socket) => {
    logger.debug({ err: error }, 'client connection error');
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });

  let closing: Promise<void> | undefined;
  return {
    server,
    get openWatches() {
      return watches.openCount;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        nonResource.shuttingDown();
        if (!server.listening) {
          watches.closeAll();
          resolve();
          return;
        }
        const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        force.unref();
        // Ended watches and finished requests leave keep-alive connections idle after this
        // point; keep closing those until the server is down.
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        sweep.unref();
        server.close(() => {
          clearTimeout(force);
          clearInterval(sweep);
          resolve();
        });
        watches.closeAll();
        podStreams.closeAll();
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
