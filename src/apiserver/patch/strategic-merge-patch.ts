// Strategic merge patch (application/strategic-merge-patch+json): what `kubectl apply` (client-side),
// `edit`, `patch`, `set image`, `rollout restart` and `cordon` send. Semantics follow upstream's
// apimachinery strategicpatch applied with the struct tags of src/api/patch-meta.ts:
//  - `null` deletes a key; maps merge recursively;
//  - lists tagged `merge` with a merge key merge item by item on that key; `{"$patch":"delete",<key>}`
//    removes an item and `{"$patch":"replace"}` makes the list's other items the whole list;
//  - lists of primitives tagged `merge` (finalizers) are sets; `$deleteFromPrimitiveList/<l>` removes;
//  - `$setElementOrder/<l>` fixes the final order; `$retainKeys` drops sibling keys it does not list;
//  - `{"$patch":"replace"}` in a map replaces it, `{"$patch":"delete"}` empties it;
//  - untagged lists are replaced whole. Unknown kinds and fields therefore behave as merge patch.
import { fieldMetaOf, genericObjectType, rootTypeFor, type FieldMeta, type ObjectType } from '../../api/patch-meta.js';
import type { GroupVersionKind } from '../../api/object.js';
import { PatchError } from './patch-error.js';
import { cloneJson, isJsonObject, type JsonObject } from './json-value.js';
import { checkPatchAgainstOrder, orderMergedList, partitionByPresence, type ItemKey } from './element-order.js';

const PATCH = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ORDER = '$setElementOrder/';
const DELETE_PRIMITIVES = '$deleteFromPrimitiveList/';

/**
 * Applies `patch` to a copy of `doc` (to `doc` itself when `inPlace`: a private copy the caller
 * made for this) using the strategic-merge tags of `gvk`. Throws PatchError.
 */
export function applyStrategicMergePatch(doc: unknown, patch: unknown, gvk: GroupVersionKind, inPlace = false): unknown {
  if (!isJsonObject(patch)) throw new PatchError('strategic merge patch must be a JSON object');
  if (!isJsonObject(doc)) throw new PatchError('strategic merge patch target must be a JSON object');
  return mergeMap(inPlace ? doc : cloneJson(doc), patch, rootTypeFor(gvk) ?? genericObjectType);
}

/** Merges `patch` into `original` (our own copy, mutated and returned). `patch` is only read. */
function mergeMap(original: JsonObject, patch: JsonObject, type: ObjectType | undefined): JsonObject {
  const directive = patch[PATCH];
  if (directive === 'replace') return materializeMap(withoutKey(patch, PATCH), type);
  if (directive === 'delete') return {};
  // Upstream accepts only replace/delete here; `merge` is what happens anyway, so allow it.
  if (directive !== undefined && directive !== 'merge') {
    throw new PatchError(`unknown $patch directive ${JSON.stringify(directive)} in a map`);
  }
  if (Object.hasOwn(patch, RETAIN_KEYS)) applyRetainKeys(original, patch);

  const handled = new Set([PATCH, RETAIN_KEYS]);
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ORDER)) continue;
    const name = listName(key, SET_ORDER);
    handled.add(key);
    handled.add(name);
    const ordered = orderList(original[name], patch[name], patch[key], name, fieldMetaOf(type, name));
    if (ordered !== undefined) original[name] = ordered;
  }
  const deletions: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (handled.has(key)) continue;
    if (key.startsWith(DELETE_PRIMITIVES)) {
      deletions.push(key);
      continue;
    }
    const merged = mergeValue(original[key], value, fieldMetaOf(type, key));
    if (merged === undefined) delete original[key];
    else original[key] = merged;
  }
  // After the additions, so a set field listed both ways ends without the deleted values.
  for (const key of deletions) {
    const name = listName(key, DELETE_PRIMITIVES);
    const toDelete = patch[key];
    if (!Array.isArray(toDelete)) throw new PatchError(`${key} must be a list`);
    const current = original[name];
    if (Array.isArray(current)) original[name] = current.filter((v) => !toDelete.includes(v));
  }
  return original;
}

/** The merged value of one field; undefined means "remove the key". */
function mergeValue(original: unknown, patch: unknown, meta: FieldMeta | undefined): unknown {
  if (patch === null) return undefined;
  if (isJsonObject(original) && isJsonObject(patch) && meta?.strategy !== 'replace') {
    return mergeMap(original, patch, meta?.type);
  }
  if (Array.isArray(original) && Array.isArray(patch) && mergesItems(meta)) {
    return mergeList(original, patch, meta);
  }
  // Absent, a different kind of value, a scalar, or an atomic field: the patch value wins.
  return materialize(patch, meta);
}

function mergesItems(meta: FieldMeta | undefined): boolean {
  return meta?.strategy === 'merge' || meta?.strategy === 'merge,retainKeys';
}

/**
 * What a patch value becomes where there is nothing to merge into: directives are applied against an
 * empty value, `null`s in maps vanish, and a map that is itself a `$patch` directive disappears.
 */
function materialize(value: unknown, meta: FieldMeta | undefined): unknown {
  if (isJsonObject(value)) return Object.hasOwn(value, PATCH) && value[PATCH] !== 'replace' && value[PATCH] !== 'merge'
    ? undefined
    : materializeMap(value, meta?.type);
  if (Array.isArray(value)) return materializeList(value, meta);
  return cloneJson(value);
}

function materializeMap(value: JsonObject, type: ObjectType | undefined): JsonObject {
  return mergeMap({}, value, type);
}

function materializeList(items: readonly unknown[], meta: FieldMeta | undefined): unknown[] {
  return items
    .filter((item) => !(isJsonObject(item) && Object.hasOwn(item, PATCH)))
    .map((item) => (isJsonObject(item) ? materializeMap(item, meta?.type) : cloneJson(item)));
}

/** Merges two lists of a `merge`-tagged field. */
function mergeList(original: unknown[], patch: unknown[], meta: FieldMeta | undefined): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = elementKind(original, patch);
  if (kind === 'primitive') {
    const merged = [...original];
    for (const item of patch) if (!merged.includes(item)) merged.push(item);
    const [patchItems, serverOnly] = partitionByPresence(merged, patch, identity);
    return orderMergedList({ patchItems, serverOnly, patchOrder: patch, serverOrder: original, keyOf: identity });
  }
  const mergeKey = meta?.mergeKey;
  if (mergeKey === undefined) throw new PatchError('cannot merge lists of objects without a merge key');
  const keyOf = keyFn(mergeKey);

  let base = original;
  const items: JsonObject[] = [];
  let replace = false;
  for (const item of patch as JsonObject[]) {
    const directive = item[PATCH];
    if (directive === undefined) {
      items.push(item);
    } else if (directive === 'delete') {
      const key = requireKey(item, mergeKey);
      base = base.filter((x) => keyOf(x) !== key);
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw new PatchError('merging lists cannot yet be specified in the patch');
    } else {
      throw new PatchError(`unknown $patch directive ${JSON.stringify(directive)} in a list`);
    }
  }
  if (replace) return items.map((item) => materializeMap(item, meta?.type));

  const merged = [...base];
  for (const item of items) {
    const key = requireKey(item, mergeKey);
    const at = merged.findIndex((x) => keyOf(x) === key);
    const target = merged[at];
    if (at >= 0 && isJsonObject(target)) merged[at] = mergeMap(target, item, meta?.type);
    else merged.push(materializeMap(item, meta?.type));
  }
  const [patchItems, serverOnly] = partitionByPresence(merged, items, keyOf);
  return orderMergedList({ patchItems, serverOnly, patchOrder: items, serverOrder: base, keyOf });
}

/** Applies a `$setElementOrder/<name>` list: merge the list (if patched), then impose the order. */
function orderList(original: unknown, patch: unknown, order: unknown, name: string, meta: FieldMeta | undefined): unknown[] | undefined {
  if (!Array.isArray(order)) throw new PatchError(`${SET_ORDER}${name} must be a list`);
  const live = original === undefined || original === null ? undefined : original;
  if (live !== undefined && !Array.isArray(live)) throw new PatchError(`${name} is not a list`);
  if (patch !== undefined && !Array.isArray(patch)) throw new PatchError(`${name} must be a list`);
  const keyOf = meta?.mergeKey === undefined ? identity : keyFn(meta.mergeKey);
  if (meta?.mergeKey !== undefined) for (const item of order) requireKey(item, meta.mergeKey);
  if (patch !== undefined) checkPatchAgainstOrder(patch, order, keyOf, name);

  let merged: unknown[];
  if (live === undefined && patch === undefined) return undefined;
  if (patch === undefined) merged = live ?? [];
  else if (live === undefined) merged = materializeList(patch, meta);
  else merged = mergesItems(meta) ? mergeList(live, patch, meta) : materializeList(patch, meta);

  const [patchItems, serverOnly] = partitionByPresence(merged, order, keyOf);
  return orderMergedList({ patchItems, serverOnly, patchOrder: order, serverOrder: live ?? [], keyOf });
}

/** `$retainKeys`: keys of `original` it does not list are cleared; the patch may not set others. */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  const retain = patch[RETAIN_KEYS];
  if (!Array.isArray(retain)) throw new PatchError('$retainKeys must be a list of field names');
  const keep = new Set(retain);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key === RETAIN_KEYS || key === PATCH) continue;
    if (key.startsWith(SET_ORDER) || key.startsWith(DELETE_PRIMITIVES)) continue;
    if (!keep.has(key)) throw new PatchError(`field ${key} is set by the patch but not listed in $retainKeys`);
  }
  for (const key of Object.keys(original)) if (!keep.has(key)) delete original[key];
}

function elementKind(...lists: readonly unknown[][]): 'map' | 'primitive' {
  let kind: 'map' | 'primitive' | undefined;
  for (const item of lists.flat()) {
    if (Array.isArray(item)) throw new PatchError('strategic merge of lists of lists is not supported');
    const k = isJsonObject(item) ? 'map' : 'primitive';
    if (kind !== undefined && kind !== k) throw new PatchError('list mixes objects and primitive values');
    kind = k;
  }
  return kind ?? 'primitive';
}

function listName(key: string, prefix: string): string {
  const name = key.slice(prefix.length);
  if (name === '') throw new PatchError(`directive ${key} names no list`);
  return name;
}

function requireKey(item: unknown, mergeKey: string): unknown {
  if (!isJsonObject(item)) throw new PatchError(`list item ${JSON.stringify(item)} is not an object`);
  if (!Object.hasOwn(item, mergeKey)) throw new PatchError(`list item ${JSON.stringify(item)} has no merge key ${mergeKey}`);
  return item[mergeKey];
}

function keyFn(mergeKey: string): ItemKey {
  return (item) => (isJsonObject(item) ? item[mergeKey] : undefined);
}

const identity: ItemKey = (item) => item;

function withoutKey(map: JsonObject, key: string): JsonObject {
  const { [key]: _dropped, ...rest } = map;
  return rest;
}
