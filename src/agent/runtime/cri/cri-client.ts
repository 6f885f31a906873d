// A CRI (runtime.v1) client over a unix socket: one grpc-js channel shared by RuntimeService and
// ImageService, promisified unary calls with deadlines, failures as typed errors (cri-error.ts).
// grpc-js reconnects by itself when containerd restarts; the reconnect backoff is capped low so
// that a restarted containerd is seen within a couple of seconds rather than grpc's default two
// minutes. Also used on its own by the containers benchmark (the "direct CRI" baseline).
import { credentials, loadPackageDefinition, type Client, type ServiceError } from '@grpc/grpc-js';
import { fromJSON } from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { criError } from './cri-error.js';
import type {
  CriAuthConfig, CriContainer, CriContainerConfig, CriContainerFilter, CriContainerStats, CriContainerStatus,
  CriAttachRequest, CriExecRequest, CriExecSyncResult, CriImage, CriPodSandbox, CriPodSandboxConfig, CriPodSandboxFilter,
  CriPodSandboxStatus, CriRuntimeCondition, CriVersion,
} from './cri-messages.js';
import { CRI_PROTO } from './cri-proto.js';

export interface CriClientOptions {
  /** Path of containerd's (or any CRI runtime's) gRPC socket. */
  readonly socket: string;
  /** Deadline of ordinary calls (default 60 s; kubelet's runtime-request-timeout is 2 min). */
  readonly timeoutMs?: number;
  /** Deadline of PullImage (default 10 min). */
  readonly pullTimeoutMs?: number;
}

type Callback = (error: ServiceError | null, response: unknown) => void;
type UnaryMethod = (request: unknown, options: { deadline: Date }, callback: Callback) => { cancel(): void };
type Stub = Client & Record<string, UnaryMethod>;
type StubConstructor = new (address: string, creds: ReturnType<typeof credentials.createInsecure>, options: object) => Stub;

interface CriServices {
  readonly RuntimeService: StubConstructor;
  readonly ImageService: StubConstructor;
}

let services: CriServices | undefined;

/** Parses the proto text once per process (a few milliseconds). */
function criServices(): CriServices {
  if (!services) {
    const root = protobuf.parse(CRI_PROTO, { keepCase: false }).root;
    const definition = fromJSON(root.toJSON(), { longs: Number, enums: String, defaults: true });
    const loaded = loadPackageDefinition(definition) as unknown as { runtime: { v1: CriServices } };
    services = loaded.runtime.v1;
  }
  return services;
}

const CHANNEL_OPTIONS = {
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 1000,
  // kubelet's limit: a ListContainers of a busy node exceeds grpc's 4 MiB default.
  'grpc.max_receive_message_length': 16 * 1024 * 1024,
};

export class CriClient {
  readonly socket: string;
  readonly #runtime: Stub;
  readonly #images: Stub;
  readonly #timeoutMs: number;
  readonly #pullTimeoutMs: number;

  constructor(options: CriClientOptions) {
    this.socket = options.socket;
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#pullTimeoutMs = options.pullTimeoutMs ?? 600_000;
    const { RuntimeService, ImageService } = criServices();
    const address = `unix://${options.socket}`;
    this.#runtime = new RuntimeService(address, credentials.createInsecure(), CHANNEL_OPTIONS);
    // Sharing the channel: the second stub reuses the first one's connection.
    this.#images = new ImageService(address, credentials.createInsecure(), { ...CHANNEL_OPTIONS, channelOverride: this.#runtime.getChannel() });
  }

  #call<T>(stub: Stub, method: string, request: unknown, timeoutMs = this.#timeoutMs, signal?: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason instanceof Error ? signal.reason : new Error(`CRI ${method} aborted`));
        return;
      }
      const fn = stub[method];
      if (!fn) throw new Error(`CRI method ${method} is not in the proto subset`);
      const onAbort = () => call.cancel();
      const call = fn.call(stub, request, { deadline: new Date(Date.now() + timeoutMs) }, (error, response) => {
        signal?.removeEventListener('abort', onAbort);
        if (error) reject(criError(method, error));
        else resolve(response as T);
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  #rt<T>(method: string, request: unknown, timeoutMs?: number, signal?: AbortSignal): Promise<T> {
    return this.#call<T>(this.#runtime, method, request, timeoutMs, signal);
  }

  version(timeoutMs?: number): Promise<CriVersion> {
    return this.#rt('Version', { version: 'v1' }, timeoutMs);
  }

  async status(): Promise<CriRuntimeCondition[]> {
    const response = await this.#rt<{ status: { conditions: CriRuntimeCondition[] } | null }>('Status', {});
    return response.status?.conditions ?? [];
  }

  async runPodSandbox(config: CriPodSandboxConfig, signal?: AbortSignal): Promise<string> {
    return (await this.#rt<{ podSandboxId: string }>('RunPodSandbox', { config }, undefined, signal)).podSandboxId;
  }

  async stopPodSandbox(podSandboxId: string): Promise<void> {
    await this.#rt('StopPodSandbox', { podSandboxId });
  }

  async removePodSandbox(podSandboxId: string): Promise<void> {
    await this.#rt('RemovePodSandbox', { podSandboxId });
  }

  async podSandboxStatus(podSandboxId: string): Promise<CriPodSandboxStatus> {
    const response = await this.#rt<{ status: CriPodSandboxStatus | null }>('PodSandboxStatus', { podSandboxId });
    if (!response.status) throw criError('PodSandboxStatus', new Error(`no status for sandbox ${podSandboxId}`));
    return response.status;
  }

  async listPodSandbox(filter: CriPodSandboxFilter = {}): Promise<CriPodSandbox[]> {
    return (await this.#rt<{ items: CriPodSandbox[] }>('ListPodSandbox', { filter })).items;
  }

  async createContainer(podSandboxId: string, config: CriContainerConfig, sandboxConfig: CriPodSandboxConfig): Promise<string> {
    return (await this.#rt<{ containerId: string }>('CreateContainer', { podSandboxId, config, sandboxConfig })).containerId;
  }

  async startContainer(containerId: string): Promise<void> {
    await this.#rt('StartContainer', { containerId });
  }

  /** `timeoutSeconds` is the grace period before SIGKILL; the call's deadline allows for it. */
  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    await this.#rt('StopContainer', { containerId, timeout: timeoutSeconds }, this.#timeoutMs + timeoutSeconds * 1000);
  }

  async removeContainer(containerId: string): Promise<void> {
    await this.#rt('RemoveContainer', { containerId });
  }

  async listContainers(filter: CriContainerFilter = {}): Promise<CriContainer[]> {
    return (await this.#rt<{ containers: CriContainer[] }>('ListContainers', { filter })).containers;
  }

  async containerStatus(containerId: string): Promise<CriContainerStatus> {
    const response = await this.#rt<{ status: CriContainerStatus | null }>('ContainerStatus', { containerId });
    if (!response.status) throw criError('ContainerStatus', new Error(`no status for container ${containerId}`));
    return response.status;
  }

  /** Runs `cmd`; the runtime kills it after `timeoutSeconds` (0: no limit). */
  execSync(containerId: string, cmd: readonly string[], timeoutSeconds: number): Promise<CriExecSyncResult> {
    return this.#rt('ExecSync', { containerId, cmd, timeout: timeoutSeconds }, this.#timeoutMs + timeoutSeconds * 1000);
  }

  /** The streaming server URL for this exec (single use). */
  async exec(request: CriExecRequest): Promise<string> {
    return (await this.#rt<{ url: string }>('Exec', request)).url;
  }

  /** The streaming server URL for attaching to the container's main process (single use). */
  async attach(request: CriAttachRequest): Promise<string> {
    return (await this.#rt<{ url: string }>('Attach', request)).url;
  }

  async portForward(podSandboxId: string, ports: readonly number[]): Promise<string> {
    return (await this.#rt<{ url: string }>('PortForward', { podSandboxId, port: ports })).url;
  }

  async containerStats(containerId: string): Promise<CriContainerStats | null> {
    return (await this.#rt<{ stats: CriContainerStats | null }>('ContainerStats', { containerId })).stats;
  }

  async listContainerStats(filter: { readonly id?: string; readonly podSandboxId?: string; readonly labelSelector?: Record<string, string> } = {}): Promise<CriContainerStats[]> {
    return (await this.#rt<{ stats: CriContainerStats[] }>('ListContainerStats', { filter })).stats;
  }

  /** Returns the image reference (an image id, `sha256:...`). */
  async pullImage(image: string, options: { readonly auth?: CriAuthConfig; readonly sandboxConfig?: CriPodSandboxConfig; readonly signal?: AbortSignal } = {}): Promise<string> {
    const request = { image: { image }, ...(options.auth ? { auth: options.auth } : {}), ...(options.sandboxConfig ? { sandboxConfig: options.sandboxConfig } : {}) };
    return (await this.#call<{ imageRef: string }>(this.#images, 'PullImage', request, this.#pullTimeoutMs, options.signal)).imageRef;
  }

  /** The image when present, else undefined (CRI answers "no image" with an empty response). */
  async imageStatus(image: string): Promise<CriImage | undefined> {
    const response = await this.#call<{ image: CriImage | null }>(this.#images, 'ImageStatus', { image: { image } });
    return response.image && response.image.id !== '' ? response.image : undefined;
  }

  async listImages(): Promise<CriImage[]> {
    return (await this.#call<{ images: CriImage[] }>(this.#images, 'ListImages', { filter: {} })).images;
  }

  async removeImage(image: string): Promise<void> {
    await this.#call(this.#images, 'RemoveImage', { image: { image } });
  }

  close(): void {
    this.#images.close();
    this.#runtime.close();
  }
}
