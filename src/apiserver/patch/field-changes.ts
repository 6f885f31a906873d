// How two objects differ field by field, as structured-merge-diff's typed Compare: what an ordinary
// write (operation Update) comes to own, and what leaves every manager. Items of granular lists are
// named as object-fields.ts names them.
import { fieldMetaOf, type FieldMeta, type ObjectType } from '../../api/patch-meta.js';
import { FieldSet, type PathElement } from './field-set.js';
import { isJsonObject, jsonEqual, type JsonObject } from './json-value.js';
import { itemElement, listKindOf, UNOWNED_METADATA, type FieldScope, type ListKind } from './object-fields.js';

/** What changedFields reports: upstream's Comparison, with Modified and Added together. */
export interface FieldChanges {
  /** Leaves set or changed, and maps, lists and list items that `after` has and `before` lacks. */
  readonly changed: FieldSet;
  /** Whatever `before` has and `after` lacks, maps and list items included (with all below them). */
  readonly removed: FieldSet;
}

/**
 * The fields that differ between two objects, as structured-merge-diff's typed Compare, which is what
 * an ordinary write (operation Update) comes to own: a map, list or list item present in `after` and
 * absent from `before` is itself in `changed` (printed `.` beside its children), one present in
 * `before` and absent from `after` in `removed`. `before` undefined is a create, compared against the
 * kind's Go zero value, which already has the fields marked inZeroValue (see patch-meta.ts): a
 * Deployment create owns f:labels and f:rollingUpdate as nodes, f:spec, f:strategy and f:template not.
 * metadata itself is never owned (upstream strips it), nor the fields the scope excludes.
 */
export function changedFields(before: JsonObject | undefined, after: JsonObject, root: ObjectType, scope: FieldScope): FieldChanges {
  const diff = new Differ();
  const lhs: JsonObject = before ?? {};
  for (const key in after) {
    if (!ownableTopLevel(key, scope)) continue;
    diff.field(lhs, after, key, fieldMetaOf(root, key), true, true);
  }
  if (before !== undefined) {
    for (const key in before) {
      if (!ownableTopLevel(key, scope) || Object.hasOwn(after, key)) continue;
      diff.field(before, after, key, fieldMetaOf(root, key), true, true);
    }
  }
  return { changed: diff.changed, removed: diff.removed };
}

function ownableTopLevel(key: string, scope: FieldScope): boolean {
  return key !== 'apiVersion' && key !== 'kind' && (key === 'status') === (scope === 'status');
}

/**
 * A field that exists as its zero value: the zero-value struct (or null) of a field the zero value
 * serialises, where the object holding it exists but does not spell it out.
 */
const ZERO: unique symbol = Symbol('zero value');
type Side = unknown;

/** Upstream's compare walk over two values of one field at a time; `path` is pushed and popped. */
class Differ {
  readonly changed = new FieldSet();
  readonly removed = new FieldSet();
  readonly #path: PathElement[] = [];

  /**
   * Compares field `key` of two maps. `lhsExists`/`rhsExists`: whether each map itself exists, so
   * a field the zero value serialises is there (as ZERO) even when not spelled out.
   */
  field(lhs: JsonObject | undefined, rhs: JsonObject | undefined, key: string, meta: FieldMeta | undefined, lhsExists: boolean, rhsExists: boolean): void {
    const present = meta?.inZeroValue === true;
    let l: Side = lhs !== undefined && Object.hasOwn(lhs, key) ? lhs[key] : undefined;
    let r: Side = rhs !== undefined && Object.hasOwn(rhs, key) ? rhs[key] : undefined;
    // An empty granular list sets nothing (Go's omitempty drops it before upstream compares).
    if (Array.isArray(l) && l.length === 0 && listKindOf(meta) !== 'atomic') l = undefined;
    if (Array.isArray(r) && r.length === 0 && listKindOf(meta) !== 'atomic') r = undefined;
    if (present) {
      if (l === undefined && lhsExists) l = ZERO;
      if (r === undefined && rhsExists) r = ZERO;
    }
    this.#path.push(`f:${key}`);
    if (key === 'metadata' && this.#path.length === 1) this.#metadata(l, r, meta);
    else this.#value(l, r, meta);
    this.#path.pop();
  }

  /** ObjectMeta: only its ownable fields, and never the metadata node itself. */
  #metadata(l: Side, r: Side, meta: FieldMeta | undefined): void {
    const lm = isJsonObject(l) ? l : undefined;
    const rm = isJsonObject(r) ? r : undefined;
    const type = meta?.type;
    if (rm !== undefined) {
      for (const key in rm) if (!UNOWNED_METADATA.has(key)) this.field(lm, rm, key, fieldMetaOf(type, key), l !== undefined, true);
    }
    if (lm !== undefined) {
      for (const key in lm) {
        if (UNOWNED_METADATA.has(key) || (rm !== undefined && Object.hasOwn(rm, key))) continue;
        this.field(lm, rm, key, fieldMetaOf(type, key), true, r !== undefined);
      }
    }
  }

  #value(l: Side, r: Side, meta: FieldMeta | undefined): void {
    const lk = shapeOf(l, meta);
    const rk = shapeOf(r, meta);
    if (lk === 'map' || rk === 'map' || lk === 'list' || rk === 'list') {
      const container: 'map' | 'list' = lk === 'map' || lk === 'list' ? lk : rk === 'map' ? 'map' : 'list';
      const otherShape = container === lk ? rk : lk;
      if (otherShape !== container && otherShape !== 'none' && otherShape !== 'empty') {
        // A map where a scalar (or list) was: the field itself changed, and what is below it came
        // or went with the container.
        this.changed.insert(this.#path);
        if (lk === 'map' || lk === 'list') this.#children(lk, l, undefined, meta, true, false);
        if (rk === 'map' || rk === 'list') this.#children(rk, undefined, r, meta, false, true);
        return;
      }
      if (l === undefined) this.changed.insert(this.#path);
      else if (r === undefined) this.removed.insert(this.#path);
      this.#children(container, l, r, meta, l !== undefined, r !== undefined);
      return;
    }
    // A leaf: a scalar, an atomic map or list, or an empty one (owned as one value).
    if (l === undefined) {
      if (r !== undefined) this.changed.insert(this.#path);
    } else if (r === undefined) {
      this.removed.insert(this.#path);
    } else if (!sameLeaf(l, r)) {
      this.changed.insert(this.#path);
    }
  }

  #children(shape: 'map' | 'list', l: Side, r: Side, meta: FieldMeta | undefined, lhsExists: boolean, rhsExists: boolean): void {
    if (shape === 'map') {
      const lm = isJsonObject(l) ? l : undefined;
      const rm = isJsonObject(r) ? r : undefined;
      const type = meta?.type;
      if (rm !== undefined) for (const key in rm) this.field(lm, rm, key, fieldMetaOf(type, key), lhsExists, rhsExists);
      if (lm !== undefined) {
        for (const key in lm) if (rm === undefined || !Object.hasOwn(rm, key)) this.field(lm, rm, key, fieldMetaOf(type, key), lhsExists, rhsExists);
      }
      return;
    }
    this.#items(Array.isArray(l) ? l : [], Array.isArray(r) ? r : [], meta);
  }

  /** Granular list items, matched by their path element (first occurrence wins, as upstream). */
  #items(lhs: readonly unknown[], rhs: readonly unknown[], meta: FieldMeta | undefined): void {
    const kind = listKindOf(meta);
    const lItems = new Map<PathElement, unknown>();
    lhs.forEach((item, i) => {
      const pe = itemElement(item, i, kind, meta);
      if (!lItems.has(pe)) lItems.set(pe, item);
    });
    const seen = new Set<PathElement>();
    rhs.forEach((item, i) => {
      const pe = itemElement(item, i, kind, meta);
      if (seen.has(pe)) return;
      seen.add(pe);
      this.#item(pe, lItems.get(pe), item, kind, meta);
    });
    for (const [pe, item] of lItems) if (!seen.has(pe)) this.#item(pe, item, undefined, kind, meta);
  }

  #item(pe: PathElement, l: unknown, r: unknown, kind: ListKind, meta: FieldMeta | undefined): void {
    this.#path.push(pe);
    // A keyed item is a map typed by the list's item type; set values and positional items are leaves.
    const keyed = kind === 'keyed' && pe.startsWith('k:');
    if (l === undefined) this.changed.insert(this.#path);
    else if (r === undefined) this.removed.insert(this.#path);
    else if (!keyed && !jsonEqual(l, r)) this.changed.insert(this.#path);
    if (keyed) {
      const lm = isJsonObject(l) ? l : undefined;
      const rm = isJsonObject(r) ? r : undefined;
      const type = meta?.type;
      if (rm !== undefined) for (const key in rm) this.field(lm, rm, key, fieldMetaOf(type, key), lm !== undefined, true);
      if (lm !== undefined) {
        for (const key in lm) if (rm === undefined || !Object.hasOwn(rm, key)) this.field(lm, rm, key, fieldMetaOf(type, key), true, rm !== undefined);
      }
    }
    this.#path.pop();
  }
}

type Shape = 'none' | 'empty' | 'map' | 'list' | 'leaf';

/**
 * How a value is compared: a non-empty granular map or list is walked; an empty one, null and
 * ZERO are 'empty' (present, with nothing below: a map or list may grow from it); absent is
 * 'none'; anything else is one leaf value. Where neither side is walked, an empty value is a leaf.
 */
function shapeOf(value: Side, meta: FieldMeta | undefined): Shape {
  if (value === undefined) return 'none';
  if (value === ZERO || value === null) return 'empty';
  if (Array.isArray(value)) {
    if (listKindOf(meta) === 'atomic') return 'leaf';
    return value.length === 0 ? 'empty' : 'list';
  }
  if (isJsonObject(value) && meta?.atomic !== true) {
    for (const _ in value) return 'map';
    return 'empty';
  }
  return 'leaf';
}

/** Leaf equality; the zero value equals an empty map, an empty list and null. */
function sameLeaf(l: Side, r: Side): boolean {
  if (l === ZERO || r === ZERO) return isEmptyValue(l) && isEmptyValue(r);
  return jsonEqual(l, r);
}

function isEmptyValue(value: Side): boolean {
  if (value === ZERO || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isJsonObject(value)) {
    for (const _ in value) return false;
    return true;
  }
  return false;
}
