// A pod's completion index and, with backoffLimitPerIndex, its index's failure counts, as read
// from the pod's annotations (upstream: indexed_job_utils.go).
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { JOB_COMPLETION_INDEX, JOB_INDEX_FAILURE_COUNT, JOB_INDEX_IGNORED_FAILURE_COUNT } from './job-types.js';

const MAX_INT32 = 2_147_483_647;

/** The pod's index, or undefined when the annotation is missing or not a non-negative integer. */
export function completionIndexOf(pod: Pod): number | undefined {
  const value = pod.metadata?.annotations?.[JOB_COMPLETION_INDEX];
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  const index = Number(value);
  return Number.isSafeInteger(index) ? index : undefined;
}

/** The index if it is one of the Job's, 0 <= index < completions. */
export function validIndexOf(pod: Pod, completions: number): number | undefined {
  const index = completionIndexOf(pod);
  return index !== undefined && index < completions ? index : undefined;
}

/** The distinct indexes of `pods` (pods without one are skipped). */
export function indexesOf(pods: readonly Pod[]): Set<number> {
  const result = new Set<number>();
  for (const pod of pods) {
    const index = completionIndexOf(pod);
    if (index !== undefined) result.add(index);
  }
  return result;
}

/** Orders pods by index, pods without one first (upstream: byCompletionIndex). */
export function byCompletionIndex(a: Pod, b: Pod): number {
  return (completionIndexOf(a) ?? -1) - (completionIndexOf(b) ?? -1);
}

/** A counter annotation; absent, malformed or out of int32 range reads as 0, as upstream. */
function counterAnnotation(pod: Pod, name: string): number {
  const value = pod.metadata?.annotations?.[name];
  if (value === undefined || !/^\d+$/.test(value)) return 0;
  const count = Number(value);
  return count <= MAX_INT32 ? count : 0;
}

/** Failures of this pod's index before it that counted against backoffLimitPerIndex. */
export function indexFailureCount(pod: Pod): number {
  return counterAnnotation(pod, JOB_INDEX_FAILURE_COUNT);
}

/** All failures of this pod's index before it, ignored ones included (they still back off). */
export function indexAbsoluteFailureCount(pod: Pod): number {
  return counterAnnotation(pod, JOB_INDEX_FAILURE_COUNT) + counterAnnotation(pod, JOB_INDEX_IGNORED_FAILURE_COUNT);
}

export function indexIgnoredFailureCount(pod: Pod): number {
  return counterAnnotation(pod, JOB_INDEX_IGNORED_FAILURE_COUNT);
}
