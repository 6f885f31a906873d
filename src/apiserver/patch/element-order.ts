// Ordering rules of strategic-merge list merges, following upstream's `$setElementOrder` design
// (k8s design proposal "preserve order in strategic merge patch"): the order the patch asks for wins,
// then the order of the live list. Worked example: live [a, s, b], `$setElementOrder` [b, a], and s
// exists only on the server. The patch items are sorted to [b, a]; s is then slotted in before the
// first patch item it preceded in the live list (s at 1 < b at 2), giving [s, b, a].
import { PatchError } from './patch-error.js';

/** Identity of a list item: the merge-key value for maps, the item itself for primitives. */
export type ItemKey = (item: unknown) => unknown;

export interface OrderInput {
  /** Merged items that the patch (or its `$setElementOrder` list) names. */
  readonly patchItems: readonly unknown[];
  /** Merged items only the live object has. */
  readonly serverOnly: readonly unknown[];
  /** The order the patch asks for. */
  readonly patchOrder: readonly unknown[];
  /** The live list before the patch. */
  readonly serverOrder: readonly unknown[];
  readonly keyOf: ItemKey;
}

/** Splits `items` into those named by `by` (same key) and the rest, keeping relative order. */
export function partitionByPresence(items: readonly unknown[], by: readonly unknown[], keyOf: ItemKey): [unknown[], unknown[]] {
  const named = new Set(by.map(keyOf));
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const item of items) (named.has(keyOf(item)) ? inPatch : serverOnly).push(item);
  return [inPatch, serverOnly];
}

/** The final order of a merged list. */
export function orderMergedList(input: OrderInput): unknown[] {
  const { keyOf } = input;
  const position = (list: readonly unknown[], item: unknown): number => {
    const key = keyOf(item);
    return list.findIndex((x) => keyOf(x) === key);
  };
  const sortBy = (items: readonly unknown[], order: readonly unknown[]): unknown[] =>
    [...items].sort((a, b) => {
      const ia = position(order, a);
      const ib = position(order, b);
      return ia >= 0 && ib >= 0 ? ia - ib : 0;
    });
  const right = sortBy(input.patchItems, input.patchOrder);
  const left = sortBy(input.serverOnly, input.serverOrder);

  // Interleave: a server-only item goes before the next patch item only when the live list has both
  // and had the server-only item first; otherwise patch items come first. Relative orders are kept.
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (j >= right.length) {
      out.push(left[i++]);
    } else if (i >= left.length) {
      out.push(right[j++]);
    } else {
      const li = position(input.serverOrder, left[i]);
      const ri = position(input.serverOrder, right[j]);
      out.push(li >= 0 && ri >= 0 && li < ri ? left[i++] : right[j++]);
    }
  }
  return out;
}

/**
 * Upstream rejects a patch list whose items are not a subsequence of its `$setElementOrder` list
 * (deletions and other directive items are ignored): that patch was not produced by kubectl's diff.
 */
export function checkPatchAgainstOrder(patchList: readonly unknown[], order: readonly unknown[], keyOf: ItemKey, listName: string): void {
  const items = patchList.filter((item) => !(typeof item === 'object' && item !== null && Object.hasOwn(item, '$patch')));
  let p = 0;
  for (let o = 0; p < items.length && o < order.length; o++) {
    if (keyOf(items[p]) === keyOf(order[o])) p++;
  }
  if (p < items.length) {
    throw new PatchError(`the order in patch list ${listName} doesn't match its $setElementOrder list`);
  }
}
