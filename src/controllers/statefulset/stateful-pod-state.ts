// How the StatefulSet controller judges one pod (upstream: stateful_set_utils.go). "Healthy" is
// upstream's word for Running, Ready and not terminating; minReadySeconds is a separate, stricter
// test ("available") that ordered creation and scale-down wait for, but the rolling update does not.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../framework/controller-history.js';
import { isPodAvailable, isPodReady } from '../framework/pod-utils.js';

/** The API server has the pod (it has a phase); a member still to be created has none. */
export function isCreated(pod: Pod): boolean {
  return (pod.status?.phase ?? '') !== '';
}

/**
 * Failed or Succeeded: its containers will not run again, so the member is deleted and recreated.
 * Succeeded counts too: an evicted or node-rebooted pod's final phase comes from its exit codes.
 */
export function isFinished(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Failed' || phase === 'Succeeded';
}

export function isTerminating(pod: Pod): boolean {
  return pod.metadata?.deletionTimestamp !== undefined;
}

export function isRunningAndReady(pod: Pod): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod);
}

/** Ready for more than minReadySeconds (upstream: podutil.IsPodAvailable at now). */
export function isRunningAndAvailable(pod: Pod, minReadySeconds: number, now: Date): boolean {
  return isPodAvailable(pod, minReadySeconds, now);
}

export function isHealthy(pod: Pod): boolean {
  return isRunningAndReady(pod) && !isTerminating(pod);
}

/** The ControllerRevision the pod was made from ('' for none). */
export function podRevision(pod: Pod): string {
  return pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';
}
