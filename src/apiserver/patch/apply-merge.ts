// How server-side apply combines the live object with an applied configuration (upstream's
// structured merge): maps merge field by field, keyed lists merge item by item, set lists take the
// union, atomic values (untagged lists, atomic structs, scalars) are replaced by the config's.
import { fieldMetaOf, type FieldMeta, type ObjectType } from '../../api/patch-meta.js';
import { cloneJson, isJsonObject, type JsonObject } from './json-value.js';
import { itemElement, listKindOf, type ListKind } from './object-fields.js';

/** `live` merged with `config`, as a new object. */
export function mergeApplied(live: JsonObject, config: JsonObject, type: ObjectType | undefined): JsonObject {
  const out = cloneJson(live);
  for (const [key, value] of Object.entries(config)) {
    // An explicit null in an applied config sets "no value": the field is owned and absent.
    if (value === null) delete out[key];
    else out[key] = mergeValue(out[key], value, fieldMetaOf(type, key));
  }
  return out;
}

function mergeValue(live: unknown, config: unknown, meta: FieldMeta | undefined): unknown {
  if (isJsonObject(live) && isJsonObject(config) && meta?.atomic !== true) return mergeApplied(live, config, meta?.type);
  const kind = listKindOf(meta);
  if (Array.isArray(live) && Array.isArray(config) && kind !== 'atomic') return mergeLists(live, config, kind, meta);
  return cloneJson(config);
}

/**
 * Item order follows upstream: items only the live list has keep their place; items both lists have
 * appear in the config's order; new config items come where the config puts them. Example: live
 * [a, x, b], config [b, a, c] -> [x, b, a, c].
 */
function mergeLists(live: unknown[], config: unknown[], kind: ListKind, meta: FieldMeta | undefined): unknown[] {
  const lhs = live.map((item, i) => itemElement(item, i, kind, meta));
  const rhs = config.map((item, i) => itemElement(item, i, kind, meta));
  const liveBy = firstBy(lhs, live);
  const configBy = firstBy(rhs, config);
  // Items are typed by the list's item type, carried in the list field's `type`.
  const itemMeta: FieldMeta | undefined = meta?.type === undefined ? undefined : { type: meta.type };
  const mergeItem = (pe: string): unknown => {
    const l = liveBy.get(pe);
    const r = configBy.get(pe);
    return l === undefined ? cloneJson(r) : mergeValue(l, r, itemMeta);
  };

  const shared = rhs.filter((pe) => liveBy.has(pe));
  let nextShared = shared.shift();
  const taken = new Set<string>();
  const out: unknown[] = [];
  let l = 0;
  let r = 0;
  while (l < lhs.length || r < rhs.length) {
    if (l < lhs.length && r < rhs.length) {
      const pe = lhs[l] as string;
      if (pe === rhs[r]) {
        taken.add(pe);
        out.push(mergeItem(pe));
        l++;
        r++;
        nextShared = shared.shift();
        continue;
      }
      // A shared item the config wants later: skip it here, it is emitted at the config's position.
      if (configBy.has(pe) && nextShared !== undefined && nextShared !== pe) {
        l++;
        continue;
      }
    }
    if (l < lhs.length) {
      const pe = lhs[l] as string;
      if (!configBy.has(pe)) {
        out.push(cloneJson(live[l]));
        l++;
        continue;
      }
      if (taken.has(pe)) l++;
    }
    if (r < rhs.length) {
      const pe = rhs[r] as string;
      taken.add(pe);
      out.push(mergeItem(pe));
      r++;
      if (nextShared === pe) nextShared = shared.shift();
    }
  }
  return out;
}

function firstBy(elements: readonly string[], items: readonly unknown[]): Map<string, unknown> {
  const map = new Map<string, unknown>();
  elements.forEach((pe, i) => {
    if (!map.has(pe)) map.set(pe, items[i]);
  });
  return map;
}
