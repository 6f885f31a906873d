// Starting one container attempt, as kubelet's startContainer: image (images/image-puller.ts:
// pull policy, pull secrets, ErrImagePull/ImagePullBackOff), environment, ContainerConfig, create
// (Event Created), start (Event Started). A problem becomes a waiting reason for the status
// (ErrImagePull, ImagePullBackOff, ErrImageNeverPull, CreateContainerConfigError,
// CreateContainerError, RunContainerError) and a `Failed` Event `Error: ...`.
import path from 'node:path';
import type { Container } from 'kubernetes-types/core/v1.js';
import type { PodObject } from './object-types.js';
import type { EventRecorder } from '../client/events/event-recorder.js';
import { tryParseQuantity } from '../api/quantity.js';
import type { Clock } from '../lib/clock.js';
import { ContainerConfigError, expandCommand, resolveEnv, type ConfigSource } from './container-env.js';
import { ImagePuller } from './images/image-puller.js';
import type { PullSecretSource } from './images/pull-secrets.js';
import { hostsFileMounts } from './hosts-file-mount.js';
import { containerMounts } from './pod-volumes.js';
import { containerLabels } from './runtime-labels.js';
import type { ContainerConfig, ContainerResources, ContainerRuntime } from './runtime/runtime.js';

export interface StartRequest {
  readonly pod: PodObject;
  readonly container: Container;
  readonly sandboxId: string;
  readonly attempt: number;
  readonly volumes: ReadonlyMap<string, string>;
  readonly logDirectory: string;
  readonly podIP?: string;
  readonly hostIP: string;
  /** The pod's managed /etc/hosts, mounted in the container (hosts-file-mount.ts). */
  readonly hostsFile?: string;
}

export type StartResult =
  | { readonly ok: true; readonly containerId: string; readonly imageRef: string }
  | {
    readonly ok: false;
    readonly reason: string;
    readonly message: string;
    /** Try again no earlier than this (ms since epoch): the image pull back-off ends then. */
    readonly retryAt?: number;
  };

export interface ContainerStarterOptions {
  readonly runtime: ContainerRuntime;
  readonly recorder: EventRecorder;
  readonly clock: Clock;
  readonly source: ConfigSource;
  readonly nodeAllocatable: { readonly cpu: number; readonly memory: number };
  /** Where pull secrets (and ServiceAccounts) are read; default: `source`'s secrets only. */
  readonly pullSecrets?: PullSecretSource;
}

function resourcesOf(container: Container): ContainerResources {
  const requests = container.resources?.requests ?? {};
  const limits = container.resources?.limits ?? {};
  const cpuRequest = requests.cpu === undefined ? undefined : tryParseQuantity(requests.cpu);
  const cpuLimit = limits.cpu === undefined ? undefined : tryParseQuantity(limits.cpu);
  const memoryLimit = limits.memory === undefined ? undefined : tryParseQuantity(limits.memory);
  return {
    ...(cpuRequest !== undefined ? { cpuMillisRequest: Math.round(cpuRequest * 1000) } : {}),
    ...(cpuLimit !== undefined ? { cpuMillisLimit: Math.round(cpuLimit * 1000) } : {}),
    ...(memoryLimit !== undefined ? { memoryBytesLimit: Math.round(memoryLimit) } : {}),
  };
}

/** `<logDirectory>/<container>/<attempt>.log`, upstream's layout under /var/log/pods. */
export function containerLogPath(logDirectory: string, containerName: string, attempt: number): string {
  return path.join(logDirectory, containerName, `${attempt}.log`);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class ContainerStarter {
  private readonly options: ContainerStarterOptions;
  private readonly images: ImagePuller;

  constructor(options: ContainerStarterOptions) {
    this.options = options;
    this.images = new ImagePuller({
      runtime: options.runtime, recorder: options.recorder, clock: options.clock,
      secrets: options.pullSecrets ?? { secret: (namespace, name) => options.source.secret(namespace, name) },
    });
  }

  async start(request: StartRequest): Promise<StartResult> {
    const { runtime, recorder } = this.options;
    const { pod, container } = request;
    const image = container.image ?? '';
    const ensured = await this.images.ensureImage(pod, container);
    if (!ensured.ok) {
      recorder.event(pod, 'Warning', 'Failed', `Error: ${ensured.reason}`);
      return ensured;
    }
    const { imageRef } = ensured;
    let config: ContainerConfig;
    try {
      config = await this.config(request, image);
    } catch (error) {
      if (!(error instanceof ContainerConfigError)) throw error;
      recorder.event(pod, 'Warning', 'Failed', `Error: ${error.message}`);
      return { ok: false, reason: 'CreateContainerConfigError', message: error.message };
    }
    let containerId: string;
    try {
      containerId = await runtime.createContainer(request.sandboxId, config);
    } catch (error) {
      recorder.event(pod, 'Warning', 'Failed', `Error: ${messageOf(error)}`);
      return { ok: false, reason: 'CreateContainerError', message: messageOf(error) };
    }
    recorder.event(pod, 'Normal', 'Created', `Created container: ${container.name}`);
    try {
      await runtime.startContainer(containerId);
    } catch (error) {
      recorder.event(pod, 'Warning', 'Failed', `Error: ${messageOf(error)}`);
      return { ok: false, reason: 'RunContainerError', message: messageOf(error) };
    }
    recorder.event(pod, 'Normal', 'Started', `Started container ${container.name}`);
    return { ok: true, containerId, imageRef };
  }

  private async config(request: StartRequest, image: string): Promise<ContainerConfig> {
    const { pod, container } = request;
    const env = await resolveEnv({
      pod, container, source: this.options.source, hostIP: request.hostIP, nodeAllocatable: this.options.nodeAllocatable,
      ...(request.podIP ? { podIP: request.podIP } : {}),
    });
    const meta = pod.metadata ?? {};
    return {
      name: container.name,
      image,
      command: expandCommand(container.command, env),
      args: expandCommand(container.args, env),
      env,
      ...(container.workingDir ? { workingDir: container.workingDir } : {}),
      mounts: [...containerMounts(container, request.volumes), ...hostsFileMounts(container, request.hostsFile)],
      logPath: containerLogPath(request.logDirectory, container.name, request.attempt),
      attempt: request.attempt,
      resources: resourcesOf(container),
      tty: container.tty ?? false,
      stdin: container.stdin ?? false,
      stdinOnce: container.stdinOnce ?? false,
      labels: containerLabels({ uid: meta.uid ?? '', name: meta.name ?? '', namespace: meta.namespace ?? 'default' }, container.name),
    };
  }
}
