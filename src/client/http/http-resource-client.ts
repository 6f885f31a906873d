// ResourceClient over the Kubernetes REST API (kubectl-wire.md): JSON bodies, fieldManager
// `k8ts` unless given, the four patch content types, watch as a newline-delimited JSON stream.
import type { KubeObject } from '../../api/object.js';
import type {
  ClientDeleteOptions, ClientListOptions, ClientPatchType, ClientWatchEvent, ClientWatchOptions, ClientWriteOptions,
  ObjectList, ResourceClient, ResourceType, ClientPatchOptions } from '../resource-client.js';
import type { HttpTransport } from './http-transport.js';
import { queryString, resourcePath } from './resource-path.js';
import { readWatchStream } from './watch-stream-reader.js';

export const DEFAULT_FIELD_MANAGER = 'k8ts';

export const PATCH_CONTENT_TYPES: Readonly<Record<ClientPatchType, string>> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export class HttpResourceClient<T extends KubeObject = KubeObject> implements ResourceClient<T> {
  readonly type: ResourceType;
  private readonly transport: HttpTransport;
  private readonly fieldManager: string;

  constructor(options: { type: ResourceType; transport: HttpTransport; fieldManager?: string }) {
    this.type = options.type;
    this.transport = options.transport;
    this.fieldManager = options.fieldManager ?? DEFAULT_FIELD_MANAGER;
  }

  private writeQuery(options: ClientWriteOptions, extra: Record<string, string | boolean | undefined> = {}): string {
    return queryString({ fieldManager: options.fieldManager ?? this.fieldManager, dryRun: options.dryRun ? 'All' : undefined, ...extra });
  }

  async get(namespace: string | undefined, name: string): Promise<T> {
    return (await this.transport.request('GET', resourcePath(this.type, namespace, name))) as T;
  }

  async getScale(namespace: string | undefined, name: string): Promise<KubeObject> {
    return (await this.transport.request('GET', resourcePath(this.type, namespace, name, 'scale'))) as KubeObject;
  }

  async list(namespace: string | undefined, options: ClientListOptions = {}): Promise<ObjectList<T>> {
    const query = queryString({
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
      limit: options.limit,
      continue: options.continue,
      resourceVersion: options.resourceVersion,
    });
    const path = resourcePath(this.type, namespace) + query;
    return (await this.transport.request('GET', path, options.resourceVersion ? { resourceVersion: options.resourceVersion } : {})) as ObjectList<T>;
  }

  async create(namespace: string | undefined, object: T, options: ClientWriteOptions = {}): Promise<T> {
    const ns = namespace ?? object.metadata?.namespace;
    const path = resourcePath(this.type, ns) + this.writeQuery(options);
    return (await this.transport.request('POST', path, { body: object })) as T;
  }

  private async put(namespace: string | undefined, object: T, subresource: string | undefined, options: ClientWriteOptions): Promise<T> {
    const ns = namespace ?? object.metadata?.namespace;
    const path = resourcePath(this.type, ns, object.metadata?.name ?? '', subresource) + this.writeQuery(options);
    return (await this.transport.request('PUT', path, { body: object })) as T;
  }

  update(namespace: string | undefined, object: T, options: ClientWriteOptions = {}): Promise<T> {
    return this.put(namespace, object, undefined, options);
  }

  updateStatus(namespace: string | undefined, object: T, options: ClientWriteOptions = {}): Promise<T> {
    return this.put(namespace, object, 'status', options);
  }

  async patch(
    namespace: string | undefined,
    name: string,
    type: ClientPatchType,
    patch: unknown,
    options: ClientPatchOptions = {},
  ): Promise<T> {
    const query = this.writeQuery(options, { force: type === 'apply' && options.force ? true : undefined });
    const path = resourcePath(this.type, namespace, name, options.subresource) + query;
    // Apply bodies are YAML, and JSON is YAML: sending JSON keeps one encoder.
    return (await this.transport.request('PATCH', path, { body: patch, contentType: PATCH_CONTENT_TYPES[type] })) as T;
  }

  async delete(namespace: string | undefined, name: string, options: ClientDeleteOptions = {}): Promise<T> {
    const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
    if (options.gracePeriodSeconds !== undefined) body['gracePeriodSeconds'] = options.gracePeriodSeconds;
    if (options.propagationPolicy !== undefined) body['propagationPolicy'] = options.propagationPolicy;
    if (options.preconditions !== undefined) body['preconditions'] = options.preconditions;
    return (await this.transport.request('DELETE', resourcePath(this.type, namespace, name), { body })) as T;
  }

  watch(namespace: string | undefined, options: ClientWatchOptions): AsyncIterable<ClientWatchEvent<T>> {
    const path =
      resourcePath(this.type, namespace) +
      queryString({
        watch: true,
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        resourceVersion: options.resourceVersion,
        allowWatchBookmarks: options.allowWatchBookmarks,
        timeoutSeconds: options.timeoutSeconds,
      });
    const transport = this.transport;
    return {
      async *[Symbol.asyncIterator]() {
        if (options.signal.aborted) return;
        let response;
        try {
          response = await transport.stream(path, { signal: options.signal, ...(options.resourceVersion ? { resourceVersion: options.resourceVersion } : {}) });
        } catch (error) {
          if (options.signal.aborted) return;
          throw error;
        }
        yield* readWatchStream<T>(response, options.signal, options.resourceVersion);
      },
    };
  }

  async createSubresource(namespace: string | undefined, name: string, subresource: string, body: KubeObject): Promise<KubeObject> {
    const path = resourcePath(this.type, namespace, name, subresource) + this.writeQuery({});
    return (await this.transport.request('POST', path, { body })) as KubeObject;
  }
}
