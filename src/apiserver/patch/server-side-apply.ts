// Server-side apply (application/apply-patch+yaml, `kubectl apply --server-side`), after upstream's
// structured-merge-diff Updater.Apply:
//  1. the result is the live object merged with the applied configuration;
//  2. the configuration's field set becomes everything `manager` owns through Apply;
//  3. fields the manager applied last time but no longer does are removed, unless another manager
//     (or the new configuration) still owns them or something below them;
//  4. every field whose value the apply sets or modifies that another manager owns is a conflict:
//     409 unless `force`, in which case those fields move to `manager`; what the apply removed (only
//     what nobody else owned, after step 3, and the maps or lists that emptied) leaves every manager.
// Worked example (kubectl-wire.md §3.5): `kubectl apply` created a Deployment with replicas 1, so
// kubectl-client-side-apply (Update) owns .spec.replicas. `kubectl apply --server-side` with replicas 3
// changes that field -> "Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using
// apps/v1: .spec.replicas". The same apply with replicas 1 changes nothing there, so both own it.
import type { GroupVersionKind, KubeObject } from '../../api/object.js';
import { cloneJson, isJsonObject, type JsonObject } from './json-value.js';
import { mergeApplied } from './apply-merge.js';
import { FieldSet, formatFieldPath } from './field-set.js';
import { changedFields } from './field-changes.js';
import { ownableFieldsOf, removeAt } from './object-fields.js';
import {
  decodeManagers, describeManager, managerEntry, rfc3339, rootTypeOf, scopeOf, writeManagers,
} from './managed-fields.js';
import { ApplyConflictError, PatchError, type ApplyConflict } from './patch-error.js';

export interface ServerSideApplyInput {
  /** The stored object, or undefined when the apply creates it. */
  readonly live: KubeObject | undefined;
  /** The applied configuration (the request body). */
  readonly applied: KubeObject;
  readonly manager: string;
  readonly force: boolean;
  readonly gvk: GroupVersionKind;
  readonly now: Date;
  readonly subresource?: string;
}

// Server-maintained metadata in an applied body is neither merged nor owned; the apiserver checks a
// sent resourceVersion as a precondition before calling us.
const IGNORED_METADATA = [
  'managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation', 'selfLink',
  'deletionTimestamp', 'deletionGracePeriodSeconds',
] as const;

/** The new object, with metadata.managedFields updated. Throws ApplyConflictError or PatchError. */
export function serverSideApply(input: ServerSideApplyInput): KubeObject {
  if (!isJsonObject(input.applied)) throw new PatchError('apply configuration must be an object');
  const root = rootTypeOf(input.gvk);
  const scope = scopeOf(input.subresource);
  const live: JsonObject = input.live === undefined ? {} : cloneJson(input.live);
  const managers = decodeManagers(input.live?.metadata?.managedFields);
  if (isJsonObject(live['metadata'])) delete live['metadata']['managedFields'];

  const config = withoutIgnoredMetadata(input.applied);
  const applied = ownableFieldsOf(config, root, scope);
  const merged = mergeApplied(live, config, root);

  const self = managerEntry(managers, 'Apply', input);
  const others = managers.filter((m) => m !== self);
  const previouslyApplied = self.fields;
  self.fields = applied;

  // Fields this manager stopped applying go, unless someone (this config included) still owns them.
  const stillOwned = others.reduce((acc, m) => acc.union(m.fields), applied);
  for (const path of previouslyApplied.difference(applied).paths()) {
    if (!stillOwned.hasAtOrBelow(path)) removeAt(merged, path, root);
  }

  const { changed, removed } = changedFields(input.live === undefined ? undefined : live, merged, root, scope);
  const conflicts: ApplyConflict[] = [];
  const taken = new Map<(typeof managers)[number], FieldSet>();
  for (const other of others) {
    const lost = other.fields.intersection(changed);
    if (lost.isEmpty()) continue;
    taken.set(other, lost);
    const message = `conflict with ${describeManager(other)}`;
    for (const path of lost.paths()) conflicts.push({ manager: other.manager, field: formatFieldPath(path), message });
  }
  // Upstream iterates field sets in sorted order; sort so messages do not depend on object key order.
  conflicts.sort((a, b) => (a.message === b.message ? (a.field < b.field ? -1 : 1) : a.message < b.message ? -1 : 1));
  if (conflicts.length > 0 && !input.force) throw new ApplyConflictError(conflicts);
  for (const [other, lost] of taken) other.fields = other.fields.difference(lost);
  // As upstream's Updater: removed fields leave every manager, without a conflict.
  if (!removed.isEmpty()) for (const other of others) if (other.fields.intersects(removed)) other.fields = other.fields.difference(removed);

  self.time = rfc3339(input.now);
  const result = merged as KubeObject;
  writeManagers(result, managers);
  return result;
}

function withoutIgnoredMetadata(applied: KubeObject): JsonObject {
  const config: JsonObject = cloneJson(applied);
  const metadata = config['metadata'];
  if (isJsonObject(metadata)) for (const key of IGNORED_METADATA) delete metadata[key];
  return config;
}
