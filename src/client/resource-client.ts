// ResourceClient: typed CRUD, patch, status, watch for one resource, over HTTPS or in-process
// (DESIGN.md, "The seams"). Controllers, the scheduler, agents and the CLI reach state only
// through this. Errors are the typed classes of src/lib/errors.ts (NotFoundError,
// AlreadyExistsError, ConflictError, CompactedError for 410, BadRequestError, UnavailableError)
// or ApiStatusError (src/client/api-status-error.ts) for every other Status, never raw HTTP.
import type { KubeObject } from '../api/object.js';

/** Identifies one served resource. */
export interface ResourceType {
  readonly group: string;
  readonly version: string;
  /** Plural: `pods`. */
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

export interface ClientListOptions {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly limit?: number;
  readonly continue?: string;
  readonly resourceVersion?: string;
  /** See ClientWatchOptions.readOnly. */
  readonly readOnly?: boolean;
}

export interface ClientWatchOptions {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Start after this resourceVersion (absent: current state as ADDED events first). */
  readonly resourceVersion?: string;
  readonly allowWatchBookmarks?: boolean;
  readonly timeoutSeconds?: number;
  /**
   * The caller never mutates what it receives (an informer deep-freezes everything it caches), so
   * a client may hand out objects it shares with others, deep-frozen, instead of private copies.
   * The in-process client then skips its copy per object; over HTTP every object is fresh anyway.
   */
  readonly readOnly?: boolean;
  readonly signal: AbortSignal;
}

export interface ClientWriteOptions {
  readonly fieldManager?: string;
  readonly dryRun?: boolean;
  /**
   * The caller never mutates the object the write returns (as ClientWatchOptions.readOnly): the
   * in-process client may return the server's object, possibly deep-frozen or shared, instead of a
   * private copy. Over HTTP the answer is fresh anyway.
   */
  readonly readOnly?: boolean;
}

export interface ClientDeleteOptions {
  readonly gracePeriodSeconds?: number;
  readonly propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
}

export type ClientPatchType = 'json' | 'merge' | 'strategic' | 'apply';

export type ClientPatchOptions = ClientWriteOptions & {
  /** Server-side apply only: take ownership of conflicting fields. */
  readonly force?: boolean;
  readonly subresource?: 'status' | 'scale';
};

export interface ObjectList<T extends KubeObject> {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly resourceVersion: string; readonly continue?: string };
  readonly items: T[];
}

export type ClientWatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface ClientWatchEvent<T extends KubeObject> {
  readonly type: ClientWatchEventType;
  /** BOOKMARK: only apiVersion/kind/metadata.resourceVersion. */
  readonly object: T;
}

export interface ResourceClient<T extends KubeObject = KubeObject> {
  readonly type: ResourceType;
  get(namespace: string | undefined, name: string): Promise<T>;
  list(namespace: string | undefined, options?: ClientListOptions): Promise<ObjectList<T>>;
  create(namespace: string | undefined, object: T, options?: ClientWriteOptions): Promise<T>;
  /** PUT with the object's metadata.resourceVersion as precondition (ConflictError when stale). */
  update(namespace: string | undefined, object: T, options?: ClientWriteOptions): Promise<T>;
  /** PUT .../status. */
  updateStatus(namespace: string | undefined, object: T, options?: ClientWriteOptions): Promise<T>;
  patch(
    namespace: string | undefined,
    name: string,
    type: ClientPatchType,
    patch: unknown,
    options?: ClientPatchOptions,
  ): Promise<T>;
  /** Returns the object as the server answered (deleted, or still present with deletionTimestamp). */
  delete(namespace: string | undefined, name: string, options?: ClientDeleteOptions): Promise<T>;
  /**
   * Events until the signal aborts, the server ends the stream (timeoutSeconds), or an error:
   * a 410 ERROR event is thrown as CompactedError so informers know to relist.
   */
  watch(namespace: string | undefined, options: ClientWatchOptions): AsyncIterable<ClientWatchEvent<T>>;
  /**
   * GET .../scale: the autoscaling/v1 Scale of a kind with a scale subresource (replicas wanted
   * and seen, and the label selector of its pods as a string), what an autoscaler reads.
   */
  getScale(namespace: string | undefined, name: string): Promise<KubeObject>;
  /** POST to a subresource such as pods/binding or pods/eviction. */
  createSubresource(namespace: string | undefined, name: string, subresource: string, body: KubeObject): Promise<KubeObject>;
}

/** Hands out ResourceClients; one per process, shared by all components. */
export interface ClientSet {
  resource<T extends KubeObject = KubeObject>(type: ResourceType): ResourceClient<T>;
}
