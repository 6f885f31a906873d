// The bridge between objects and field sets for server-side apply: which fields an object sets,
// how list items are named, and removing one field (field-changes.ts: how two objects differ).
// List items are identified the way the strategic-merge tags say (src/api/patch-meta.ts): by merge
// key (by all of server-side apply's list-map keys where there are more), by value for primitive
// sets, else the list is atomic and owned as one leaf.
import { fieldMetaOf, type FieldMeta, type ObjectType } from '../../api/patch-meta.js';
import { FieldSet, type FieldPath, type PathElement } from './field-set.js';
import { isJsonObject, type JsonObject } from './json-value.js';

/** Which part of an object a write may own: the main resource excludes status, `status` only has status. */
export type FieldScope = 'main' | 'status';

// Server-maintained identity and bookkeeping; upstream strips these before tracking ownership.
export const UNOWNED_METADATA: ReadonlySet<string> = new Set([
  'name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'selfLink',
  'managedFields', 'deletionTimestamp', 'deletionGracePeriodSeconds',
]);

/** The fields `obj` sets that a writer in `scope` can own. */
export function ownableFieldsOf(obj: JsonObject, root: ObjectType, scope: FieldScope): FieldSet {
  const set = new FieldSet();
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    if ((key === 'status') !== (scope === 'status')) continue;
    const meta = fieldMetaOf(root, key);
    if (key === 'metadata' && isJsonObject(value)) {
      for (const [mk, mv] of Object.entries(value)) {
        if (!UNOWNED_METADATA.has(mk)) walkValue(mv, fieldMetaOf(meta?.type, mk), ['f:metadata', `f:${mk}`], set);
      }
      continue;
    }
    walkValue(value, meta, [`f:${key}`], set);
  }
  return set;
}

/** How the items of a list field are identified. */
export type ListKind = 'keyed' | 'set' | 'atomic';

export function listKindOf(meta: FieldMeta | undefined): ListKind {
  if (meta?.strategy !== 'merge' && meta?.strategy !== 'merge,retainKeys') return 'atomic';
  return meta.mergeKey === undefined ? 'set' : 'keyed';
}

/** Key fields an item may leave out, and the value the schema defaults them to (a port's protocol). */
const KEY_DEFAULTS: Readonly<Record<string, unknown>> = { protocol: 'TCP' };

/** The path element naming `item` (at `index`) in the list `meta` describes, of kind `kind`. */
export function itemElement(item: unknown, index: number, kind: ListKind, meta: FieldMeta | undefined): PathElement {
  const mergeKey = meta?.mergeKey;
  if (kind === 'keyed' && mergeKey !== undefined && isJsonObject(item) && Object.hasOwn(item, mergeKey)) {
    const names = meta?.listMapKeys;
    if (names === undefined) return `k:${JSON.stringify({ [mergeKey]: item[mergeKey] })}`;
    const key: JsonObject = {};
    for (const name of names) {
      const value = Object.hasOwn(item, name) ? item[name] : KEY_DEFAULTS[name];
      if (value !== undefined) key[name] = value;
    }
    return `k:${JSON.stringify(key)}`;
  }
  if (kind === 'set' && !isJsonObject(item) && !Array.isArray(item)) return `v:${JSON.stringify(item)}`;
  // An item missing its merge key cannot be addressed by key; fall back to its position.
  return `i:${index}`;
}

function walkValue(value: unknown, meta: FieldMeta | undefined, path: PathElement[], set: FieldSet): void {
  if (isJsonObject(value) && meta?.atomic !== true && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) walkValue(child, fieldMetaOf(meta?.type, key), [...path, `f:${key}`], set);
    return;
  }
  const kind = listKindOf(meta);
  if (Array.isArray(value) && kind !== 'atomic') {
    // An empty granular list sets nothing (as upstream): there is no item to own.
    value.forEach((item, index) => {
      const itemPath = [...path, itemElement(item, index, kind, meta)];
      set.insert(itemPath);
      if (kind === 'keyed' && isJsonObject(item)) {
        for (const [key, child] of Object.entries(item)) walkValue(child, fieldMetaOf(meta?.type, key), [...itemPath, `f:${key}`], set);
      }
    });
    return;
  }
  set.insert(path);
}

interface Located {
  /** The map or list holding the value. */
  readonly parent: JsonObject | unknown[];
  /** Key in the map or index in the list. */
  readonly at: string | number;
}

/** Finds the value at `path` inside `obj`; undefined when absent. */
function locate(obj: JsonObject, path: FieldPath, root: ObjectType): Located | undefined {
  let parent: JsonObject | unknown[] = obj;
  let at: string | number | undefined;
  let meta: FieldMeta | undefined;
  let type: ObjectType | undefined = root;
  for (const pe of path) {
    if (at !== undefined) {
      const current: unknown = Array.isArray(parent) ? parent[at as number] : parent[at];
      if (!isJsonObject(current) && !Array.isArray(current)) return undefined;
      parent = current;
    }
    if (pe.startsWith('f:')) {
      if (Array.isArray(parent)) return undefined;
      at = pe.slice(2);
      if (!Object.hasOwn(parent, at)) return undefined;
      meta = fieldMetaOf(type, at);
      type = meta?.type;
    } else {
      if (!Array.isArray(parent)) return undefined;
      const list: unknown[] = parent;
      const kind = listKindOf(meta);
      const index = list.findIndex((item, i) => itemElement(item, i, kind, meta) === pe);
      if (index < 0) return undefined;
      at = index;
      // Fields of a list item are typed by the list's item type, which `type` already holds.
    }
  }
  return at === undefined ? undefined : { parent, at };
}

export function valueAt(obj: JsonObject, path: FieldPath, root: ObjectType): unknown {
  const found = locate(obj, path, root);
  if (found === undefined) return undefined;
  return Array.isArray(found.parent) ? found.parent[found.at as number] : found.parent[found.at as string];
}

/**
 * Removes the field or list item at `path` from `obj` (mutating it). Like upstream, a map or list
 * left empty by the removal is dropped from its own parent.
 */
export function removeAt(obj: JsonObject, path: FieldPath, root: ObjectType): void {
  const found = locate(obj, path, root);
  if (found === undefined) return;
  if (Array.isArray(found.parent)) found.parent.splice(found.at as number, 1);
  else delete found.parent[found.at as string];
  const emptied = Array.isArray(found.parent) ? found.parent.length === 0 : Object.keys(found.parent).length === 0;
  if (emptied && path.length > 1) {
    const holder = locate(obj, path.slice(0, -1), root);
    if (holder !== undefined && !Array.isArray(holder.parent)) delete holder.parent[holder.at as string];
  }
}
