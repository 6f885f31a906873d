// The contract between the generic registry (REST semantics over a Store) and the HTTP layer.
// The HTTP layer parses requests into these shapes; the registry never sees HTTP.
import type { KubeObject } from '../../api/object.js';
import type { ResourceStrategy } from './strategy.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';
export type Subresource = 'status' | 'scale';

export interface ListQuery {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** 0/absent: no limit. */
  readonly limit?: number;
  readonly continue?: string;
  /** '' (or absent): most recent (consistent read); '0': any recent state; 'N': per resourceVersionMatch. */
  readonly resourceVersion?: string;
  readonly resourceVersionMatch?: 'NotOlderThan' | 'Exact';
}

export interface WatchQuery {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Absent or '0': start with synthetic ADDED events for the current state, then changes. */
  readonly resourceVersion?: string;
  readonly allowWatchBookmarks?: boolean;
  /** `sendInitialEvents=true` (watch-list): ADDED for current state, then a BOOKMARK annotated
   *  `k8s.io/initial-events-end: "true"`. */
  readonly sendInitialEvents?: boolean;
  readonly signal: AbortSignal;
}

export interface WriteOptions {
  readonly dryRun: boolean;
  readonly fieldManager?: string;
  readonly fieldValidation: FieldValidation;
}

export interface PatchOptions extends WriteOptions {
  /** Server-side apply only: take ownership of conflicting fields. */
  readonly force?: boolean;
}

export interface DeleteOptions {
  readonly dryRun: boolean;
  readonly gracePeriodSeconds?: number;
  readonly propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
}

export interface WriteResult {
  readonly object: KubeObject;
  /** True when the write created the object (HTTP 201). */
  readonly created: boolean;
  /** Sent to the client as `Warning: 299 - "..."` headers (fieldValidation=Warn, deprecations). */
  readonly warnings: readonly string[];
}

export interface DeleteResult {
  /** The object as deleted, or (graceful / finalizers pending) as it now stands with deletionTimestamp. */
  readonly object: KubeObject;
  /** False when the object still exists (finalizers or grace period pending): HTTP 202 instead of 200. */
  readonly finished: boolean;
}

export interface KubeList {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: KubeObject[];
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  readonly type: WatchEventType;
  /** The object (BOOKMARK: apiVersion/kind + metadata.resourceVersion only; ERROR: a Status). */
  readonly object: KubeObject;
}

/** The REST semantics of one resource (one ResourceStrategy) over the store. */
export interface ResourceRegistry {
  readonly strategy: ResourceStrategy;
  get(namespace: string | undefined, name: string): Promise<KubeObject>;
  list(namespace: string | undefined, query: ListQuery): Promise<KubeList>;
  create(namespace: string | undefined, body: KubeObject, options: WriteOptions): Promise<WriteResult>;
  /** PUT. subresource 'status' changes only status; main resource updates keep the old status. */
  update(namespace: string | undefined, name: string, body: KubeObject, options: WriteOptions & { subresource?: 'status' }): Promise<WriteResult>;
  /** `patch` is the parsed body (JSON value; for 'apply' the parsed YAML/JSON document). */
  patch(namespace: string | undefined, name: string, type: PatchType, patch: unknown, options: PatchOptions & { subresource?: 'status' }): Promise<WriteResult>;
  delete(namespace: string | undefined, name: string, options: DeleteOptions): Promise<DeleteResult>;
  deleteCollection(namespace: string | undefined, query: ListQuery, options: DeleteOptions): Promise<KubeList>;
  watch(namespace: string | undefined, query: WatchQuery): AsyncIterable<WatchEvent>;
  /** autoscaling/v1 Scale of a kind with a scale subresource. */
  getScale(namespace: string | undefined, name: string): Promise<KubeObject>;
  updateScale(namespace: string | undefined, name: string, scale: KubeObject, options: WriteOptions): Promise<WriteResult>;
  patchScale(namespace: string | undefined, name: string, type: PatchType, patch: unknown, options: PatchOptions): Promise<WriteResult>;
  /**
   * A server-internal compare-and-swap write that skips defaulting, validation and managedFields,
   * for changes update validation rightly refuses from clients (pods/binding setting
   * spec.nodeName, binding-operation.ts). `mutate` gets the stored object, possibly the watch
   * cache's frozen shared one: it returns a new object (copying what it changes) and may throw
   * to refuse. Trusted callers only; never reachable from a client body directly.
   */
  writeInternal?(namespace: string | undefined, name: string, mutate: (current: KubeObject) => KubeObject): Promise<KubeObject>;
}

/** Every served resource, by group/version/resource; what routing and discovery read. */
export interface ApiRegistryView {
  lookup(group: string, version: string, resource: string): ResourceRegistry | undefined;
  readonly resources: readonly ResourceRegistry[];
}
