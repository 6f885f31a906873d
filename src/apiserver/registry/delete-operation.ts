// DELETE: upstream's graceful deletion and finalizer rules.
//   - preconditions (uid, resourceVersion) must hold, else 409
//   - propagationPolicy Orphan / Foreground add the `orphan` / `foregroundDeletion` finalizer (the
//     garbage collector, a later issue, removes it); Background removes both
//   - a grace period from the strategy (pods on a node) sets deletionTimestamp = now + grace and
//     leaves the deletion to the node agent; a later delete may only shorten it
//   - pending finalizers keep the object with deletionTimestamp = now, grace 0; the update removing
//     the last finalizer deletes it (update-operation.ts)
//   - namespaces go Terminating instead: the namespace controller (a later issue) empties them and
//     removes spec.finalizers [kubernetes]; only then is the namespace really deleted
import type { KubeObject } from '../../api/object.js';
import { ConflictError, NotFoundError } from '../../lib/errors.js';
import { PreconditionFailedError } from './api-errors.js';
import { decodeObject, encodeObject, withTypeAndVersion } from './object-codec.js';
import {
  isNamespaceKind, MAX_WRITE_ATTEMPTS, metadataOf, modifiedConflict, notFound, readExisting, rfc3339,
  type RegistryContext, type StoredObject,
} from './registry-context.js';
import type { DeleteOptions, DeleteResult } from './registry-types.js';

const ORPHAN = 'orphan';
const FOREGROUND = 'foregroundDeletion';

type DeletionPlan =
  | { readonly action: 'delete' }
  | { readonly action: 'keep'; readonly updated: KubeObject | undefined };

export async function deleteObject(ctx: RegistryContext, namespace: string | undefined, name: string, options: DeleteOptions): Promise<DeleteResult> {
  const { info } = ctx.strategy;
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    const current = await readExisting(ctx, namespace, name);
    checkPreconditions(ctx, current, options);
    const plan = planDeletion(ctx, current.object, options);
    try {
      if (plan.action === 'delete') {
        if (options.dryRun) return { object: current.object, finished: true };
        const kv = await ctx.store.delete(current.key, current.revision);
        const deleted = decodeObject(kv, info, ctx.strategy.storage);
        await ctx.writeHooks?.afterDelete?.(deleted);
        return { object: deleted, finished: true };
      }
      if (plan.updated === undefined) return { object: current.object, finished: false };
      if (options.dryRun) return { object: withTypeAndVersion(plan.updated, info, current.revision), finished: false };
      const kv = await ctx.store.update(current.key, encodeObject(plan.updated, ctx.strategy.storage), current.revision);
      return { object: withTypeAndVersion(plan.updated, info, kv.modRevision), finished: false };
    } catch (error) {
      if (error instanceof NotFoundError) throw notFound(ctx, name);
      // Changed under us: re-read, re-check the preconditions and plan again.
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  throw modifiedConflict(ctx, name);
}

function checkPreconditions(ctx: RegistryContext, current: StoredObject, options: DeleteOptions): void {
  const wanted = options.preconditions;
  const name = current.object.metadata?.name ?? '';
  const uid = current.object.metadata?.uid ?? '';
  if (wanted?.uid !== undefined && wanted.uid !== uid) {
    throw new PreconditionFailedError(ctx.resource, name, `UID in precondition: ${wanted.uid}, UID in object meta: ${uid}`);
  }
  const version = String(current.revision);
  if (wanted?.resourceVersion !== undefined && wanted.resourceVersion !== version) {
    throw new PreconditionFailedError(ctx.resource, name, `ResourceVersion in precondition: ${wanted.resourceVersion}, ResourceVersion in object meta: ${version}`);
  }
}

function planDeletion(ctx: RegistryContext, current: KubeObject, options: DeleteOptions): DeletionPlan {
  const next = structuredClone(current);
  const meta = metadataOf(next);
  const finalizersBefore = meta.finalizers ?? [];
  const finalizers = gcFinalizers(finalizersBefore, options.propagationPolicy ?? defaultPolicy(ctx, finalizersBefore));
  if (finalizers.length > 0) meta.finalizers = finalizers;
  else delete meta.finalizers;
  const finalizersChanged = finalizers.join('\n') !== finalizersBefore.join('\n');
  const now = ctx.clock.now();

  if (isNamespaceKind(ctx)) return planNamespaceDeletion(next, finalizers, finalizersChanged, now);

  if (meta.deletionTimestamp !== undefined) {
    // Already being deleted: a shorter grace period moves the deadline closer; nothing else changes.
    const running = meta.deletionGracePeriodSeconds ?? 0;
    const requested = ctx.strategy.deletionGracePeriodSeconds && options.gracePeriodSeconds !== undefined
      ? ctx.strategy.deletionGracePeriodSeconds(current, options.gracePeriodSeconds) : undefined;
    let changed = finalizersChanged;
    if (requested !== undefined && running > 0 && requested < running) {
      const requestedAt = Date.parse(meta.deletionTimestamp) - running * 1000;
      meta.deletionTimestamp = rfc3339(new Date(requestedAt + requested * 1000));
      meta.deletionGracePeriodSeconds = requested;
      changed = true;
    }
    if ((meta.deletionGracePeriodSeconds ?? 0) === 0 && finalizers.length === 0) return { action: 'delete' };
    return { action: 'keep', updated: changed ? next : undefined };
  }

  const grace = ctx.strategy.deletionGracePeriodSeconds?.(current, options.gracePeriodSeconds) ?? 0;
  if (grace <= 0 && finalizers.length === 0) return { action: 'delete' };
  meta.deletionTimestamp = rfc3339(new Date(now.getTime() + Math.max(grace, 0) * 1000));
  meta.deletionGracePeriodSeconds = Math.max(grace, 0);
  // Upstream bumps generation when deletion starts, so controllers see the change as a new spec.
  if (meta.generation !== undefined && meta.generation > 0) meta.generation += 1;
  return { action: 'keep', updated: next };
}

/**
 * Deleting a namespace only marks it Terminating; the namespace controller (a later issue) deletes
 * its content and then removes `spec.finalizers: [kubernetes]`, after which a delete (or the update
 * removing the last finalizer) really removes it.
 */
function planNamespaceDeletion(next: KubeObject, finalizers: readonly string[], finalizersChanged: boolean, now: Date): DeletionPlan {
  const meta = metadataOf(next);
  const specFinalizers = (next['spec'] as { finalizers?: unknown[] } | undefined)?.finalizers ?? [];
  if (specFinalizers.length === 0 && finalizers.length === 0) return { action: 'delete' };
  if (meta.deletionTimestamp !== undefined) return { action: 'keep', updated: finalizersChanged ? next : undefined };
  meta.deletionTimestamp = rfc3339(now);
  meta.deletionGracePeriodSeconds = 0;
  const status = (next['status'] ?? {}) as Record<string, unknown>;
  next['status'] = { ...status, phase: 'Terminating' };
  return { action: 'keep', updated: next };
}

/**
 * The kind's default policy, for a delete naming none; an object already being deleted with
 * `orphan` or `foregroundDeletion` keeps what it was asked for first (upstream's rule).
 */
function defaultPolicy(ctx: RegistryContext, finalizers: readonly string[]): DeleteOptions['propagationPolicy'] {
  if (finalizers.includes(ORPHAN) || finalizers.includes(FOREGROUND)) return undefined;
  return ctx.strategy.defaultPropagationPolicy;
}

function gcFinalizers(finalizers: readonly string[], policy: DeleteOptions['propagationPolicy']): string[] {
  const without = (f: readonly string[], name: string): string[] => f.filter((x) => x !== name);
  const withOne = (f: readonly string[], name: string): string[] => (f.includes(name) ? [...f] : [...f, name]);
  switch (policy) {
    case 'Orphan':
      return withOne(without(finalizers, FOREGROUND), ORPHAN);
    case 'Foreground':
      return withOne(without(finalizers, ORPHAN), FOREGROUND);
    case 'Background':
      return without(without(finalizers, ORPHAN), FOREGROUND);
    case undefined:
      return [...finalizers];
  }
}
