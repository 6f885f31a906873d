// managedFields bookkeeping shared by create, update and patch. Like upstream's handlers
// (create.go / update.go / patch.go call the field manager, then admission), a write's ownership is
// computed from the object as the client sent it plus the kind's defaults, before the kind's
// admission (ResourceStrategy.admit) and the write hooks (ServiceAccount and Priority admission,
// Service IP allocation) change it: `kubectl run` owns dnsPolicy and enableServiceLinks, not
// serviceAccountName, the kube-api-access volume, the default tolerations or priority.
import type { KubeObject } from '../../api/object.js';
import { recordUpdate, updatedManagedFields, type ManagedFieldsEntry } from '../patch/managed-fields.js';
import type { RegistryContext } from './registry-context.js';

export { storeManagedFields } from '../patch/managed-fields.js';
export type { ManagedFieldsEntry };

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

/** Records a create's ownership on `obj` (a create that fails stores nothing, so in place is fine). */
export function recordWrite(ctx: RegistryContext, old: KubeObject | undefined, updated: KubeObject, manager: string | undefined, subresource?: string): void {
  recordUpdate(writerOf(ctx, old, updated, manager, subresource));
}

/**
 * An update's managedFields, for storeManagedFields once the write is known to change something:
 * stored earlier, a new time stamp would make a write that changes nothing look like a change.
 */
export function managedFieldsAfter(ctx: RegistryContext, old: KubeObject, updated: KubeObject, manager: string | undefined, subresource?: string): ManagedFieldsEntry[] {
  return updatedManagedFields(writerOf(ctx, old, updated, manager, subresource));
}

function writerOf(ctx: RegistryContext, old: KubeObject | undefined, updated: KubeObject, manager: string | undefined, subresource: string | undefined) {
  return {
    old,
    updated,
    manager: manager ?? DEFAULT_FIELD_MANAGER,
    gvk: ctx.gvk,
    now: ctx.clock.now(),
    ...(subresource === undefined ? {} : { subresource }),
  };
}
