// FakeRuntime: hollow containers with no processes, for controller/agent tests and the 10,000-pod
// benchmark. Everything is a Map entry; time-based behaviour (crashAfter) is evaluated lazily when
// a status is read, so no timers exist per container and a FakeClock drives it deterministically.
import { systemClock, type Clock } from '../../../lib/clock.js';
import { NotFoundError } from '../../../lib/errors.js';
import { reasonForExitCode } from '../exit-reason.js';
import type { Duplex } from 'node:stream';
import { containerStatus, FakeRuntimeState, sandboxStatus, type FakeContainer } from './fake-runtime-state.js';
import { scriptedExecSession } from './scripted-exec-session.js';
import type {
  AttachRequest,
  ContainerConfig,
  ContainerRuntime,
  ContainerStats,
  ContainerStatus,
  ExecRequest,
  ExecResult,
  ExecSession,
  ImageInfo,
  PodSandboxConfig,
  RuntimeCapabilities,
  SandboxStatus,
} from '../runtime.js';

export interface FakeRuntimeOptions {
  readonly clock?: Clock;
  /** true: a new instance never sees an earlier one's state (a node reboot). */
  readonly stateless?: boolean;
  /** Shared state from an earlier instance (ignored when stateless). */
  readonly state?: FakeRuntimeState;
  /** The node's IP, reported for host-network sandboxes. */
  readonly hostIp?: string;
}

/** Exit code of a hollow container stopped with SIGTERM (128 + 15), as a shell process reports it. */
const SIGTERM_EXIT_CODE = 143;

export class FakeRuntime implements ContainerRuntime {
  readonly name = 'fake';
  readonly capabilities: RuntimeCapabilities = { podNetworking: true, pullsImages: false };
  readonly state: FakeRuntimeState;
  readonly #clock: Clock;
  readonly #hostIp: string;
  readonly #failNextStart = new Map<string, string>();
  readonly #execResults = new Map<string, ExecResult>();
  readonly #crashAfter = new Map<string, number>();
  /** Images "pulled", for assertions. */
  readonly pulledImages: string[] = [];

  constructor(options: FakeRuntimeOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#hostIp = options.hostIp ?? '127.0.0.1';
    this.state = options.stateless === true ? new FakeRuntimeState() : (options.state ?? new FakeRuntimeState());
  }

  /** A new instance over the same state: what an agent restart sees. */
  reopen(): FakeRuntime {
    return new FakeRuntime({ clock: this.#clock, hostIp: this.#hostIp, state: this.state });
  }

  // --- scripting ---

  /** The next startContainer of a container with this name fails (StartError, exit code 128). */
  failNextStart(containerName: string, message: string): void {
    this.#failNextStart.set(containerName, message);
  }

  /** A running container exits now. Reason defaults to Completed (0) or Error. */
  exitContainer(containerId: string, exitCode: number, reason?: string): void {
    const container = this.#container(containerId);
    this.#settle(container);
    if (container.state !== 'running') return;
    this.#exit(container, this.#clock.now(), exitCode, reason ?? reasonForExitCode(exitCode));
  }

  /** execSync in containers with this name answers this from now on. */
  setExecResult(containerName: string, result: ExecResult): void {
    this.#execResults.set(containerName, result);
  }

  /** Containers with this name started from now on exit with code 1 ms after they started. */
  crashAfter(containerName: string, ms: number): void {
    this.#crashAfter.set(containerName, ms);
  }

  // --- ContainerRuntime ---

  runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const id = this.#newId('sb');
    const ip = config.hostNetwork ? this.#hostIp : this.#nextPodIp();
    this.state.sandboxes.set(id, { id, config, ip, createdAt: this.#clock.now(), ready: true });
    return Promise.resolve(id);
  }

  async stopPodSandbox(sandboxId: string): Promise<void> {
    const sandbox = this.state.sandboxes.get(sandboxId);
    if (!sandbox) return;
    for (const container of this.state.containers.values()) {
      if (container.sandboxId === sandboxId) await this.stopContainer(container.id, 0);
    }
    sandbox.ready = false;
  }

  async removePodSandbox(sandboxId: string): Promise<void> {
    if (!this.state.sandboxes.has(sandboxId)) return;
    await this.stopPodSandbox(sandboxId);
    for (const container of [...this.state.containers.values()]) {
      if (container.sandboxId === sandboxId) this.state.containers.delete(container.id);
    }
    this.state.sandboxes.delete(sandboxId);
  }

  podSandboxStatus(sandboxId: string): Promise<SandboxStatus> {
    const sandbox = this.state.sandboxes.get(sandboxId);
    if (!sandbox) return Promise.reject(new NotFoundError(`pod sandbox "${sandboxId}" not found`));
    return Promise.resolve(sandboxStatus(sandbox));
  }

  listPodSandboxes(): Promise<SandboxStatus[]> {
    return Promise.resolve([...this.state.sandboxes.values()].map(sandboxStatus));
  }

  pullImage(image: string): Promise<ImageInfo> {
    this.pulledImages.push(image);
    return Promise.resolve({ imageRef: image });
  }

  imageStatus(image: string): Promise<ImageInfo | undefined> {
    return Promise.resolve(this.pulledImages.includes(image) ? { imageRef: image } : undefined);
  }

  /** A scripted exec: the setExecResult answer written to the streams, then its exit code. */
  exec(request: ExecRequest): Promise<ExecSession> {
    const container = this.state.containers.get(request.containerId);
    if (!container) return Promise.reject(new NotFoundError(`container "${request.containerId}" not found`));
    this.#settle(container);
    if (container.state !== 'running') return Promise.reject(new Error(`container "${request.containerId}" is not running`));
    const result = this.#execResults.get(container.config.name) ?? { exitCode: 0, stdout: '', stderr: '' };
    return Promise.resolve(scriptedExecSession(request, result));
  }

  /** Hollow containers have no process whose stdin could be fed: refused, as port-forward is. */
  attach(request: AttachRequest): Promise<ExecSession> {
    const container = this.state.containers.get(request.containerId);
    if (!container) return Promise.reject(new NotFoundError(`container "${request.containerId}" not found`));
    return Promise.reject(new Error('the fake runtime has no processes: hollow containers cannot be attached to with stdin'));
  }

  portForward(sandboxId: string, _port: number): Promise<Duplex> {
    if (!this.state.sandboxes.has(sandboxId)) return Promise.reject(new NotFoundError(`pod sandbox "${sandboxId}" not found`));
    return Promise.reject(new Error('the fake runtime has no network: hollow pods cannot be port-forwarded'));
  }

  /** Hollow containers use nothing; they still appear, so kubectl top lists every pod. */
  listContainerStats(): Promise<ContainerStats[]> {
    const now = this.#clock.now();
    const out: ContainerStats[] = [];
    for (const container of this.state.containers.values()) {
      this.#settle(container);
      if (container.state !== 'running') continue;
      out.push({ containerId: container.id, sandboxId: container.sandboxId, name: container.config.name, timestamp: now, cpuUsageCoreNanoSeconds: 0, memoryWorkingSetBytes: 0 });
    }
    return Promise.resolve(out);
  }

  createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    if (!this.state.sandboxes.has(sandboxId)) return Promise.reject(new NotFoundError(`pod sandbox "${sandboxId}" not found`));
    const id = this.#newId('c');
    this.state.containers.set(id, { id, sandboxId, config, createdAt: this.#clock.now(), state: 'created' });
    return Promise.resolve(id);
  }

  startContainer(containerId: string): Promise<void> {
    const container = this.state.containers.get(containerId);
    if (!container) return Promise.reject(new NotFoundError(`container "${containerId}" not found`));
    if (container.state !== 'created') {
      return Promise.reject(new Error(`container "${containerId}" is in ${container.state} state, not created`));
    }
    const now = this.#clock.now();
    const failure = this.#failNextStart.get(container.config.name);
    if (failure !== undefined) {
      this.#failNextStart.delete(container.config.name);
      container.startedAt = now;
      this.#exit(container, now, 128, 'StartError', failure);
      return Promise.reject(new Error(failure));
    }
    container.state = 'running';
    container.startedAt = now;
    const crash = this.#crashAfter.get(container.config.name);
    if (crash !== undefined) container.crashAfterMs = crash;
    return Promise.resolve();
  }

  stopContainer(containerId: string, _timeoutSeconds: number): Promise<void> {
    const container = this.state.containers.get(containerId);
    if (!container) return Promise.reject(new NotFoundError(`container "${containerId}" not found`));
    this.#settle(container);
    if (container.state === 'running') this.#exit(container, this.#clock.now(), SIGTERM_EXIT_CODE, 'Error');
    return Promise.resolve();
  }

  removeContainer(containerId: string): Promise<void> {
    this.state.containers.delete(containerId);
    return Promise.resolve();
  }

  containerStatus(containerId: string): Promise<ContainerStatus> {
    const container = this.state.containers.get(containerId);
    if (!container) return Promise.reject(new NotFoundError(`container "${containerId}" not found`));
    this.#settle(container);
    return Promise.resolve(containerStatus(container));
  }

  listContainers(filter?: { readonly sandboxId?: string }): Promise<ContainerStatus[]> {
    const out: ContainerStatus[] = [];
    for (const container of this.state.containers.values()) {
      if (filter?.sandboxId !== undefined && container.sandboxId !== filter.sandboxId) continue;
      this.#settle(container);
      out.push(containerStatus(container));
    }
    return Promise.resolve(out);
  }

  execSync(containerId: string, _command: readonly string[], _timeoutSeconds: number): Promise<ExecResult> {
    const container = this.state.containers.get(containerId);
    if (!container) return Promise.reject(new NotFoundError(`container "${containerId}" not found`));
    this.#settle(container);
    if (container.state !== 'running') return Promise.reject(new Error(`container "${containerId}" is not running`));
    return Promise.resolve(this.#execResults.get(container.config.name) ?? { exitCode: 0, stdout: '', stderr: '' });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  // --- internals ---

  #container(id: string): FakeContainer {
    const container = this.state.containers.get(id);
    if (!container) throw new NotFoundError(`container "${id}" not found`);
    return container;
  }

  /** Applies a scripted crash whose time has come. */
  #settle(container: FakeContainer): void {
    if (container.state !== 'running' || container.crashAfterMs === undefined || !container.startedAt) return;
    const at = container.startedAt.getTime() + container.crashAfterMs;
    if (this.#clock.now().getTime() >= at) this.#exit(container, new Date(at), 1, 'Error');
  }

  #exit(container: FakeContainer, at: Date, exitCode: number, reason: string, message?: string): void {
    container.state = 'exited';
    container.finishedAt = at;
    container.exitCode = exitCode;
    container.reason = reason;
    if (message !== undefined) container.message = message;
  }

  #newId(prefix: string): string {
    const n = this.state.nextId++;
    return `${prefix}${n.toString(16).padStart(12, '0')}`;
  }

  /** 10.244.x.y with y in 1..254: 65,024 addresses before it wraps. */
  #nextPodIp(): string {
    const n = this.state.nextPodIp++;
    const x = Math.floor(n / 254) % 256;
    const y = (n % 254) + 1;
    return `10.244.${x}.${y}`;
  }
}
