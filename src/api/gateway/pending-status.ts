// The status the Gateway API CRDs default before any controller has looked at an object: each
// listed condition Unknown/Pending "Waiting for controller" at the epoch. `kubectl get gateway`
// right after create shows PROGRAMMED Unknown because of this.
import type { JsonRecord } from '../validation/json-access.js';
import { ensureRecord, isRecord } from '../validation/json-access.js';

const EPOCH = '1970-01-01T00:00:00Z';

/** Fills status.conditions when absent (as the CRD's `default:` does), leaving any written status alone. */
export function defaultPendingConditions(obj: JsonRecord, types: readonly string[]): void {
  if (obj.status !== undefined && obj.status !== null && !isRecord(obj.status)) return;
  const status = ensureRecord(obj, 'status');
  if (status.conditions !== undefined && status.conditions !== null) return;
  status.conditions = types.map((type) => ({
    type, status: 'Unknown', reason: 'Pending', message: 'Waiting for controller', lastTransitionTime: EPOCH,
  }));
}
