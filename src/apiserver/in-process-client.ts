// InProcessClientSet: the ClientSet of components embedded in `k8ts server` (controller manager,
// scheduler, agent), calling the registry directly instead of going through HTTPS. It behaves like
// HttpClientSet: same typed errors (lib/errors classes, ApiStatusError for the rest), fieldManager
// `k8ts` unless given, objects copied out (the registry's watch cache shares frozen objects and
// callers may mutate what they get) unless the caller says it only reads them (readOnly). Objects
// going in are not copied here: create and PUT (createObject, putObject) take their own copy of the
// body before anything else, so a caller changing its object later never reaches the registry; a
// patch body is copied (patch engines may work on it). fieldValidation is 'Ignore', as for a client
// that does not ask for it.
import type { KubeObject } from '../api/object.js';
import { ApiStatusError, errorFromStatus } from '../client/api-status-error.js';
import type {
  ClientDeleteOptions, ClientListOptions, ClientPatchOptions, ClientPatchType, ClientSet, ClientWatchEvent, ClientWatchOptions, ClientWriteOptions,
  ObjectList, ResourceClient, ResourceType,
} from '../client/resource-client.js';
import type { Clock } from '../lib/clock.js';
import { systemClock } from '../lib/clock.js';
import { AlreadyExistsError, BadRequestError, CompactedError, ConflictError, NotFoundError, UnavailableError } from '../lib/errors.js';
import { cloneJson } from './patch/json-value.js';
import { BINDING_SUCCESS, bindPod } from './registry/binding-operation.js';
import { evictPod } from './registry/eviction-operation.js';
import { parseDeleteOptions } from './http/request-options.js';
import type { ServiceAccountTokens } from './serviceaccount/service-account-tokens.js';
import { createTokenRequest } from './serviceaccount/token-request.js';
import type { ApiRegistryView, ResourceRegistry, WriteOptions } from './registry/registry-types.js';
import { statusFromError } from './status.js';

const DEFAULT_FIELD_MANAGER = 'k8ts';

/** The error a client of the HTTP API would have seen for `error`. */
export function clientError(error: unknown): unknown {
  if (
    error instanceof NotFoundError || error instanceof AlreadyExistsError || error instanceof ConflictError ||
    error instanceof CompactedError || error instanceof BadRequestError || error instanceof UnavailableError ||
    error instanceof ApiStatusError
  ) {
    return error;
  }
  if (error instanceof Error && error.name === 'AbortError') return error;
  const converted = errorFromStatus(statusFromError(error).status);
  return Object.assign(converted, { cause: error });
}

/** Registry objects and callers' bodies are plain JSON: cloneJson copies them several times faster than structuredClone. */
function copy<T>(value: T): T {
  return cloneJson(value);
}

/** A write's answer: the registry's own object for a caller that only reads it, else a copy. */
function answer<T>(value: T, options: ClientWriteOptions | undefined): T {
  return options?.readOnly === true ? value : copy(value);
}

class InProcessResourceClient<T extends KubeObject> implements ResourceClient<T> {
  readonly type: ResourceType;
  readonly #view: ApiRegistryView;
  readonly #clock: Clock;

  readonly #fieldManager: string;
  readonly #tokens: ServiceAccountTokens | undefined;

  constructor(options: { type: ResourceType; view: ApiRegistryView; clock: Clock; fieldManager: string; tokens: ServiceAccountTokens | undefined }) {
    this.type = options.type;
    this.#view = options.view;
    this.#clock = options.clock;
    this.#fieldManager = options.fieldManager;
    this.#tokens = options.tokens;
  }

  /** Looked up per call: a resource that is not served fails its calls (404), not resource(). */
  get #registry(): ResourceRegistry {
    const { group, version, resource } = this.type;
    const registry = this.#view.lookup(group, version, resource);
    if (!registry) throw new NotFoundError('the server could not find the requested resource');
    return registry;
  }

  async #call<R>(operation: () => Promise<R>): Promise<R> {
    try {
      return await operation();
    } catch (error) {
      throw clientError(error);
    }
  }

  #writeOptions(options: ClientWriteOptions = {}): WriteOptions {
    return { dryRun: options.dryRun === true, fieldManager: options.fieldManager ?? this.#fieldManager, fieldValidation: 'Ignore' };
  }

  get(namespace: string | undefined, name: string): Promise<T> {
    return this.#call(async () => copy(await this.#registry.get(namespace, name)) as T);
  }

  getScale(namespace: string | undefined, name: string): Promise<KubeObject> {
    return this.#call(async () => copy(await this.#registry.getScale(namespace, name)));
  }

  list(namespace: string | undefined, options: ClientListOptions = {}): Promise<ObjectList<T>> {
    const { readOnly, ...query } = options;
    return this.#call(async () => {
      const list = await this.#registry.list(namespace, query);
      // A read-only caller may keep the items as they are (shared, frozen, or fresh from the store).
      return (readOnly === true ? { ...list, items: [...list.items] } : copy(list)) as unknown as ObjectList<T>;
    });
  }

  create(namespace: string | undefined, object: T, options?: ClientWriteOptions): Promise<T> {
    const ns = namespace ?? object.metadata?.namespace;
    return this.#call(async () => answer((await this.#registry.create(ns, object, this.#writeOptions(options))).object, options) as T);
  }

  update(namespace: string | undefined, object: T, options?: ClientWriteOptions): Promise<T> {
    const ns = namespace ?? object.metadata?.namespace;
    const name = object.metadata?.name ?? '';
    return this.#call(async () => answer((await this.#registry.update(ns, name, object, this.#writeOptions(options))).object, options) as T);
  }

  updateStatus(namespace: string | undefined, object: T, options?: ClientWriteOptions): Promise<T> {
    const ns = namespace ?? object.metadata?.namespace;
    const name = object.metadata?.name ?? '';
    return this.#call(async () =>
      answer((await this.#registry.update(ns, name, object, { ...this.#writeOptions(options), subresource: 'status' })).object, options) as T);
  }

  patch(
    namespace: string | undefined,
    name: string,
    type: ClientPatchType,
    patch: unknown,
    options: ClientPatchOptions = {},
  ): Promise<T> {
    const writeOptions = { ...this.#writeOptions(options), ...(options.force !== undefined ? { force: options.force } : {}) };
    return this.#call(async () => {
      const body = copy(patch);
      const result =
        options.subresource === 'scale'
          ? await this.#registry.patchScale(namespace, name, type, body, writeOptions)
          : await this.#registry.patch(namespace, name, type, body, {
              ...writeOptions,
              ...(options.subresource === 'status' ? { subresource: 'status' as const } : {}),
            });
      return answer(result.object, options) as T;
    });
  }

  delete(namespace: string | undefined, name: string, options: ClientDeleteOptions = {}): Promise<T> {
    return this.#call(async () => copy((await this.#registry.delete(namespace, name, { ...options, dryRun: false })).object) as T);
  }

  watch(namespace: string | undefined, options: ClientWatchOptions): AsyncIterable<ClientWatchEvent<T>> {
    const view = (): ResourceRegistry => this.#registry;
    const { signal } = options;
    return {
      async *[Symbol.asyncIterator]() {
        if (signal.aborted) return;
        let events;
        try {
          events = view().watch(namespace, {
            ...(options.labelSelector !== undefined ? { labelSelector: options.labelSelector } : {}),
            ...(options.fieldSelector !== undefined ? { fieldSelector: options.fieldSelector } : {}),
            ...(options.resourceVersion !== undefined ? { resourceVersion: options.resourceVersion } : {}),
            ...(options.allowWatchBookmarks !== undefined ? { allowWatchBookmarks: options.allowWatchBookmarks } : {}),
            signal,
          });
          for await (const event of events) {
            if (signal.aborted) return;
            if (event.type === 'ERROR') throw errorFromStatus(event.object, undefined, options.resourceVersion);
            // The watch cache's objects are deep-frozen and shared by every watcher: a read-only
            // caller (an informer) takes them as they are, anyone else gets a copy to mutate.
            yield { type: event.type, object: (options.readOnly === true ? event.object : copy(event.object)) as T };
          }
        } catch (error) {
          if (signal.aborted) return;
          throw clientError(error);
        }
      },
    };
  }

  createSubresource(namespace: string | undefined, name: string, subresource: string, body: KubeObject): Promise<KubeObject> {
    return this.#call(async () => {
      if (subresource === 'eviction' && namespace !== undefined) {
        const eviction = copy(body);
        const options = parseDeleteOptions(new URLSearchParams(), eviction['deleteOptions'] ?? undefined);
        const result = await evictPod({ registry: this.#view, now: () => this.#clock.now() }, this.#registry, namespace, name, eviction, options);
        // A refusal (429, 500) is an error to a client, as over HTTP.
        if (result.code >= 400) throw errorFromStatus(result.status);
        return copy(result.status);
      }
      if (subresource === 'token' && namespace !== undefined && this.type.group === '' && this.type.resource === 'serviceaccounts' && this.#tokens) {
        // serviceaccounts/token (the agent's projected token volumes): as over HTTP, never stored.
        return createTokenRequest({ registry: this.#view, tokens: this.#tokens, now: () => this.#clock.now() }, namespace, name, copy(body));
      }
      if (subresource !== 'binding') throw new NotFoundError('the server could not find the requested resource');
      await bindPod(this.#registry, namespace, name, copy(body), this.#clock.now());
      return copy(BINDING_SUCCESS);
    });
  }
}

export interface InProcessClientSetOptions {
  readonly registry: ApiRegistryView;
  /** Stamps PodScheduled on bindings (the registry stamps everything else with its own clock). */
  readonly clock?: Clock;
  /**
   * Who the writes are recorded as in managedFields when a call names no fieldManager (default
   * `k8ts`): `k8ts server` gives each component upstream's name (workloads-host.ts).
   */
  readonly fieldManager?: string;
  /** Issues serviceaccounts/token; absent: that subresource is 404, as on a server without it. */
  readonly tokens?: ServiceAccountTokens;
}

export class InProcessClientSet implements ClientSet {
  readonly #registry: ApiRegistryView;
  readonly #clock: Clock;
  readonly #fieldManager: string;
  readonly #tokens: ServiceAccountTokens | undefined;
  readonly #clients = new Map<string, InProcessResourceClient<KubeObject>>();

  constructor(options: InProcessClientSetOptions) {
    this.#registry = options.registry;
    this.#clock = options.clock ?? systemClock;
    this.#fieldManager = options.fieldManager ?? DEFAULT_FIELD_MANAGER;
    this.#tokens = options.tokens;
  }

  resource<T extends KubeObject = KubeObject>(type: ResourceType): ResourceClient<T> {
    const key = `${type.group}/${type.version}/${type.resource}`;
    let client = this.#clients.get(key);
    if (!client) {
      client = new InProcessResourceClient({ type, view: this.#registry, clock: this.#clock, fieldManager: this.#fieldManager, tokens: this.#tokens });
      this.#clients.set(key, client);
    }
    return client as unknown as ResourceClient<T>;
  }
}
