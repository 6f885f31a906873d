// What every registry operation (create, update, patch, delete, list, scale) shares: the store,
// the kind's strategy, the clock and the hooks, plus the reads and error constructors they all use.
import type { GroupVersionKind, KubeObject, ObjectMeta } from '../../api/object.js';
import type { Store } from '../../storage/store.js';
import type { BodyFindings } from '../openapi/field-validation.js';
import {
  OBJECT_MODIFIED, ResourceConflictError, ResourceNotFoundError,
  type QualifiedKind, type QualifiedResource,
} from './api-errors.js';
import { decodeObject } from './object-codec.js';
import type { ResourceKeys } from './resource-keys.js';
import type { ResourceStrategy } from './strategy.js';
import type { WriteHooks } from './write-hooks.js';

/** What a namespaced create needs to know about its namespace. */
export type NamespaceState = 'Active' | 'Terminating' | 'NotFound';

export interface UnknownFieldDetector {
  /** Upstream-style paths (`spec.foo`, `spec.containers[0].imagee`) of fields the schema lacks. */
  unknownFields(gvk: GroupVersionKind, obj: unknown): string[];
  /** Unknown and wrongly typed fields in one walk; detectors without it check no types. */
  findings?(gvk: GroupVersionKind, obj: unknown): BodyFindings;
  /** Whether upstream decodes `gvk` into Go structs (400 on a wrong type) rather than as a custom resource (422). */
  decodesTyped?(gvk: GroupVersionKind): boolean;
}

export interface Clock {
  now(): Date;
}

export interface RegistryContext {
  readonly store: Store;
  readonly strategy: ResourceStrategy;
  readonly clock: Clock;
  readonly keys: ResourceKeys;
  readonly fieldValidator: UnknownFieldDetector | undefined;
  readonly namespaceState: ((name: string) => Promise<NamespaceState>) | undefined;
  /** See GenericRegistryOptions.requireResourceVersionOnUpdate. */
  readonly requireResourceVersionOnUpdate: boolean;
  readonly resource: QualifiedResource;
  readonly kind: QualifiedKind;
  readonly gvk: GroupVersionKind;
  /** The kind's REST-layer hooks (Service IP/port allocation); absent for most kinds. */
  readonly writeHooks?: WriteHooks;
  /** The watch cache's (frozen, shared) decoding of `key` at `revision`, when it has that one. */
  readonly cachedObject?: (key: string, revision: number) => KubeObject | undefined;
}

/** An object as read from the store, with the revision a compare-and-swap must name. */
export interface StoredObject {
  readonly key: string;
  readonly revision: number;
  /** Decoded, owned by the caller (safe to mutate), except from readObjectForUpdate. */
  readonly object: KubeObject;
  /**
   * A new private decoding of the same stored bytes on each call (readObjectForUpdate): parsing
   * the JSON again is several times cheaper than deep-copying `object`, frozen or not.
   */
  readonly fresh?: () => KubeObject;
}

export async function readObject(ctx: RegistryContext, namespace: string | undefined, name: string): Promise<StoredObject | undefined> {
  const key = ctx.keys.objectKey(namespace, name);
  const kv = await ctx.store.get(key);
  if (kv === undefined) return undefined;
  return { key, revision: kv.modRevision, object: decodeObject(kv, ctx.strategy.info, ctx.strategy.storage) };
}

/**
 * readObject for a caller that only reads the object (update and patch: they copy what they
 * change): the watch cache's decoding when it holds this very revision, which saves parsing the
 * stored JSON again on every write. The object may be deep-frozen and shared.
 */
export async function readObjectForUpdate(
  ctx: RegistryContext, namespace: string | undefined, name: string,
): Promise<(StoredObject & { readonly fresh: () => KubeObject }) | undefined> {
  const key = ctx.keys.objectKey(namespace, name);
  const kv = await ctx.store.get(key);
  if (kv === undefined) return undefined;
  const fresh = (): KubeObject => decodeObject(kv, ctx.strategy.info, ctx.strategy.storage);
  return { key, revision: kv.modRevision, object: ctx.cachedObject?.(key, kv.modRevision) ?? fresh(), fresh };
}

export async function readExisting(ctx: RegistryContext, namespace: string | undefined, name: string): Promise<StoredObject> {
  const found = await readObject(ctx, namespace, name);
  if (!found) throw notFound(ctx, name);
  return found;
}

export function notFound(ctx: RegistryContext, name: string): ResourceNotFoundError {
  return new ResourceNotFoundError(ctx.resource, name);
}

export function modifiedConflict(ctx: RegistryContext, name: string, cause?: unknown): ResourceConflictError {
  return new ResourceConflictError(ctx.resource, name, OBJECT_MODIFIED, cause === undefined ? undefined : { cause });
}

/** metav1.Time's form (lib/rfc3339.ts), for the operations that import it from here. */
export { rfc3339 } from '../../lib/rfc3339.js';

/** Namespaces are the one kind whose deletion is a state (Terminating) run by a controller. */
export function isNamespaceKind(ctx: RegistryContext): boolean {
  return ctx.strategy.info.group === '' && ctx.strategy.info.resource === 'namespaces';
}

/** ObjectMeta with the system fields writable: the registry is what sets them. */
export type WritableMeta = { -readonly [K in keyof ObjectMeta]: ObjectMeta[K] };

export function metadataOf(obj: KubeObject): WritableMeta {
  obj.metadata ??= {};
  return obj.metadata;
}

/** How many times a patch or an unconditional write re-reads after losing a compare-and-swap. */
export const MAX_WRITE_ATTEMPTS = 5;
