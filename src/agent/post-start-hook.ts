// A container's postStart hook, as kubelet's startContainer runs it: right after the container
// started, before anything else of the pod happens (the pod's sync waits for it, so the container
// is not reported Running and the next container does not start until the hook is done). When the
// hook fails: Event `FailedPostStartHook` (upstream words it "PostStartHook failed" and keeps the
// details out of the Event so that secrets in the output do not leak), the container is killed
// (Event `Killing` "FailedPostStartHook", preStop included) and the caller reports the details as
// the container's waiting reason `PostStartHookError`; it is then restarted per the restart policy.
import type { Container } from 'kubernetes-types/core/v1.js';
import type { EventRecorder } from '../client/events/event-recorder.js';
import type { Logger } from '../lib/logger.js';
import type { ContainerKiller } from './container-killer.js';
import { runLifecycleHandler } from './lifecycle-handler.js';
import type { PodObject } from './object-types.js';
import type { ContainerRuntime } from './runtime/runtime.js';

/**
 * Upstream gives exec hooks no deadline and cancels them when the pod is deleted. Our pod sync
 * cannot be cancelled, so a hook that never ends would hold the pod (its deletion too) forever:
 * exec and httpGet hooks get this deadline instead, and fail when they pass it.
 */
export const POST_START_TIMEOUT_SECONDS = 120;

export interface PostStartRequest {
  readonly pod: PodObject;
  readonly container: Container;
  readonly containerId: string;
  readonly podIP?: string;
  readonly hostIP: string;
}

export interface PostStartDeps {
  readonly runtime: ContainerRuntime;
  readonly recorder: EventRecorder;
  readonly killer: ContainerKiller;
  readonly logger: Logger;
}

export const POST_START_HOOK_ERROR = 'PostStartHookError';

/** Runs the hook if the container has one; on failure kills the container and returns the message. */
export async function runPostStartHook(deps: PostStartDeps, request: PostStartRequest): Promise<string | undefined> {
  const handler = request.container.lifecycle?.postStart;
  if (!handler) return undefined;
  const { pod, container, containerId } = request;
  const target = { pod, container, containerId, hostIP: request.hostIP, ...(request.podIP ? { podIP: request.podIP } : {}) };
  let failure: string | undefined;
  try {
    failure = await runLifecycleHandler({ runtime: deps.runtime, handler, target, timeoutSeconds: POST_START_TIMEOUT_SECONDS });
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  if (failure === undefined) return undefined;
  deps.logger.info({ pod: pod.metadata?.name, container: container.name }, 'postStart hook failed');
  deps.recorder.event(pod, 'Warning', 'FailedPostStartHook', 'PostStartHook failed');
  await deps.killer.kill({
    ...target, graceSeconds: pod.spec?.terminationGracePeriodSeconds ?? 30, message: 'FailedPostStartHook',
  });
  return failure;
}
