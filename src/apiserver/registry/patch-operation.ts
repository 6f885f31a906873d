// PATCH (json, merge, strategic, apply) on the main resource or /status: read, patch, then the
// same write as PUT with the read revision as the compare-and-swap. Like upstream, losing that race
// to a concurrent writer re-reads and re-applies the patch (a few times) unless the patch itself
// named a resourceVersion. Server-side apply on a missing object creates it.
import type { GroupVersionKind, KubeObject } from '../../api/object.js';
import { BadRequestError } from '../../lib/errors.js';
import { applyJsonPatch } from '../patch/json-patch.js';
import { applyMergePatch } from '../patch/merge-patch.js';
import { serverSideApply } from '../patch/server-side-apply.js';
import { applyStrategicMergePatch } from '../patch/strategic-merge-patch.js';
import { ResourceAlreadyExistsError } from './api-errors.js';
import { createObject } from './create-operation.js';
import { subresourceNotFound } from './put-operation.js';
import { MAX_WRITE_ATTEMPTS, modifiedConflict, notFound, readObject, readObjectForUpdate, type RegistryContext } from './registry-context.js';
import type { PatchOptions, PatchType, WriteResult } from './registry-types.js';
import { checkNameMatches, checkTypeMeta, settleNamespace } from './type-meta.js';
import { applyFieldValidation } from './unknown-fields.js';
import { StaleReadError, writeUpdate } from './update-operation.js';

export type PatchRequestOptions = PatchOptions & { subresource?: 'status' };

export async function patchObject(
  ctx: RegistryContext, namespace: string | undefined, name: string, type: PatchType, patch: unknown, options: PatchRequestOptions,
): Promise<WriteResult> {
  const { info } = ctx.strategy;
  if (options.subresource === 'status' && !info.subresources.status) throw subresourceNotFound();
  let applied: KubeObject | undefined;
  let warnings: string[] = [];
  if (type === 'apply') {
    if (options.fieldManager === undefined || options.fieldManager === '') {
      throw new BadRequestError('PATCH, application/apply-patch+yaml requires fieldManager');
    }
    if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
      throw new BadRequestError('the apply patch must be an object');
    }
    applied = structuredClone(patch as KubeObject);
    checkTypeMeta(info, applied);
    checkNameMatches(applied, name);
    warnings = applyFieldValidation(ctx, applied, options.fieldValidation);
  }
  const precondition = applied ? applied.metadata?.resourceVersion : patchResourceVersion(patch);
  const conditional = precondition !== undefined && precondition !== '';

  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    // Only server-side apply needs a private copy of the live object; the other patches copy it.
    const current = applied ? await readObject(ctx, namespace, name) : await readObjectForUpdate(ctx, namespace, name);
    if (!current) {
      if (!applied || options.subresource) throw notFound(ctx, name);
      const body = serverSideApply({
        live: undefined, applied: { ...applied, metadata: { ...applied.metadata, name } },
        manager: options.fieldManager ?? '', force: options.force ?? false, gvk: ctx.gvk, now: ctx.clock.now(),
      });
      try {
        const result = await createObject(ctx, { namespace, body, options, fromApply: true });
        return { ...result, warnings: [...warnings, ...result.warnings] };
      } catch (error) {
        // Someone created it meanwhile: apply to theirs.
        if (error instanceof ResourceAlreadyExistsError) continue;
        throw error;
      }
    }
    const currentVersion = String(current.revision);
    if (conditional && precondition !== currentVersion) throw modifiedConflict(ctx, name);
    const patched = applied
      ? serverSideApply({
        live: current.object, applied, manager: options.fieldManager ?? '', force: options.force ?? false,
        gvk: ctx.gvk, now: ctx.clock.now(), ...(options.subresource ? { subresource: options.subresource } : {}),
      })
      : applyPatch(type, current.fresh?.() ?? current.object, patch, ctx.gvk, current.fresh !== undefined);
    const patchedVersion = patched.metadata?.resourceVersion;
    if (patchedVersion !== undefined && patchedVersion !== '' && patchedVersion !== currentVersion) throw modifiedConflict(ctx, name);
    checkTypeMeta(info, patched);
    checkNameMatches(patched, name);
    settleNamespace(info, patched, namespace);
    const patchWarnings = applied ? warnings : applyFieldValidation(ctx, patched, options.fieldValidation);
    try {
      return await writeUpdate(ctx, {
        // `patched` is made anew on each attempt, so writeUpdate may keep it instead of copying it.
        current, desired: patched, ownsDesired: true, options, warnings: patchWarnings, fromApply: applied !== undefined,
        ...(options.subresource ? { subresource: options.subresource } : {}),
      });
    } catch (error) {
      if (!(error instanceof StaleReadError) || conditional) throw error;
    }
  }
  throw modifiedConflict(ctx, name);
}

/**
 * json / merge / strategic patch of a document; the result must still be an object. `inPlace`: `doc`
 * is a private copy made for this patch, to be changed rather than copied again.
 */
export function applyPatch(type: PatchType, doc: KubeObject, patch: unknown, gvk: GroupVersionKind, inPlace = false): KubeObject {
  let result: unknown;
  switch (type) {
    case 'json':
      result = applyJsonPatch(doc, patch, inPlace);
      break;
    case 'merge':
      result = applyMergePatch(doc, patch, inPlace);
      break;
    case 'strategic':
      result = applyStrategicMergePatch(doc, patch, gvk, inPlace);
      break;
    case 'apply':
      // Only reached for documents without a server-side apply meaning (Scale): a merge of the applied fields.
      result = applyMergePatch(doc, patch, inPlace);
      break;
  }
  if (result === null || typeof result !== 'object' || Array.isArray(result)) {
    throw new BadRequestError('the patch must produce an object');
  }
  return result as KubeObject;
}

/** The resourceVersion a merge-style patch names (`{"metadata":{"resourceVersion":"5"}}`), if any. */
export function patchResourceVersion(patch: unknown): string | undefined {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return undefined;
  const metadata = (patch as { metadata?: unknown }).metadata;
  if (metadata === null || typeof metadata !== 'object') return undefined;
  const version = (metadata as { resourceVersion?: unknown }).resourceVersion;
  return typeof version === 'string' ? version : undefined;
}
