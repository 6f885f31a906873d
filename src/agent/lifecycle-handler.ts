// Runs one lifecycle hook handler (postStart or preStop: exec, httpGet or sleep), as kubelet's
// handlerRunner does, and words a failure the way upstream does, because the message ends up in
// `kubectl describe` (an Event for preStop, the container's waiting message for postStart).
import type { Container, LifecycleHandler } from 'kubernetes-types/core/v1.js';
import type { PodObject } from './object-types.js';
import { runHttpProbe } from './probes/http-probe.js';
import type { ContainerRuntime } from './runtime/runtime.js';

export interface HandlerTarget {
  readonly container: Container;
  readonly containerId: string;
  readonly pod: PodObject;
  readonly podIP?: string;
  readonly hostIP: string;
}

/** The User-Agent of httpGet hooks, as upstream's handler runner sends it (probes send kube-probe/...). */
export const LIFECYCLE_USER_AGENT = 'kube-lifecycle/1.32';

/** undefined: the handler succeeded; else upstream's failure message. */
export type HandlerFailure = string | undefined;

export interface RunHandlerOptions {
  readonly runtime: ContainerRuntime;
  readonly handler: LifecycleHandler;
  readonly target: HandlerTarget;
  /** Deadline for exec and httpGet; a sleep is cut to it too. */
  readonly timeoutSeconds: number;
}

/** `name_namespace(uid)`: upstream's format.Pod, how kubelet names a pod in messages. */
export function podRef(pod: PodObject): string {
  return `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? ''}(${pod.metadata?.uid ?? ''})`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function runLifecycleHandler(options: RunHandlerOptions): Promise<HandlerFailure> {
  const { runtime, handler, target, timeoutSeconds } = options;
  const who = `for Container ${JSON.stringify(target.container.name)} in Pod ${JSON.stringify(podRef(target.pod))}`;
  if (handler.exec) {
    const command = handler.exec.command ?? [];
    // Go prints a []string as `[a b c]`; CRI's ExecSync error reads "command 'a b c' exited with N: <stderr>".
    const head = `Exec lifecycle hook ([${command.join(' ')}]) ${who} failed - error: `;
    try {
      const result = await runtime.execSync(target.containerId, command, timeoutSeconds);
      if (result.exitCode === 0) return undefined;
      const error = `command '${command.join(' ')}' exited with ${result.exitCode}: ${result.stderr}`;
      return `${head}${error}, message: ${JSON.stringify(result.stdout + result.stderr)}`;
    } catch (error) {
      return `${head}${messageOf(error)}, message: ""`;
    }
  }
  if (handler.httpGet) {
    const run = await runHttpProbe(handler.httpGet, {
      container: target.container, containerId: target.containerId, hostIP: target.hostIP,
      ...(target.podIP ? { podIP: target.podIP } : {}),
    }, timeoutSeconds, LIFECYCLE_USER_AGENT);
    // Upstream's hook only fails when no response came: any status code counts as done.
    if (run.result === 'success' || run.statusCode !== undefined) return undefined;
    return `HTTP lifecycle hook (${handler.httpGet.path ?? ''}) ${who} failed - error: ${run.output}`;
  }
  if (handler.sleep) {
    const ms = Math.min(handler.sleep.seconds, timeoutSeconds) * 1000;
    await new Promise((resolve) => setTimeout(resolve, ms));
  }
  return undefined;
}
