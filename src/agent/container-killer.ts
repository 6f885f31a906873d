// Stopping one container the way kubelet's killContainer does: Event `Killing`, the preStop hook
// (exec, httpGet or sleep) inside the grace period, then (pod termination with sidecars) waiting
// for the container's turn, then the runtime's SIGTERM ... SIGKILL with what is left of the grace
// period (at least 2 s after a hook or a wait, as upstream).
import type { Container } from 'kubernetes-types/core/v1.js';
import type { PodObject } from './object-types.js';
import type { EventRecorder } from '../client/events/event-recorder.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { runLifecycleHandler } from './lifecycle-handler.js';
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
  /**
   * Resolves when this container may be stopped (sidecars go after the main containers, in reverse
   * order); given the grace left, it must not wait longer than that.
   */
  readonly waitForTurn?: (graceSeconds: number) => Promise<void>;
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
    const initialGrace = Math.max(request.graceSeconds, 0);
    let grace = initialGrace;
    const elapsedSeconds = (): number => Math.floor((clock.now().getTime() - started) / 1000);
    const preStop = request.container.lifecycle?.preStop;
    if (preStop && grace > 0) {
      const failure = await this.runPreStop(request, grace);
      if (failure !== undefined) recorder.event(request.pod, 'Warning', 'FailedPreStopHook', failure);
      grace = Math.max(initialGrace - elapsedSeconds(), MIN_GRACE_AFTER_HOOK_SECONDS);
    }
    if (request.waitForTurn && grace > 0) {
      await request.waitForTurn(grace);
      grace = Math.max(initialGrace - elapsedSeconds(), MIN_GRACE_AFTER_HOOK_SECONDS);
    }
    await runtime.stopContainer(request.containerId, grace);
  }

  /** Returns upstream's failure message, or undefined when the hook succeeded. */
  private async runPreStop(request: KillRequest, graceSeconds: number): Promise<string | undefined> {
    const handler = request.container.lifecycle?.preStop;
    if (!handler) return undefined;
    try {
      return await runLifecycleHandler({
        runtime: this.options.runtime, handler, timeoutSeconds: graceSeconds,
        target: {
          pod: request.pod, container: request.container, containerId: request.containerId, hostIP: request.hostIP,
          ...(request.podIP ? { podIP: request.podIP } : {}),
        },
      });
    } catch (error) {
      this.options.logger.debug({ err: error, container: request.container.name }, 'preStop hook failed');
      return error instanceof Error ? error.message : String(error);
    }
  }
}
