// REST verbs on resource URLs: collection (list, watch, create, deletecollection), item (get,
// update, patch, delete) and the status and scale subresources, mapped onto a ResourceRegistry.
import type { ServerResponse } from 'node:http';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../../lib/clock.js';
import { MethodNotSupportedError, NotAcceptableError } from '../registry/api-errors.js';
import type { ApiRegistryView, ResourceRegistry, WriteResult } from '../registry/registry-types.js';
import { decodeObjectBody, decodeOptionalJson, decodePatchBody } from './decode-body.js';
import { negotiateResponseShape, type ResponseShape } from './negotiate-media-type.js';
import { readBody } from './read-body.js';
import { PodLogProxy } from './pod-log-proxy.js';
import {
  asPartialObjectMetadata, asPartialObjectMetadataList, partialMetadataListOfObjectNotAcceptable, partialMetadataOfListNotAcceptable,
} from './render-partial-metadata.js';
import { parseIncludeObject, tableFromList, tableFromObject } from './render-table.js';
import { BINDING_SUCCESS, bindPod } from '../registry/binding-operation.js';
import { evictPod } from '../registry/eviction-operation.js';
import type { ServiceAccountTokens } from '../serviceaccount/service-account-tokens.js';
import { createTokenRequest } from '../serviceaccount/token-request.js';
import {
  isWatchRequest,
  parseDeleteOptions,
  parseListQuery,
  parsePatchOptions,
  parseWatchQuery,
  parseWriteOptions,
} from './request-options.js';
import { sendJson, sendWriteResult } from './respond.js';
import { resourceNotFound, type ResourceRequest } from './resource-request.js';
import { serveStatusOrScale } from './status-scale-handler.js';
import type { WatchRepresentation } from './watch-event-encoder.js';
import type { WatchStreams } from './watch-stream.js';

export { resourceNotFound, type RequestLabels, type ResourceRequest } from './resource-request.js';

export class ResourceHandler {
  readonly #registry: ApiRegistryView;
  readonly #watches: WatchStreams;
  readonly #clock: Clock;
  readonly #maxBodyBytes: number;
  readonly #podLogs: PodLogProxy;
  readonly #tokens: ServiceAccountTokens | undefined;

  constructor(options: {
    registry: ApiRegistryView; watches: WatchStreams; clock: Clock; maxBodyBytes: number; podLogs?: PodLogProxy;
    /** Issues serviceaccounts/token; absent: that subresource is not served. */
    tokens?: ServiceAccountTokens;
    /** The token sent to node agents for pods/log; absent: the caller's own. */
    agentToken?: string;
  }) {
    this.#registry = options.registry;
    this.#tokens = options.tokens;
    this.#watches = options.watches;
    this.#clock = options.clock;
    this.#maxBodyBytes = options.maxBodyBytes;
    this.#podLogs = options.podLogs ?? new PodLogProxy({
      getPod: async (namespace, name) => this.#core('pods').get(namespace, name) as Promise<Pod>,
      getNode: async (name) => this.#core('nodes').get(undefined, name) as Promise<Node>,
      ...(options.agentToken !== undefined ? { agentToken: options.agentToken } : {}),
    });
  }

  #core(resource: string): ResourceRegistry {
    const registry = this.#registry.lookup('', 'v1', resource);
    if (!registry) throw resourceNotFound();
    return registry;
  }

  /** Handles the request; resolves with the HTTP status sent. Throws errors for the caller's Status. */
  async handle(request: ResourceRequest): Promise<number> {
    const { path, labels } = request;
    const registry = this.#registry.lookup(path.group, path.version, path.resource);
    if (!registry) throw resourceNotFound();
    labels.resource = path.resource;
    const info = registry.strategy.info;
    // Cluster-scoped kinds have no namespaced URLs; namespaced items need their namespace.
    if (!info.namespaced && path.namespace !== undefined) throw resourceNotFound();
    if (info.namespaced && path.namespace === undefined && path.name !== undefined) throw resourceNotFound();
    const namespace = info.namespaced ? path.namespace : undefined;

    if (path.subresource === 'log' && path.group === '' && path.resource === 'pods' && namespace !== undefined && path.name !== undefined) {
      // pods/log is a proxy to the node's agent (pod-log-proxy.ts), not a stored subresource.
      if (request.req.method !== 'GET') throw new MethodNotSupportedError();
      labels.subresource = 'log';
      labels.verb = 'GET';
      return this.#podLogs.handle(request.req, request.res, namespace, path.name, request.url.searchParams);
    }
    if (path.subresource === 'binding' && path.group === '' && path.resource === 'pods' && namespace !== undefined && path.name !== undefined) {
      // pods/binding: the scheduler's assignment write (registry/binding-operation.ts).
      if (request.req.method !== 'POST') throw new MethodNotSupportedError();
      labels.subresource = 'binding';
      labels.verb = 'CREATE';
      const binding = decodeObjectBody(await this.#body(request), request.req.headers['content-type']);
      await bindPod(registry, namespace, path.name, binding, this.#clock.now());
      sendJson(request.res, 201, BINDING_SUCCESS);
      return 201;
    }
    if (path.subresource === 'eviction' && path.group === '' && path.resource === 'pods' && namespace !== undefined && path.name !== undefined) {
      // pods/eviction: a delete that honours PodDisruptionBudgets (registry/eviction-operation.ts).
      if (request.req.method !== 'POST') throw new MethodNotSupportedError();
      labels.subresource = 'eviction';
      labels.verb = 'CREATE';
      const eviction = decodeObjectBody(await this.#body(request), request.req.headers['content-type']);
      const options = parseDeleteOptions(request.url.searchParams, eviction['deleteOptions'] ?? undefined);
      const result = await evictPod({ registry: this.#registry, now: () => this.#clock.now() }, registry, namespace, path.name, eviction, options);
      sendJson(request.res, result.code, result.status);
      return result.code;
    }
    if (path.subresource === 'token' && path.group === '' && path.resource === 'serviceaccounts' && namespace !== undefined && path.name !== undefined && this.#tokens) {
      // serviceaccounts/token: a TokenRequest answered with a signed JWT, never stored.
      if (request.req.method !== 'POST') throw new MethodNotSupportedError();
      labels.subresource = 'token';
      labels.verb = 'CREATE';
      const body = decodeObjectBody(await this.#body(request), request.req.headers['content-type']);
      const context = { registry: this.#registry, tokens: this.#tokens, now: () => this.#clock.now() };
      sendJson(request.res, 201, await createTokenRequest(context, namespace, path.name, body));
      return 201;
    }
    if (path.subresource !== undefined) {
      return serveStatusOrScale({
        request, registry, namespace, name: path.name ?? '', subresource: path.subresource,
        body: () => this.#body(request), readShape: () => this.#readShape(request), now: () => this.#clock.now(),
      });
    }
    if (path.name === undefined) return this.#collection(request, registry, namespace);
    return this.#item(request, registry, namespace, path.name);
  }

  #readShape(request: ResourceRequest): ResponseShape {
    const shape = negotiateResponseShape(request.req.headers.accept);
    if (!shape) {
      throw new NotAcceptableError(
        'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf',
      );
    }
    return shape;
  }

  async #body(request: ResourceRequest): Promise<Buffer> {
    return readBody(request.req, this.#maxBodyBytes);
  }

  async #collection(request: ResourceRequest, registry: ResourceRegistry, namespace: string | undefined): Promise<number> {
    const { req, res, url, labels } = request;
    const params = url.searchParams;
    // `/api/v1/pods` (all namespaces) is read-only, as upstream registers it.
    const allNamespaces = registry.strategy.info.namespaced && namespace === undefined;
    switch (req.method) {
      case 'GET': {
        const shape = this.#readShape(request);
        if (isWatchRequest(params)) {
          labels.verb = 'WATCH';
          return this.#watch(request, registry, namespace, shape);
        }
        labels.verb = 'LIST';
        const list = await registry.list(namespace, parseListQuery(params));
        if (shape.as === 'table') {
          const table = tableFromList(list, registry.strategy, {
            version: shape.version,
            includeObject: parseIncludeObject(params),
            now: this.#clock.now(),
          });
          sendJson(res, 200, table);
        } else if (shape.as === 'metadata') {
          if (!shape.list) throw partialMetadataOfListNotAcceptable(list);
          sendJson(res, 200, asPartialObjectMetadataList(list, shape.version));
        } else {
          sendJson(res, 200, list);
        }
        return 200;
      }
      case 'POST': {
        labels.verb = 'CREATE';
        if (allNamespaces) throw new MethodNotSupportedError();
        const body = decodeObjectBody(await this.#body(request), req.headers['content-type']);
        return this.#sendWrite(res, await registry.create(namespace, body, parseWriteOptions(params, req.headers['user-agent'])));
      }
      case 'DELETE': {
        labels.verb = 'DELETECOLLECTION';
        if (allNamespaces) throw new MethodNotSupportedError();
        const options = parseDeleteOptions(params, decodeOptionalJson(await this.#body(request)));
        const list = await registry.deleteCollection(namespace, parseListQuery(params), options);
        sendJson(res, 200, list);
        return 200;
      }
      default:
        throw new MethodNotSupportedError();
    }
  }

  async #item(request: ResourceRequest, registry: ResourceRegistry, namespace: string | undefined, name: string): Promise<number> {
    const { req, res, url, labels } = request;
    const params = url.searchParams;
    switch (req.method) {
      case 'GET': {
        const shape = this.#readShape(request);
        if (isWatchRequest(params)) {
          // Deprecated single-object watch: a collection watch narrowed to the name.
          labels.verb = 'WATCH';
          return this.#watch(request, registry, namespace, shape, name);
        }
        labels.verb = 'GET';
        const object = await registry.get(namespace, name);
        if (shape.as === 'table') {
          sendJson(res, 200, tableFromObject(object, registry.strategy, {
            version: shape.version,
            includeObject: parseIncludeObject(params),
            now: this.#clock.now(),
          }));
        } else if (shape.as === 'metadata') {
          if (shape.list) throw partialMetadataListOfObjectNotAcceptable(object);
          sendJson(res, 200, asPartialObjectMetadata(object, shape.version));
        } else {
          sendJson(res, 200, object);
        }
        return 200;
      }
      case 'PUT': {
        labels.verb = 'UPDATE';
        const body = decodeObjectBody(await this.#body(request), req.headers['content-type']);
        return this.#sendWrite(res, await registry.update(namespace, name, body, parseWriteOptions(params, req.headers['user-agent'])));
      }
      case 'PATCH': {
        labels.verb = 'PATCH';
        const { type, patch } = decodePatchBody(await this.#body(request), req.headers['content-type']);
        if (type === 'apply') labels.verb = 'APPLY';
        return this.#sendWrite(res, await registry.patch(namespace, name, type, patch, parsePatchOptions(params, type === 'apply' ? undefined : req.headers['user-agent'])));
      }
      case 'DELETE': {
        labels.verb = 'DELETE';
        const options = parseDeleteOptions(params, decodeOptionalJson(await this.#body(request)));
        const result = await registry.delete(namespace, name, options);
        const code = result.finished ? 200 : 202;
        sendJson(res, code, result.object);
        return code;
      }
      default:
        throw new MethodNotSupportedError();
    }
  }

  #sendWrite(res: ServerResponse, result: WriteResult): number {
    return sendWriteResult(res, result);
  }

  async #watch(
    request: ResourceRequest,
    registry: ResourceRegistry,
    namespace: string | undefined,
    shape: ResponseShape,
    name?: string,
  ): Promise<number> {
    const { query, timeoutSeconds } = parseWatchQuery(request.url.searchParams, name);
    return this.#watches.serve({
      req: request.req,
      res: request.res,
      registry,
      namespace,
      query,
      ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
      representation: watchRepresentation(shape, request.url.searchParams),
    });
  }
}

/**
 * A metadata watch sends PartialObjectMetadata events whether PartialObjectMetadata or ...List was
 * asked for (client-go's metadata watch asks for the former; upstream's handler, given the list
 * form, fails to convert each event and falls back to the full object, which helps nobody).
 */
function watchRepresentation(shape: ResponseShape, params: URLSearchParams): WatchRepresentation {
  switch (shape.as) {
    case 'table':
      return { as: 'table', version: shape.version, includeObject: parseIncludeObject(params) };
    case 'metadata':
      return { as: 'metadata', version: shape.version };
    case 'object':
      return { as: 'object' };
  }
}
