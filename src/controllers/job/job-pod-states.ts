// How the Job controller classifies its pods beyond framework/pod-utils (active, terminal).
import { podCondition, isPodTerminal } from '../framework/pod-utils.js';
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { onlyReplaceFailedPods } from './job-spec.js';
import type { JobObject } from './job-types.js';

/** Being deleted but still running (upstream: controller.isPodTerminating). */
export function isPodTerminating(pod: Pod): boolean {
  return pod.metadata?.deletionTimestamp !== undefined && !isPodTerminal(pod);
}

/**
 * Whether the Job counts `pod` as failed (upstream: isPodFailed). Phase Failed always; a pod
 * being deleted before it succeeded too, unless the Job replaces only failed pods (then it waits
 * for the pod's real end). The second rule is what lets an orphaned pod the pod GC deletes, which
 * never reaches a terminal phase, still count as a failure.
 */
export function isPodFailedForJob(pod: Pod, job: JobObject): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return pod.metadata?.deletionTimestamp !== undefined && pod.status?.phase !== 'Succeeded';
}

function parsedTime(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

/**
 * When the pod finished, in epoch ms (upstream: getFinishedTime), first of:
 *   1. the latest finishedAt, when every container has terminated;
 *   2. the Ready=False condition's transition (kubelet sets it on the way to a terminal phase);
 *   3. deletionTimestamp minus the grace period (a pod deleted by the pod GC);
 *   4. creationTimestamp.
 */
export function podFinishedTime(pod: Pod): number {
  return finishTimeFromContainers(pod) ?? readyFalseSince(pod) ?? deletionStart(pod) ?? parsedTime(pod.metadata?.creationTimestamp) ?? 0;
}

function finishTimeFromContainers(pod: Pod): number | undefined {
  let latest: number | undefined;
  for (const status of pod.status?.containerStatuses ?? []) {
    const finishedAt = parsedTime(status.state?.terminated?.finishedAt);
    if (finishedAt === undefined) return undefined;
    latest = Math.max(latest ?? finishedAt, finishedAt);
  }
  return latest;
}

function readyFalseSince(pod: Pod): number | undefined {
  const ready = podCondition(pod, 'Ready');
  return ready?.status === 'False' ? parsedTime(ready.lastTransitionTime) : undefined;
}

function deletionStart(pod: Pod): number | undefined {
  const deletedAt = parsedTime(pod.metadata?.deletionTimestamp);
  return deletedAt === undefined ? undefined : deletedAt - (pod.metadata?.deletionGracePeriodSeconds ?? 0) * 1000;
}
