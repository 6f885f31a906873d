// A CRD printer column `.status.conditions[?(@.type=="X")].status`: the status of condition X, or
// null (an empty cell, as upstream's CRD table convertor leaves it) when there is none.
import { recordOf, recordsOf } from '../../api/validation/json-access.js';

export function conditionStatusCell(obj: unknown, type: string): string | null {
  const condition = recordsOf(recordOf(recordOf(obj)?.status)?.conditions).find((c) => c.type === type);
  return typeof condition?.status === 'string' ? condition.status : null;
}
