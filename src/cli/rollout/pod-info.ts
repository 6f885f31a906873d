// One pod line of `k8ts rollout get`: the status word kubectl prints in its STATUS column
// (`Running`, `ContainerCreating`, `CrashLoopBackOff`, `Init:0/1`, `Terminating`...), ready
// containers over all containers, and restarts, as the Argo Rollouts plugin computes them.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { ICON } from './status-icons.js';

export interface PodInfo {
  readonly name: string;
  readonly status: string;
  readonly icon: string;
  /** `1/1` */
  readonly ready: string;
  readonly restarts: number;
  readonly createdAt: string | undefined;
}

/** The init phase's word, or undefined once every init container has finished. */
function initStatus(pod: Pod): { reason: string; restarts: number } | undefined {
  const statuses = pod.status?.initContainerStatuses ?? [];
  const total = pod.spec?.initContainers?.length ?? 0;
  let restarts = 0;
  for (const [index, container] of statuses.entries()) {
    restarts += container.restartCount;
    const terminated = container.state?.terminated;
    if (terminated?.exitCode === 0) continue;
    if (terminated) {
      if (terminated.reason) return { reason: `Init:${terminated.reason}`, restarts };
      const signal = terminated.signal ?? 0;
      return { reason: signal !== 0 ? `Init:Signal:${signal}` : `Init:ExitCode:${terminated.exitCode}`, restarts };
    }
    const waiting = container.state?.waiting?.reason;
    if (waiting && waiting !== 'PodInitializing') return { reason: `Init:${waiting}`, restarts };
    return { reason: `Init:${index}/${total}`, restarts };
  }
  return undefined;
}

export function podInfo(pod: Pod): PodInfo {
  const total = pod.spec?.containers.length ?? 0;
  let reason = pod.status?.reason ?? pod.status?.phase ?? 'Unknown';
  let ready = 0;
  let restarts = 0;
  const init = initStatus(pod);
  if (init) {
    reason = init.reason;
    restarts = init.restarts;
  } else {
    let running = false;
    // Last container first, so the first container's word wins, as kubectl prints it.
    for (const container of [...(pod.status?.containerStatuses ?? [])].reverse()) {
      restarts += container.restartCount;
      const state = container.state;
      if (state?.waiting?.reason) reason = state.waiting.reason;
      else if (state?.terminated?.reason) reason = state.terminated.reason;
      else if (state?.terminated) {
        const signal = state.terminated.signal ?? 0;
        reason = signal !== 0 ? `Signal:${signal}` : `ExitCode:${state.terminated.exitCode}`;
      } else if (container.ready && state?.running) {
        running = true;
        ready += 1;
      }
    }
    if (reason === 'Completed' && running) reason = 'Running';
  }
  if (pod.metadata?.deletionTimestamp) reason = pod.status?.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return {
    name: pod.metadata?.name ?? '',
    status: reason,
    icon: podIcon(reason),
    ready: `${ready}/${total}`,
    restarts,
    createdAt: pod.metadata?.creationTimestamp,
  };
}

export function podIcon(status: string): string {
  if (status.startsWith('Init:')) return ICON.progressing;
  if (status.startsWith('Signal:') || status.startsWith('ExitCode:')) return ICON.bad;
  if (status.endsWith('Error') || status.startsWith('Err')) return ICON.warning;
  switch (status) {
    case 'Pending':
    case 'Terminating':
    case 'ContainerCreating':
      return ICON.progressing;
    case 'Running':
    case 'Completed':
      return ICON.ok;
    case 'Failed':
    case 'InvalidImageName':
    case 'CrashLoopBackOff':
      return ICON.bad;
    case 'ImagePullBackOff':
    case 'RegistryUnavailable':
      return ICON.warning;
    case 'Unknown':
      return ICON.unknown;
    default:
      return ' ';
  }
}
