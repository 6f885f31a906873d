// Informer / Lister: a list+watch cache of one resource with event handlers and read-only indexed
// lookups (DESIGN.md, "The seams"). Cached objects are shared: never mutate them; copy first.
import type { KubeObject } from '../../api/object.js';
import type { ResourceType } from '../resource-client.js';

export interface Lister<T extends KubeObject> {
  /** `namespace` is undefined for cluster-scoped resources. */
  get(namespace: string | undefined, name: string): T | undefined;
  /** Every cached object, or those of one namespace; `labelSelector` in the string form (`app=web`). */
  list(options?: { readonly namespace?: string; readonly labelSelector?: string }): T[];
  /** Objects whose index `indexName` produced `value` (indexes are declared when the informer is made). */
  byIndex(indexName: string, value: string): T[];
}

export interface InformerHandlers<T extends KubeObject> {
  readonly add?: (object: T) => void;
  /** Also called on resync with old === new. */
  readonly update?: (oldObject: T, newObject: T) => void;
  /** `object` is the last known state (possibly stale when the deletion was missed during a relist). */
  readonly delete?: (object: T) => void;
}

/** Index functions: object -> index values (e.g. pods by spec.nodeName, by owner uid). */
export type Indexers<T extends KubeObject> = Readonly<Record<string, (object: T) => readonly string[]>>;

export interface Informer<T extends KubeObject> {
  readonly type: ResourceType;
  readonly lister: Lister<T>;
  addHandlers(handlers: InformerHandlers<T>): void;
  addIndexers(indexers: Indexers<T>): void;
  hasSynced(): boolean;
}

export interface InformerOptions {
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Re-deliver every cached object as an update this often (0: never). */
  readonly resyncMs?: number;
}

/** One informer per (resource, options), shared by every controller of a process. */
export interface InformerFactory {
  informerFor<T extends KubeObject>(type: ResourceType, options?: InformerOptions): Informer<T>;
  /** Starts every informer made so far (and later ones on creation); stops with the signal. */
  start(signal: AbortSignal): void;
  /** Resolves when every started informer has synced its first list. */
  waitForSync(signal: AbortSignal): Promise<void>;
}
