// Which of a pod's containers may run, with native sidecars (KEP-753): an init container with
// `restartPolicy: Always` is a sidecar. Init containers go in order; a regular one must exit 0
// before the next starts, a sidecar only has to be *started* (running, and past its startupProbe
// if it has one) and keeps running beside the app containers. A sidecar is restarted whenever it
// exits, whatever the pod's restartPolicy. Once the pod is initialized (an app container ran in
// the current sandbox), regular init containers never run again and sidecars gate nothing.
// A pod whose app containers are all done for good (restartPolicy Never/OnFailure: a Job's pod)
// is finished even though its sidecars still run: they are stopped, not restarted.
import type { Container } from 'kubernetes-types/core/v1.js';
import type { PodObject } from './object-types.js';

/** What the plan needs to know of a container's newest attempt. */
export interface AttemptView {
  readonly state: 'created' | 'running' | 'exited' | 'unknown';
  readonly exitCode?: number;
  readonly sandboxId: string;
}

export type CurrentAttempt = (name: string) => AttemptView | undefined;

export function isSidecar(container: Container): boolean {
  return container.restartPolicy === 'Always';
}

/** Whether an exited container is started again: sidecars always, others by the pod's restartPolicy. */
export function shouldRestart(pod: PodObject, container: Container, exitCode: number | undefined): boolean {
  if (isSidecar(container)) return true;
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (policy === 'Always') return true;
  if (policy === 'OnFailure') return exitCode !== 0;
  return false;
}

/** An app container has run in the current sandbox: init containers are behind us. */
export function isInitialized(pod: PodObject, current: CurrentAttempt, sandboxId: string | undefined): boolean {
  if (sandboxId === undefined) return false;
  return (pod.spec?.containers ?? []).some((c) => current(c.name)?.sandboxId === sandboxId);
}

/**
 * Nothing of the pod will run again (upstream's KillPod with no container to start): every app
 * container exited and will not restart, or (Never) a regular init container failed. Its sidecars
 * are then stopped. Never true for restartPolicy Always.
 */
export function isPodDone(pod: PodObject, current: CurrentAttempt): boolean {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (policy === 'Always') return false;
  if (policy === 'Never') {
    const failedInit = (pod.spec?.initContainers ?? []).some((c) => {
      const attempt = current(c.name);
      return !isSidecar(c) && attempt?.state === 'exited' && attempt.exitCode !== 0;
    });
    if (failedInit) return true;
  }
  const containers = pod.spec?.containers ?? [];
  return containers.length > 0 && containers.every((c) => {
    const attempt = current(c.name);
    return attempt?.state === 'exited' && !shouldRestart(pod, c, attempt.exitCode);
  });
}

/** A regular init container that finished its job (exit 0) is never run again. */
export function initCompleted(container: Container, attempt: AttemptView | undefined): boolean {
  return !isSidecar(container) && attempt?.state === 'exited' && attempt.exitCode === 0;
}
