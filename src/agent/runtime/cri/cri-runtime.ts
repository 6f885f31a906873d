// CriRuntime: the ContainerRuntime seam over containerd's CRI (runtime.v1), the interface kubelet
// uses. containerd keeps all state (and keeps pods running while it or the agent restarts), so
// this class holds only caches it can rebuild: a new instance over the same socket sees the same
// sandboxes and containers, found by our owner label, and reads each sandbox's config back from an
// annotation (CreateContainer must send it again). The mapping itself is in the *-mapping.ts files.
import type { Duplex } from 'node:stream';
import type { ServiceError } from '@grpc/grpc-js';
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { Clock } from '../../../lib/clock.js';
import { NotFoundError, UnavailableError } from '../../../lib/errors.js';
import type { Logger } from '../../../lib/logger.js';
import { ExecTimeoutError } from '../exec-timeout-error.js';
import type {
  AttachRequest, ContainerConfig, ContainerRuntime, ContainerStats, ContainerStatus, ExecRequest, ExecResult, ExecSession, ImageAuth,
  ImageInfo, PodSandboxConfig, RuntimeCapabilities, SandboxStatus,
} from '../runtime.js';
import { removeCgroupParent } from './cgroup-parent.js';
import { CriClient } from './cri-client.js';
import { fromCriContainerStats, fromCriContainerStatus, toCriContainerConfig, TTY_ANNOTATION } from './cri-container-mapping.js';
import type { CriImage, CriPodSandboxConfig } from './cri-messages.js';
import {
  fromCriSandboxStatus, OWNER_LABEL, SANDBOX_CONFIG_ANNOTATION, storedSandboxConfig, toCriSandboxConfig, withStoredConfig,
} from './cri-sandbox-mapping.js';
import { openCriExec, openCriPortForward, openCriStreams } from './cri-streams.js';
import { DEFAULT_START_LIMIT } from './start-limiter.js';
import { PodStartSlots } from './pod-start-slots.js';
import { settleKillReason } from './kill-reason.js';

export interface CriRuntimeOptions {
  /** containerd's CRI socket. */
  readonly socket: string;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Tells this agent's sandboxes from others' on a shared containerd (default `k8ts`; cmd/ passes the node name). */
  readonly owner?: string;
  /** cgroupfs path under which pods get `pod<uid>` (default `/k8ts`). */
  readonly cgroupRoot?: string;
  /** At most this many RunPodSandbox/StartContainer calls at once (default 8; start-limiter.ts), in pod order (pod-start-slots.ts). */
  readonly startConcurrency?: number;
  /** The node IP reported for host-network sandboxes (containerd reports none for them). */
  readonly hostIp?: string;
  /** Deadline of ordinary CRI calls. */
  readonly timeoutMs?: number;
  /** Tests: how long a new sandbox keeps its start slot for its first StartContainer. */
  readonly sandboxSlotHoldMs?: number;
}


/** NotFound is what "already gone" looks like; idempotent operations accept it. */
function ignoreNotFound(error: unknown): void {
  if (!(error instanceof NotFoundError)) throw error;
}

function imageInfo(image: CriImage): ImageInfo {
  // What kubectl shows as imageID: the repo digest (name@sha256:...) when known, else the image id.
  return { imageRef: image.repoDigests[0] ?? image.id, ...(image.size > 0 ? { sizeBytes: image.size } : {}) };
}

export class CriRuntime implements ContainerRuntime {
  readonly name = 'containerd';
  readonly capabilities: RuntimeCapabilities = { podNetworking: true, pullsImages: true, attachStreamsOutput: true, podHostnames: true };
  readonly client: CriClient;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #owner: string;
  readonly #cgroupRoot: string;
  readonly #hostIp: string | undefined;
  readonly #slots: PodStartSlots;
  /** Sandbox id -> the config it was created with (rebuilt from its annotation after a restart). */
  readonly #sandboxConfigs = new Map<string, CriPodSandboxConfig>();
  /** Containers this runtime stopped: their SIGKILL exit is not read as a possible OOM kill. */
  readonly #stoppedByUs = new Set<string>();

  constructor(options: CriRuntimeOptions) {
    this.client = new CriClient({ socket: options.socket, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) });
    this.#logger = options.logger;
    this.#clock = options.clock;
    this.#owner = options.owner ?? 'k8ts';
    this.#cgroupRoot = options.cgroupRoot ?? '/k8ts';
    this.#hostIp = options.hostIp;
    this.#slots = new PodStartSlots({
      limit: options.startConcurrency ?? DEFAULT_START_LIMIT,
      ...(options.sandboxSlotHoldMs !== undefined ? { holdMs: options.sandboxSlotHoldMs } : {}),
    });
  }

  get #ours(): Record<string, string> {
    return { [OWNER_LABEL]: this.#owner };
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const criConfig = withStoredConfig(toCriSandboxConfig(config, { owner: this.#owner, cgroupRoot: this.#cgroupRoot }));
    const id = await this.#slots.runSandbox(config.podUid, () => this.client.runPodSandbox(criConfig));
    this.#sandboxConfigs.set(id, criConfig);
    return id;
  }

  async stopPodSandbox(sandboxId: string): Promise<void> {
    await this.client.stopPodSandbox(sandboxId).catch(ignoreNotFound);
  }

  async removePodSandbox(sandboxId: string): Promise<void> {
    this.#slots.release(sandboxId);
    let cgroupParent: string | undefined;
    try {
      const config = await this.#sandboxConfig(sandboxId);
      cgroupParent = config.linux.cgroupParent;
      this.#slots.forgetSandbox(sandboxId, config.metadata.uid);
    } catch (error) {
      if (error instanceof NotFoundError) {
        this.#sandboxConfigs.delete(sandboxId);
        return; // already removed
      }
      if (!(error instanceof SandboxNotOursError)) throw error;
    }
    // Stop first, as kubelet does: removal of a running sandbox is not guaranteed to stop it.
    await this.stopPodSandbox(sandboxId);
    await this.client.removePodSandbox(sandboxId).catch(ignoreNotFound);
    this.#sandboxConfigs.delete(sandboxId);
    if (cgroupParent) {
      const left = await removeCgroupParent(cgroupParent);
      // Still in use (e.g. by a newer sandbox of the same pod): the last one removes it.
      if (left.length > 0) this.#logger.debug({ sandbox: sandboxId, left }, 'pod cgroup parent still in use');
    }
  }

  async podSandboxStatus(sandboxId: string): Promise<SandboxStatus> {
    const status = await this.client.podSandboxStatus(sandboxId);
    let ip = status.network?.ip ?? '';
    if (ip === '' && this.#hostIp) {
      const config = storedSandboxConfig(status.annotations);
      if (config?.linux.securityContext.namespaceOptions.network === 'NODE') ip = this.#hostIp;
    }
    return fromCriSandboxStatus(status, ip);
  }

  async listPodSandboxes(): Promise<SandboxStatus[]> {
    const items = await this.client.listPodSandbox({ labelSelector: this.#ours });
    const statuses = await Promise.all(items.map(async (item) => {
      // Only a ready sandbox has an IP worth another call.
      if (item.state !== 'SANDBOX_READY') return fromCriSandboxStatus(item);
      try {
        return await this.podSandboxStatus(item.id);
      } catch (error) {
        ignoreNotFound(error);
        return undefined; // removed in between
      }
    }));
    return statuses.filter((s) => s !== undefined);
  }

  async pullImage(image: string, options: { readonly auth?: ImageAuth } = {}): Promise<ImageInfo> {
    const auth = options.auth;
    const ref = await this.client.pullImage(image, auth ? {
      auth: {
        serverAddress: auth.serverAddress,
        ...(auth.username !== undefined ? { username: auth.username } : {}),
        ...(auth.password !== undefined ? { password: auth.password } : {}),
        ...(auth.auth !== undefined ? { auth: auth.auth } : {}),
        ...(auth.identityToken !== undefined ? { identityToken: auth.identityToken } : {}),
      },
    } : {});
    const pulled = await this.client.imageStatus(ref);
    return pulled ? imageInfo(pulled) : { imageRef: ref };
  }

  async imageStatus(image: string): Promise<ImageInfo | undefined> {
    const found = await this.client.imageStatus(image);
    return found ? imageInfo(found) : undefined;
  }

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    const sandbox = await this.#sandboxConfig(sandboxId);
    const criConfig = toCriContainerConfig(sandboxId, config, {
      logDirectory: sandbox.logDirectory,
      owner: this.#owner,
      namespaceOptions: sandbox.linux.securityContext.namespaceOptions,
    });
    let id: string | undefined;
    try {
      id = await this.client.createContainer(sandboxId, criConfig, sandbox);
      return id;
    } finally {
      this.#slots.created(sandboxId, sandbox.metadata.uid, id);
    }
  }

  async startContainer(containerId: string): Promise<void> {
    await this.#slots.startContainer(containerId, () => this.client.startContainer(containerId));
  }

  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    this.#stoppedByUs.add(containerId);
    await this.client.stopContainer(containerId, Math.max(0, Math.ceil(timeoutSeconds))).catch(ignoreNotFound);
  }

  async removeContainer(containerId: string): Promise<void> {
    this.#slots.forgetContainer(containerId);
    this.#stoppedByUs.delete(containerId);
    await this.client.removeContainer(containerId).catch(ignoreNotFound);
  }

  async containerStatus(containerId: string): Promise<ContainerStatus> {
    const read = async (): Promise<ContainerStatus> => fromCriContainerStatus(await this.client.containerStatus(containerId));
    const status = await read();
    // Our own stop's SIGKILL is no OOM kill: no reason to wait for an OOM event then.
    if (this.#stoppedByUs.has(containerId)) return status;
    return settleKillReason(status, read, { clock: this.#clock });
  }

  async listContainers(filter: { readonly sandboxId?: string } = {}): Promise<ContainerStatus[]> {
    const containers = await this.client.listContainers({
      labelSelector: this.#ours,
      ...(filter.sandboxId !== undefined ? { podSandboxId: filter.sandboxId } : {}),
    });
    // The list lacks exit codes, times and log paths: one ContainerStatus each, in parallel.
    const statuses = await Promise.all(containers.map(async (c) => {
      try {
        return await this.containerStatus(c.id);
      } catch (error) {
        ignoreNotFound(error);
        return undefined;
      }
    }));
    return statuses.filter((s) => s !== undefined);
  }

  async execSync(containerId: string, command: readonly string[], timeoutSeconds: number): Promise<ExecResult> {
    try {
      const result = await this.client.execSync(containerId, command, Math.max(1, Math.ceil(timeoutSeconds)));
      return { exitCode: result.exitCode, stdout: result.stdout.toString('utf8'), stderr: result.stderr.toString('utf8') };
    } catch (error) {
      // containerd kills the command at the timeout and answers DEADLINE_EXCEEDED.
      if (error instanceof UnavailableError && (error.cause as ServiceError | undefined)?.code === GrpcStatus.DEADLINE_EXCEEDED) {
        throw new ExecTimeoutError(`command timed out after ${timeoutSeconds}s`, { cause: error });
      }
      throw error;
    }
  }

  async exec(request: ExecRequest): Promise<ExecSession> {
    const url = await this.client.exec({
      containerId: request.containerId,
      cmd: request.command,
      tty: request.tty,
      stdin: request.stdin,
      stdout: request.stdout,
      // CRI rejects tty together with stderr: a terminal has one output stream.
      stderr: request.stderr && !request.tty,
    });
    return openCriExec(url, request);
  }

  /**
   * CRI Attach: containerd holds the container's stdin and output; the session streams both. As
   * kubelet does, the TTY is the container's (kubectl asks without one when its input is a pipe;
   * containerd would then wait forever for a TTY container's stderr). Containers created before
   * the annotation existed: the client's.
   */
  async attach(request: AttachRequest): Promise<ExecSession> {
    const annotations = (await this.client.containerStatus(request.containerId)).annotations;
    const tty = TTY_ANNOTATION in annotations ? annotations[TTY_ANNOTATION] === 'true' : request.tty;
    const streams = { stdin: request.stdin, stdout: request.stdout, stderr: request.stderr && !tty, tty };
    const url = await this.client.attach({ containerId: request.containerId, ...streams });
    return openCriStreams(url, streams);
  }

  async portForward(sandboxId: string, port: number): Promise<Duplex> {
    const url = await this.client.portForward(sandboxId, [port]);
    return openCriPortForward(url, port);
  }

  async listContainerStats(): Promise<ContainerStats[]> {
    const now = this.#clock.now();
    const stats = await this.client.listContainerStats({ labelSelector: this.#ours });
    return stats.map((s) => fromCriContainerStats(s, now)).filter((s) => s !== undefined);
  }

  close(): Promise<void> {
    this.#slots.releaseAll();
    this.client.close();
    return Promise.resolve();
  }

  /** The sandbox's CRI config: cached, else read back from the annotation runPodSandbox stored. */
  async #sandboxConfig(sandboxId: string): Promise<CriPodSandboxConfig> {
    const cached = this.#sandboxConfigs.get(sandboxId);
    if (cached) return cached;
    const status = await this.client.podSandboxStatus(sandboxId);
    const stored = storedSandboxConfig(status.annotations);
    if (!stored) throw new SandboxNotOursError(sandboxId);
    // The stored copy predates its own annotation; send back what containerd was given.
    const config = withStoredConfig(stored);
    this.#sandboxConfigs.set(sandboxId, config);
    return config;
  }
}

/** A sandbox that k8ts did not create (no stored config): we do not put containers into it. */
export class SandboxNotOursError extends Error {
  readonly code = 'SandboxNotOurs';
  constructor(sandboxId: string) {
    super(`pod sandbox ${sandboxId} was not created by k8ts (no ${SANDBOX_CONFIG_ANNOTATION} annotation)`);
    this.name = 'SandboxNotOursError';
  }
}
