// Which active pods a Job deletes when it has too many (upstream: activePodsForRemoval).
// An Indexed Job first drops pods that should not exist at all: pods without a valid index, pods
// whose index is >= completions, and all but the most advanced pod of a repeated index. Then, if
// that is not yet `atLeast` pods, the least advanced of the rest go, in upstream's
// controller.ActivePods order:
//   1. unscheduled before scheduled;   2. Pending < Unknown < Running;   3. not ready before ready;
//   4. both ready: ready more recently first;   5. more container restarts first;
//   6. created more recently first.
// Example (Indexed, completions 3): pods a(0), b(1, Pending), c(1, Running), d(5), atLeast 0 ->
// [d, b]: d is out of range, b repeats index 1 and is less advanced than c.
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { isPodReady, maxContainerRestarts, podCondition } from '../framework/pod-utils.js';
import { byCompletionIndex, completionIndexOf } from './completion-index.js';
import { indexedCompletions, isIndexed } from './job-spec.js';
import type { JobObject } from './job-types.js';

const PHASE_ORDINAL: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

export function activePodsForRemoval(job: JobObject, activePods: readonly Pod[], atLeast: number): Pod[] {
  let remove: Pod[] = [];
  let left: Pod[] = [...activePods];
  if (isIndexed(job)) ({ remove, left } = splitRedundantIndexPods(activePods, indexedCompletions(job)));
  if (remove.length < atLeast) remove = [...remove, ...left.sort(compareActivePods).slice(0, atLeast - remove.length)];
  return remove;
}

/** Pods with no index, an index out of range, or a repeated index (all but the most advanced one). */
function splitRedundantIndexPods(pods: readonly Pod[], completions: number): { remove: Pod[]; left: Pod[] } {
  const remove: Pod[] = [];
  const left: Pod[] = [];
  const byIndex = new Map<number, Pod[]>();
  for (const pod of [...pods].sort(byCompletionIndex)) {
    const index = completionIndexOf(pod);
    if (index === undefined || index >= completions) remove.push(pod);
    else byIndex.set(index, [...(byIndex.get(index) ?? []), pod]);
  }
  for (const group of byIndex.values()) {
    const ordered = group.sort(compareActivePods);
    remove.push(...ordered.slice(0, -1));
    left.push(...ordered.slice(-1));
  }
  return { remove, left };
}

function time(value: string | undefined): number | undefined {
  const parsed = value === undefined ? Number.NaN : Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** Later first, an unknown time before any known one (upstream: afterOrZero). */
function laterFirst(a: number | undefined, b: number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return b - a;
}

/** Negative when `a` is less advanced than `b` (it goes first). */
export function compareActivePods(a: Pod, b: Pod): number {
  const aScheduled = (a.spec?.nodeName ?? '') !== '';
  const bScheduled = (b.spec?.nodeName ?? '') !== '';
  if (aScheduled !== bScheduled) return aScheduled ? 1 : -1;
  const phase = (PHASE_ORDINAL[a.status?.phase ?? ''] ?? 0) - (PHASE_ORDINAL[b.status?.phase ?? ''] ?? 0);
  if (phase !== 0) return phase;
  const aReady = isPodReady(a);
  const bReady = isPodReady(b);
  if (aReady !== bReady) return aReady ? 1 : -1;
  if (aReady) {
    const readySince = laterFirst(time(podCondition(a, 'Ready')?.lastTransitionTime), time(podCondition(b, 'Ready')?.lastTransitionTime));
    if (readySince !== 0) return readySince;
  }
  const restarts = maxContainerRestarts(b) - maxContainerRestarts(a);
  if (restarts !== 0) return restarts;
  return laterFirst(time(a.metadata?.creationTimestamp), time(b.metadata?.creationTimestamp));
}
