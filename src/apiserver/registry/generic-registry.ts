// GenericRegistry: upstream's REST semantics for one kind over the Store. The operations live in
// one file each (create-, put-, patch-, delete-, list-, scale-operation.ts, watch-cache.ts); this
// class wires them to a ResourceStrategy and implements the ResourceRegistry contract.
import { apiVersionOf, type KubeObject } from '../../api/object.js';
import type { Store } from '../../storage/store.js';
import { createObject } from './create-operation.js';
import { deleteObject } from './delete-operation.js';
import { listObjects, parseResourceVersion } from './list-operation.js';
import { compileFilter } from './object-filter.js';
import { patchObject } from './patch-operation.js';
import { putObject } from './put-operation.js';
import { writeInternal } from './internal-write.js';
import { notFound, readExisting, readObjectForUpdate, type Clock, type NamespaceState, type RegistryContext, type UnknownFieldDetector } from './registry-context.js';
import type {
  DeleteOptions, DeleteResult, KubeList, ListQuery, PatchOptions, PatchType, ResourceRegistry, WatchEvent, WatchQuery,
  WriteOptions, WriteResult,
} from './registry-types.js';
import { ResourceKeys } from './resource-keys.js';
import { getScale, patchScale, updateScale } from './scale-operation.js';
import type { ResourceStrategy } from './strategy.js';
import { WatchCache, type WatchStart } from './watch-cache.js';
import type { WriteHooks } from './write-hooks.js';

export interface GenericRegistryOptions {
  readonly store: Store;
  readonly strategy: ResourceStrategy;
  readonly clock: Clock;
  /** Unknown-field detection for fieldValidation (src/apiserver/openapi/field-validation.ts). */
  readonly fieldValidator?: UnknownFieldDetector;
  /**
   * Whether a namespaced create may go ahead (NamespaceLifecycle admission): 'NotFound' -> 404
   * `namespaces "x" not found`, 'Terminating' -> 403. Absent: every namespace is accepted.
   */
  readonly namespaceState?: (name: string) => Promise<NamespaceState>;
  /**
   * Upstream's AllowUnconditionalUpdate is true for every built-in kind (a PUT without
   * resourceVersion overwrites); set this for kinds that must name it (as CRDs do) to get
   * `metadata.resourceVersion: Invalid value: 0x0: must be specified for an update`.
   */
  readonly requireResourceVersionOnUpdate?: boolean;
  readonly bookmarkIntervalMs?: number;
  /** Events the watch cache keeps for resuming (default 1024). */
  readonly watchCacheCapacity?: number;
  /** Events one watcher may fall behind before it is closed (default 1000). */
  readonly watcherQueueLimit?: number;
  /** REST-layer hooks around writes (write-hooks.ts), e.g. Service IP/port allocation. */
  readonly writeHooks?: WriteHooks;
}

export class GenericRegistry implements ResourceRegistry {
  readonly strategy: ResourceStrategy;
  readonly #ctx: RegistryContext;
  readonly #cache: WatchCache;

  constructor(options: GenericRegistryOptions) {
    const { info } = options.strategy;
    this.strategy = options.strategy;
    const keys = new ResourceKeys({ info, storedAs: options.strategy.storage });
    this.#ctx = {
      store: options.store,
      strategy: options.strategy,
      clock: options.clock,
      keys,
      fieldValidator: options.fieldValidator,
      namespaceState: options.namespaceState,
      requireResourceVersionOnUpdate: options.requireResourceVersionOnUpdate ?? false,
      resource: { group: info.group, resource: info.resource },
      kind: { group: info.group, kind: info.kind },
      gvk: { group: info.group, version: info.version, kind: info.kind },
      ...(options.writeHooks ? { writeHooks: options.writeHooks } : {}),
      cachedObject: (key, revision) => this.#cache.objectAt(key, revision),
    };
    this.#cache = new WatchCache({
      store: options.store, info, storage: options.strategy.storage, prefix: keys.resourcePrefix,
      ...(options.bookmarkIntervalMs === undefined ? {} : { bookmarkIntervalMs: options.bookmarkIntervalMs }),
      ...(options.watchCacheCapacity === undefined ? {} : { capacity: options.watchCacheCapacity }),
      ...(options.watcherQueueLimit === undefined ? {} : { watcherQueueLimit: options.watcherQueueLimit }),
    });
  }

  /** `apps/v1` */
  get apiVersion(): string {
    return apiVersionOf(this.strategy.info.group, this.strategy.info.version);
  }

  async get(namespace: string | undefined, name: string): Promise<KubeObject> {
    return (await readExisting(this.#ctx, namespace, name)).object;
  }

  /**
   * `get` for a server-internal reader that never changes the object (the namespace check on
   * every create): the watch cache's frozen, shared decoding when it holds the stored revision.
   */
  async getShared(namespace: string | undefined, name: string): Promise<KubeObject> {
    const found = await readObjectForUpdate(this.#ctx, namespace, name);
    if (found === undefined) throw notFound(this.#ctx, name);
    return found.object;
  }

  async list(namespace: string | undefined, query: ListQuery): Promise<KubeList> {
    const filter = compileFilter(this.strategy, query.labelSelector, query.fieldSelector);
    // Starting the watch cache before the first list makes the list's resourceVersion fall inside
    // the cache's window, so the usual list-then-watch is served by the cache, not the store.
    await this.#cache.ensureStarted().catch(() => undefined);
    return listObjects(this.#ctx, namespace, query, filter);
  }

  create(namespace: string | undefined, body: KubeObject, options: WriteOptions): Promise<WriteResult> {
    return createObject(this.#ctx, { namespace, body, options });
  }

  update(namespace: string | undefined, name: string, body: KubeObject, options: WriteOptions & { subresource?: 'status' }): Promise<WriteResult> {
    return putObject(this.#ctx, namespace, name, body, options);
  }

  patch(namespace: string | undefined, name: string, type: PatchType, patch: unknown, options: PatchOptions & { subresource?: 'status' }): Promise<WriteResult> {
    return patchObject(this.#ctx, namespace, name, type, patch, options);
  }

  async delete(namespace: string | undefined, name: string, options: DeleteOptions): Promise<DeleteResult> {
    this.#ctx.writeHooks?.beginDelete?.(name);
    return deleteObject(this.#ctx, namespace, name, options);
  }

  async deleteCollection(namespace: string | undefined, query: ListQuery, options: DeleteOptions): Promise<KubeList> {
    const list = await this.list(namespace, query);
    const deleted: KubeObject[] = [];
    for (const item of list.items) {
      const meta = item.metadata ?? {};
      try {
        // Straight to the store's delete, past beginDelete, as upstream's collection delete goes.
        const result = await deleteObject(this.#ctx, meta.namespace, meta.name ?? '', options);
        deleted.push(result.object);
      } catch (error) {
        // Gone meanwhile (someone else deleted it): not an error for a collection delete.
        if (!(error instanceof Error && 'code' in error && error.code === 'NotFound')) throw error;
      }
    }
    return { ...list, metadata: { resourceVersion: list.metadata.resourceVersion }, items: deleted };
  }

  /**
   * Validation (selectors, resourceVersion) happens here, synchronously, so the HTTP layer can
   * answer 400 before it starts a stream; the returned iterable starts the watch on first next().
   */
  watch(namespace: string | undefined, query: WatchQuery): AsyncIterable<WatchEvent> {
    const filter = compileFilter(this.strategy, query.labelSelector, query.fieldSelector);
    const rv = query.resourceVersion ?? '';
    let start: WatchStart;
    if (query.sendInitialEvents === true) {
      start = rv === '0' ? { kind: 'cached-state' } : { kind: 'consistent-state' };
      if (rv !== '' && rv !== '0') parseResourceVersion(rv);
    } else if (rv === '') {
      start = query.sendInitialEvents === false ? { kind: 'now' } : { kind: 'consistent-state' };
    } else if (rv === '0') {
      start = query.sendInitialEvents === false ? { kind: 'now' } : { kind: 'cached-state' };
    } else {
      start = { kind: 'resume', afterRevision: parseResourceVersion(rv) };
    }
    return this.#cache.watch({
      keyPrefix: this.#ctx.keys.listPrefix(namespace),
      filter,
      start,
      allowBookmarks: query.allowWatchBookmarks === true,
      initialEventsEnd: query.sendInitialEvents === true,
      signal: query.signal,
    });
  }

  getScale(namespace: string | undefined, name: string): Promise<KubeObject> {
    return getScale(this.#ctx, namespace, name);
  }

  updateScale(namespace: string | undefined, name: string, scale: KubeObject, options: WriteOptions): Promise<WriteResult> {
    return updateScale(this.#ctx, namespace, name, scale, options);
  }

  patchScale(namespace: string | undefined, name: string, type: PatchType, patch: unknown, options: PatchOptions): Promise<WriteResult> {
    return patchScale(this.#ctx, namespace, name, type, patch, options);
  }

  writeInternal(namespace: string | undefined, name: string, mutate: (current: KubeObject) => KubeObject): Promise<KubeObject> {
    return writeInternal(this.#ctx, namespace, name, mutate);
  }

  /** Stops the watch cache (its store watch and every open watcher). */
  close(): void {
    this.#cache.close();
  }
}
