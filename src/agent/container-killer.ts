// Stopping one container the way kubelet's killContainer does: Event `Killing`, the preStop hook
// (exec, httpGet or sleep) inside the grace period, then the runtime's SIGTERM ... SIGKILL with
// what is left of the grace period (at least 2 s after a preStop hook, as upstream).
import type { Container } from 'kubernetes-types/core/v1.js';
import type { PodObject } from './object-types.js';
import type { EventRecorder } from '../client/events/event-recorder.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { runHttpProbe } from './probes/http-probe.js';
import type { ContainerRuntime } from './runtime/runtime.js';

const MIN_GRACE_AFTER_HOOK_SECONDS = 2;

export interface KillRequest {
  readonly pod: PodObject;
  readonly container: Container;
  readonly containerId: string;
  readonly graceSeconds: number;
  /** The `Killing` Event's message. */
  readonly message: string;
  readonly podIP?: string;
  readonly hostIP: string;
}

export interface ContainerKillerOptions {
  readonly runtime: ContainerRuntime;
  readonly recorder: EventRecorder;
  readonly clock: Clock;
  readonly logger: Logger;
}

export class ContainerKiller {
  private readonly options: ContainerKillerOptions;

  constructor(options: ContainerKillerOptions) {
    this.options = options;
  }

  async kill(request: KillRequest): Promise<void> {
    const { runtime, recorder, clock } = this.options;
    recorder.event(request.pod, 'Normal', 'Killing', request.message);
    const started = clock.now().getTime();
    let grace = Math.max(request.graceSeconds, 0);
    const preStop = request.container.lifecycle?.preStop;
    if (preStop && grace > 0) {
      const failure = await this.runPreStop(request, grace);
      if (failure !== undefined) {
        recorder.event(request.pod, 'Warning', 'FailedPreStopHook', `PreStopHook failed: ${failure}`);
      }
      const elapsed = Math.floor((clock.now().getTime() - started) / 1000);
      grace = Math.max(grace - elapsed, MIN_GRACE_AFTER_HOOK_SECONDS);
    }
    await runtime.stopContainer(request.containerId, grace);
  }

  /** Returns a failure description, or undefined when the hook succeeded. */
  private async runPreStop(request: KillRequest, graceSeconds: number): Promise<string | undefined> {
    const hook = request.container.lifecycle?.preStop;
    try {
      if (hook?.exec) {
        const result = await this.options.runtime.execSync(request.containerId, hook.exec.command ?? [], graceSeconds);
        return result.exitCode === 0 ? undefined : `command exited with ${result.exitCode}: ${result.stdout}${result.stderr}`;
      }
      if (hook?.httpGet) {
        const run = await runHttpProbe(hook.httpGet, {
          container: request.container, containerId: request.containerId, hostIP: request.hostIP,
          ...(request.podIP ? { podIP: request.podIP } : {}),
        }, graceSeconds);
        return run.result === 'success' ? undefined : run.output;
      }
      if (hook?.sleep) {
        const ms = Math.min(hook.sleep.seconds, graceSeconds) * 1000;
        await new Promise((resolve) => setTimeout(resolve, ms));
      }
      return undefined;
    } catch (error) {
      this.options.logger.debug({ err: error, container: request.container.name }, 'preStop hook failed');
      return error instanceof Error ? error.message : String(error);
    }
  }
}
