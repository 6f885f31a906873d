// The write at the heart of PUT, PATCH, status and scale: given the object as read (with its
// revision) and the object the client wants, apply upstream's update rules and compare-and-swap.
//   - main resource: system metadata (uid, creationTimestamp, deletion*, generation) stays the
//     server's; the status of a kind with a status subresource is kept (clients write it via /status)
//   - /status: only status changes (labels, annotations, finalizers... stay, as upstream's
//     ResetObjectMetaForStatus)
//   - generation is bumped iff something outside metadata and status changed
//   - a write that changes nothing is skipped, like upstream, so no event and no new revision
//   - the last finalizer removed from an object being deleted deletes it (no intermediate write)
import { invalid, type FieldError } from '../../api/field-error.js';
import type { KubeObject } from '../../api/object.js';
import { ConflictError, NotFoundError } from '../../lib/errors.js';
import { jsonEqual } from '../patch/json-value.js';
import { OBJECT_MODIFIED, ResourceConflictError, ResourceNotFoundError } from './api-errors.js';
import { dropInvalidManagedFields, managedFieldsAfter, storeManagedFields, type ManagedFieldsEntry } from './managed-fields-step.js';
import { encodeObject, withTypeAndVersion } from './object-codec.js';
import { isNamespaceKind, metadataOf, type RegistryContext, type StoredObject, type WritableMeta } from './registry-context.js';
import type { WriteOptions, WriteResult } from './registry-types.js';
import { validateOrThrow } from './validation-step.js';
import { withFinish } from './write-hooks.js';

/** The compare-and-swap lost to a concurrent writer; callers without a precondition re-read and retry. */
export class StaleReadError extends ResourceConflictError {}

export interface UpdateInput {
  readonly current: StoredObject;
  readonly desired: KubeObject;
  /** 'status': only status is taken from `desired`. 'scale': a main-resource write recorded as scale. */
  readonly subresource?: 'status' | 'scale';
  readonly options: WriteOptions;
  /** Server-side apply already set managedFields. */
  readonly fromApply?: boolean;
  /** `desired` is the caller's own throwaway object (a patch result): used as is, not copied. */
  readonly ownsDesired?: boolean;
  readonly warnings: readonly string[];
}

export async function writeUpdate(ctx: RegistryContext, input: UpdateInput): Promise<WriteResult> {
  const old = input.current.object;
  const extraErrors: FieldError[] = [];
  const next = input.subresource === 'status'
    ? statusOnly(input.current, input.desired)
    : mainResource(ctx, old, input.ownsDesired === true ? input.desired : structuredClone(input.desired), extraErrors);

  ctx.strategy.defaults(next);
  // Ownership is computed before admission changes the object (as upstream), and stored only if
  // the write goes ahead, so that a write changing nothing still compares equal to the stored object.
  // A status write owns only status, which admission and the hooks leave alone: computed later,
  // only if the write changes something.
  const managed = input.fromApply || input.subresource === 'status'
    ? undefined
    : managedFieldsAfter(ctx, old, next, input.options.fieldManager, input.subresource);
  ctx.strategy.admit?.(next, old);
  // REST-layer allocation (upstream's BeginUpdate): only main-resource writes change the spec.
  const finish = input.subresource === 'status' ? undefined : await ctx.writeHooks?.beginUpdate?.(next, old, { dryRun: input.options.dryRun });
  return withFinish(finish, () => storeUpdated(ctx, input, next, extraErrors, managed));
}

async function storeUpdated(
  ctx: RegistryContext, input: UpdateInput, next: KubeObject, extraErrors: FieldError[], managed: ManagedFieldsEntry[] | undefined,
): Promise<WriteResult> {
  const { info } = ctx.strategy;
  const old = input.current.object;
  validateOrThrow(ctx, next, old, extraErrors);
  if (info.tracksGeneration && input.subresource !== 'status' && !jsonEqual(specOf(old), specOf(next))) {
    metadataOf(next).generation = (old.metadata?.generation ?? 0) + 1;
  }

  const warnings = input.warnings;
  if (jsonEqual(withoutVersion(old), withoutVersion(next))) {
    return { object: withTypeAndVersion(old, info, input.current.revision), created: false, warnings };
  }
  if (!input.fromApply) storeManagedFields(next, managed ?? managedFieldsAfter(ctx, old, next, input.options.fieldManager, input.subresource));

  const name = next.metadata?.name ?? '';
  try {
    if (shouldDeleteDuringUpdate(ctx, old, next)) {
      if (input.options.dryRun) return { object: withTypeAndVersion(next, info, input.current.revision), created: false, warnings };
      const kv = await ctx.store.delete(input.current.key, input.current.revision);
      await ctx.writeHooks?.afterDelete?.(next);
      return { object: withTypeAndVersion(next, info, kv.modRevision), created: false, warnings };
    }
    if (input.options.dryRun) return { object: withTypeAndVersion(next, info, input.current.revision), created: false, warnings };
    const kv = await ctx.store.update(input.current.key, encodeObject(next, ctx.strategy.storage), input.current.revision);
    return { object: withTypeAndVersion(next, info, kv.modRevision), created: false, warnings };
  } catch (error) {
    if (error instanceof ConflictError) {
      throw new StaleReadError(ctx.resource, name, OBJECT_MODIFIED, { cause: error, ...(error.currentRevision === undefined ? {} : { currentRevision: error.currentRevision }) });
    }
    if (error instanceof NotFoundError) throw new ResourceNotFoundError(ctx.resource, name, { cause: error });
    throw error;
  }
}

/** /status: everything but status stays as stored; managedFields follow the write. */
function statusOnly(current: StoredObject, desired: KubeObject): KubeObject {
  const next = current.fresh?.() ?? structuredClone(current.object);
  if (desired['status'] === undefined) delete next['status'];
  else next['status'] = structuredClone(desired['status']);
  const managed = desired.metadata?.managedFields;
  if (managed !== undefined) metadataOf(next).managedFields = structuredClone(managed);
  return next;
}

/** `next`: the desired object, as a private copy this changes into what is stored. */
function mainResource(ctx: RegistryContext, old: KubeObject, next: KubeObject, errors: FieldError[]): KubeObject {
  const meta = metadataOf(next);
  const oldMeta: WritableMeta = old.metadata ?? {};
  meta.name = oldMeta.name ?? '';
  if (oldMeta.namespace === undefined) delete meta.namespace;
  else meta.namespace = oldMeta.namespace;
  if (meta.uid === undefined || meta.uid === '') meta.uid = oldMeta.uid ?? '';
  else if (meta.uid !== oldMeta.uid) errors.push(invalid('metadata.uid', meta.uid, 'field is immutable'));
  copyOrDelete(meta, oldMeta, 'uid');
  copyOrDelete(meta, oldMeta, 'creationTimestamp');
  copyOrDelete(meta, oldMeta, 'deletionTimestamp');
  copyOrDelete(meta, oldMeta, 'deletionGracePeriodSeconds');
  copyOrDelete(meta, oldMeta, 'generation');
  delete meta.resourceVersion;
  delete meta.selfLink;
  // An update without managedFields keeps the stored ones; an explicit (valid) value replaces them.
  if (meta.managedFields === undefined) copyOrDelete(meta, oldMeta, 'managedFields');
  else dropInvalidManagedFields(next);
  if (ctx.strategy.info.subresources.status) {
    if (old['status'] === undefined) delete next['status'];
    else next['status'] = structuredClone(old['status']);
  }
  return next;
}

function copyOrDelete<K extends keyof WritableMeta>(meta: WritableMeta, oldMeta: WritableMeta, field: K): void {
  if (oldMeta[field] === undefined) delete meta[field];
  else meta[field] = structuredClone(oldMeta[field]);
}

function specOf(obj: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

function withoutVersion(obj: KubeObject): KubeObject {
  const { resourceVersion: _rv, ...metadata } = obj.metadata ?? {};
  return { ...obj, metadata };
}

/**
 * Upstream's ShouldDeleteDuringUpdate: the object is being deleted, nothing holds it any more and no
 * grace period is running (a graceful pod is finished by its node agent, not here). A namespace is
 * also held by spec.finalizers until the namespace controller empties it.
 */
function shouldDeleteDuringUpdate(ctx: RegistryContext, old: KubeObject, next: KubeObject): boolean {
  const meta = next.metadata;
  if (!meta?.deletionTimestamp) return false;
  if ((meta.finalizers ?? []).length > 0) return false;
  if (old.metadata?.deletionGracePeriodSeconds !== 0) return false;
  if (isNamespaceKind(ctx)) {
    const spec = next['spec'] as { finalizers?: unknown[] } | undefined;
    if ((spec?.finalizers ?? []).length > 0) return false;
  }
  return true;
}
