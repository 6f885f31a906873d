// The deletion conditions upstream's namespace controller keeps on a Terminating namespace
// (`kubectl describe namespace` shows them). Reasons and messages are upstream's.
import type { NamespaceCondition } from 'kubernetes-types/core/v1.js';

/** What one content-removal pass found. */
export interface ContentReport {
  /** `pods` / `replicasets.apps` -> instances still present. */
  readonly remaining: ReadonlyMap<string, number>;
  /** finalizer -> instances still carrying it. */
  readonly finalizers: ReadonlyMap<string, number>;
  /** Delete errors, as messages. */
  readonly failures: readonly string[];
}

function condition(type: string, failed: boolean, reason: string, message: string): Omit<NamespaceCondition, 'lastTransitionTime'> {
  return { type, status: failed ? 'True' : 'False', reason, message };
}

function listing(counts: ReadonlyMap<string, number>, format: (key: string, n: number) => string): string {
  return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => format(k, n)).join(', ');
}

/** The five deletion conditions for a report (without lastTransitionTime). */
export function deletionConditions(report: ContentReport): Omit<NamespaceCondition, 'lastTransitionTime'>[] {
  const remaining = report.remaining.size > 0;
  const finalizers = report.finalizers.size > 0;
  const failed = report.failures.length > 0;
  return [
    condition('NamespaceDeletionDiscoveryFailure', false, 'ResourcesDiscovered', 'All resources successfully discovered'),
    condition('NamespaceDeletionGroupVersionParsingFailure', false, 'ParsedGroupVersions', 'All legacy kube types successfully parsed'),
    failed
      ? condition('NamespaceDeletionContentFailure', true, 'ContentDeletionFailed', `Failed to delete all resource types, ${report.failures.length} remaining: ${report.failures.join(', ')}`)
      : condition('NamespaceDeletionContentFailure', false, 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'),
    remaining
      ? condition('NamespaceContentRemaining', true, 'SomeResourcesRemain', `Some resources are remaining: ${listing(report.remaining, (k, n) => `${k} has ${n} resource instances`)}`)
      : condition('NamespaceContentRemaining', false, 'ContentRemoved', 'All content successfully removed'),
    finalizers
      ? condition('NamespaceFinalizersRemaining', true, 'SomeFinalizersRemain', `Some content in the namespace has finalizers remaining: ${listing(report.finalizers, (k, n) => `${k} in ${n} resource instances`)}`)
      : condition('NamespaceFinalizersRemaining', false, 'ContentHasNoFinalizers', 'All content-preserving finalizers finished'),
  ];
}

/**
 * Merges `wanted` into `current`: a condition keeps its lastTransitionTime unless its status
 * changes. Returns undefined when nothing would change.
 */
export function mergeConditions(current: readonly NamespaceCondition[], wanted: readonly Omit<NamespaceCondition, 'lastTransitionTime'>[], now: string): NamespaceCondition[] | undefined {
  let changed = false;
  const next = [...current];
  for (const want of wanted) {
    const index = next.findIndex((c) => c.type === want.type);
    const old = index >= 0 ? next[index] : undefined;
    if (old !== undefined && old.status === want.status && old.reason === want.reason && old.message === want.message) continue;
    changed = true;
    const lastTransitionTime = old !== undefined && old.status === want.status && old.lastTransitionTime !== undefined ? old.lastTransitionTime : now;
    const merged: NamespaceCondition = { ...want, lastTransitionTime };
    if (index >= 0) next[index] = merged;
    else next.push(merged);
  }
  return changed ? next : undefined;
}
