// The pod phase, as upstream kubelet's getPhase computes it with sidecars (restartable init
// containers) in the picture: a running sidecar counts as running (so a Job-like pod is still
// Running while its sidecar runs: the agent stops the sidecar, then the pod Succeeded); a stopped
// sidecar counts neither as running nor as stopped; a sidecar that has not started yet keeps the
// pod Pending unless an app container already ran (a sidecar restarting after initialization
// does not send the pod back to Pending).
import type { ContainerStatus } from 'kubernetes-types/core/v1.js';
import type { PodObject } from './object-types.js';
import { isSidecar } from './sidecar-plan.js';

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

interface Counts {
  unknown: number;
  running: number;
  waiting: number;
  stopped: number;
  succeeded: number;
}

/** Upstream's HasAnyRegularContainerStarted. */
export function anyAppContainerStarted(app: readonly ContainerStatus[]): boolean {
  return app.some((s) => s.state?.running !== undefined || s.state?.terminated !== undefined);
}

function countApp(pod: PodObject, app: readonly ContainerStatus[], counts: Counts): void {
  for (const container of pod.spec?.containers ?? []) {
    const status = app.find((s) => s.name === container.name);
    if (!status) counts.unknown++;
    else if (status.state?.running) counts.running++;
    else if (status.state?.terminated) {
      counts.stopped++;
      if (status.state.terminated.exitCode === 0) counts.succeeded++;
    } else if (status.state?.waiting) {
      if (status.lastState?.terminated) counts.stopped++;
      else counts.waiting++;
    } else counts.unknown++;
  }
}

export function computePhase(pod: PodObject, init: readonly ContainerStatus[], app: readonly ContainerStatus[], terminating: boolean): PodPhase {
  const restartPolicy = pod.spec?.restartPolicy ?? 'Always';
  const sidecarNames = new Set((pod.spec?.initContainers ?? []).filter(isSidecar).map((c) => c.name));
  const counts: Counts = { unknown: 0, running: 0, waiting: 0, stopped: 0, succeeded: 0 };
  let pendingInit = 0;
  let pendingSidecars = 0;
  let failedInit = 0;
  for (const status of init) {
    const { state, lastState } = status;
    if (sidecarNames.has(status.name)) {
      if (state?.running) {
        if (status.started !== true) pendingSidecars++;
        counts.running++;
      } else if (state?.terminated) {
        // Neither running nor stopped: a sidecar ends when the pod does.
      } else if (!lastState?.terminated) {
        pendingSidecars++;
        counts.waiting++;
      }
    } else if (state?.terminated) {
      if (state.terminated.exitCode !== 0) failedInit++;
    } else if (state?.waiting && lastState?.terminated) {
      if (lastState.terminated.exitCode !== 0) failedInit++;
    } else {
      pendingInit++;
    }
  }
  for (const name of sidecarNames) if (!init.some((s) => s.name === name)) counts.unknown++;
  countApp(pod, app, counts);
  const { unknown, running, waiting, stopped, succeeded } = counts;
  if (failedInit > 0 && restartPolicy === 'Never') return 'Failed';
  if (pendingInit > 0 || (pendingSidecars > 0 && !anyAppContainerStarted(app)) || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (terminating) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}
