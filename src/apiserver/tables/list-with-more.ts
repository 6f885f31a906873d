// Upstream's "first three, then `+ N more...`" rule for list cells (ENDPOINTS, PORTS).

export const LIST_CELL_MAX = 3;

/**
 * Joins the first `LIST_CELL_MAX` items and, when `total` exceeds them, appends ` + N more...`.
 * `empty` is what an empty list prints as (`<unset>` for EndpointSlices).
 */
export function listWithMore(items: readonly string[], total: number, empty: string): string {
  const shown = items.slice(0, LIST_CELL_MAX).join(',');
  if (total > LIST_CELL_MAX) return `${shown} + ${total - LIST_CELL_MAX} more...`;
  return shown === '' ? empty : shown;
}
