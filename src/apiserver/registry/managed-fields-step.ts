// managedFields bookkeeping shared by create, update and patch.
import type { KubeObject } from '../../api/object.js';
import { recordUpdate } from '../patch/managed-fields.js';
import type { RegistryContext } from './registry-context.js';

/**
 * Upstream falls back to a manager derived from the User-Agent; the HTTP layer should pass that as
 * fieldManager. Without one we still track ownership, under this name.
 */
export const DEFAULT_FIELD_MANAGER = 'unknown';

/** Drops a managedFields value that is not a list of entries (upstream resets invalid ones). */
export function dropInvalidManagedFields(obj: KubeObject): void {
  const metadata = obj.metadata;
  if (metadata?.managedFields === undefined) return;
  const entries: unknown = metadata.managedFields;
  const valid = Array.isArray(entries) && entries.every((entry: unknown) =>
    entry !== null && typeof entry === 'object' && typeof (entry as { manager?: unknown }).manager === 'string' &&
    ((entry as { operation?: unknown }).operation === 'Apply' || (entry as { operation?: unknown }).operation === 'Update'));
  if (!valid) delete metadata.managedFields;
}

export function recordWrite(ctx: RegistryContext, old: KubeObject | undefined, updated: KubeObject, manager: string | undefined, subresource?: string): void {
  recordUpdate({
    old,
    updated,
    manager: manager ?? DEFAULT_FIELD_MANAGER,
    gvk: ctx.gvk,
    now: ctx.clock.now(),
    ...(subresource === undefined ? {} : { subresource }),
  });
}
