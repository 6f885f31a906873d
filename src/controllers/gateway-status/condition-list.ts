// Writes a set of desired conditions over the ones already in a status, the way upstream's
// meta.SetStatusCondition does: lastTransitionTime only moves when a condition's status changes,
// so rewriting the same status is a no-op the reconciler can detect and skip.
import type { Condition } from 'kubernetes-types/meta/v1.js';

export interface DesiredCondition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message: string;
}

/**
 * The conditions to store: `desired` in order, each keeping the old lastTransitionTime when its
 * status is unchanged; other condition types in `existing` are dropped (this controller owns
 * the whole list it writes).
 */
export function mergeConditions(
  existing: readonly Condition[] | undefined, desired: readonly DesiredCondition[], generation: number | undefined, now: string,
): Condition[] {
  return desired.map((d) => {
    const old = existing?.find((c) => c.type === d.type);
    const since = old !== undefined && old.status === d.status ? old.lastTransitionTime : now;
    const condition: Condition = { type: d.type, status: d.status, reason: d.reason, message: d.message, lastTransitionTime: since };
    if (generation !== undefined) condition.observedGeneration = generation;
    return condition;
  });
}
