// Sets of completion indexes as sorted, non-overlapping, non-adjacent intervals: the form of
// status.completedIndexes, status.failedIndexes and successPolicy's succeededIndexes.
//
// Text form: intervals separated by commas; an interval of one index is "3", of two "3,4" (upstream
// writes a pair as two singles), of three or more "3-5". Example: {1, 3, 4, 5, 7, 8} -> "1,3-5,7,8".

export interface IndexInterval {
  readonly first: number;
  readonly last: number;
}

export type IndexIntervals = readonly IndexInterval[];

export function totalIndexes(intervals: IndexIntervals): number {
  return intervals.reduce((sum, iv) => sum + iv.last - iv.first + 1, 0);
}

export function formatIndexIntervals(intervals: IndexIntervals): string {
  return intervals
    .map((iv) => (iv.last === iv.first ? `${iv.first}` : `${iv.first}${iv.last === iv.first + 1 ? ',' : '-'}${iv.last}`))
    .join(',');
}

/**
 * Parses the text form, keeping indexes below `completions` (upstream: parseIndexesFromString).
 * A piece that is not a number or range is skipped; parsing stops at the first interval starting
 * at or past `completions`; an interval reaching past it is cut. Adjacent pieces ("3,4") merge.
 * Example with completions 6: "0,2-3,4,9" -> [0-0, 2-4].
 */
export function parseIndexIntervals(text: string | undefined, completions: number): IndexInterval[] {
  const result: { first: number; last: number }[] = [];
  if (text === undefined || text === '') return result;
  for (const piece of text.split(',')) {
    const [firstText = '', lastText] = piece.split('-');
    const first = parseIndex(firstText);
    if (first === undefined) continue;
    if (first >= completions) break;
    let last = first;
    if (lastText !== undefined) {
      const parsed = parseIndex(lastText);
      if (parsed === undefined) continue;
      last = Math.min(parsed, completions - 1);
    }
    const previous = result.at(-1);
    if (previous !== undefined && previous.last === first - 1) previous.last = last;
    else result.push({ first, last });
  }
  return result;
}

function parseIndex(text: string): number | undefined {
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

/** The union of two interval lists (upstream: orderedIntervals.merge). */
export function mergeIndexIntervals(a: IndexIntervals, b: IndexIntervals): IndexInterval[] {
  const sorted = [...a, ...b].sort((x, y) => x.first - y.first);
  const result: { first: number; last: number }[] = [];
  for (const iv of sorted) {
    const previous = result.at(-1);
    if (previous === undefined || iv.first > previous.last + 1) result.push({ first: iv.first, last: iv.last });
    else previous.last = Math.max(previous.last, iv.last);
  }
  return result;
}

/** `intervals` plus the given indexes (any order, repeats allowed). */
export function withIndexes(intervals: IndexIntervals, indexes: Iterable<number>): IndexInterval[] {
  return mergeIndexIntervals(intervals, [...indexes].map((ix) => ({ first: ix, last: ix })));
}

export function hasIndex(intervals: IndexIntervals, index: number): boolean {
  let lo = 0;
  let hi = intervals.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((intervals[mid]?.last ?? -1) >= index) hi = mid;
    else lo = mid + 1;
  }
  const candidate = intervals[lo];
  return candidate !== undefined && candidate.first <= index;
}

/**
 * The first `count` indexes below `completions` that are in none of `taken`
 * (upstream: firstPendingIndexes). Example: completions 6, taken [0-1, 3-3] -> 2, 4, 5.
 */
export function firstFreeIndexes(taken: IndexIntervals, count: number, completions: number): number[] {
  const result: number[] = [];
  let candidate = 0;
  for (const iv of taken) {
    for (; candidate < completions && result.length < count && candidate < iv.first; candidate++) result.push(candidate);
    candidate = Math.max(candidate, iv.last + 1);
  }
  for (; candidate < completions && result.length < count; candidate++) result.push(candidate);
  return result;
}
