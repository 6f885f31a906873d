// ProcessRuntime: containers as host processes. Each container's command+args runs in its own
// process group under a detached shim (container-shim.ts, one per state directory) that writes the
// CRI log and the exit code, so containers outlive the agent. All state lives in files under stateDir
// (process-state.ts); a new instance over the same directory re-adopts what is still running,
// checking by PID and kernel start time that the processes are really ours. The image is recorded,
// never pulled. With a PodNetwork (root + CNI plugins) each pod gets a network namespace and IP;
// without one, pods share the host network.
//
// This file is the ContainerRuntime face and the pod sandbox lifecycle; the parts live beside it:
//   process-registry.ts      the records in memory and on disk, re-adoption, exit detection
//   container-processes.ts   start and stop a container's process through the shim
//   container-environment.ts env, working directory and executable check for a container's process
//   record-status.ts         records as SandboxStatus / ContainerStatus
//   exec-sync.ts, exec-session.ts, sandbox-connect.ts, process-stats.ts: exec, port-forward, stats
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { Logger } from '../../../lib/logger.js';
import type {
  AttachRequest,
  ContainerConfig,
  ContainerRuntime,
  ContainerStatus,
  ContainerStats,
  ExecRequest,
  ExecResult,
  ExecSession,
  ImageInfo,
  PodSandboxConfig,
  RuntimeCapabilities,
  SandboxStatus,
} from '../runtime.js';
import { ATTACH_SOCKET, startAttachSession } from './attach-session.js';
import { containerEnvironment, containerWorkingDir } from './container-environment.js';
import { ContainerProcesses } from './container-processes.js';
import { startExecSession } from './exec-session.js';
import { runExec } from './exec-sync.js';
import type { PodNetwork, PodNetworkAttachment } from './pod-network.js';
import { ProcessRegistry } from './process-registry.js';
import type { SandboxRecord } from './process-state.js';
import { readProcessTreeStats } from './process-stats.js';
import { containerStatus, sandboxStatus } from './record-status.js';
import { connectInSandbox } from './sandbox-connect.js';
import { ShimHost, shimSocketPath } from './shim-host.js';

export interface ProcessRuntimeOptions {
  readonly stateDir: string;
  readonly logger: Logger;
  /** Pod networking; absent: every pod uses the host network. */
  readonly network?: PodNetwork;
  /** The node IP reported for host-network pods (default: the first non-loopback IPv4). */
  readonly hostIp?: string;
  /** containerd's default max_container_log_line_size. */
  readonly maxLogLineBytes?: number;
}

/** How an exec (probe or kubectl exec) runs: argv, env and directory as the container has them. */
interface ExecTarget {
  readonly argv: string[];
  readonly env: Record<string, string>;
  readonly cwd: string;
}

export class ProcessRuntime implements ContainerRuntime {
  readonly name = 'process';
  readonly capabilities: RuntimeCapabilities;
  readonly #registry: ProcessRegistry;
  readonly #processes: ContainerProcesses;
  readonly #logger: Logger;
  readonly #network: PodNetwork | undefined;
  readonly #hostIp: string;
  readonly #root = process.getuid?.() === 0;
  readonly #shim: ShimHost;
  /** Sandboxes being set up: close() waits for them before it looks at what is left. */
  readonly #sandboxStarts = new Set<Promise<string>>();

  constructor(options: ProcessRuntimeOptions) {
    this.#logger = options.logger.child({ component: 'process-runtime' });
    this.#registry = new ProcessRegistry({ stateDir: options.stateDir, logger: this.#logger });
    this.#network = options.network;
    this.#hostIp = options.hostIp ?? firstHostIp();
    this.#shim = new ShimHost({ logPath: join(options.stateDir, 'shim.log'), socketPath: shimSocketPath(options.stateDir, 'shim.sock') });
    this.#processes = new ContainerProcesses({
      registry: this.#registry,
      shim: this.#shim,
      logger: this.#logger,
      root: this.#root,
      maxLogLineBytes: options.maxLogLineBytes ?? 16 * 1024,
    });
    this.capabilities = { podNetworking: options.network !== undefined, pullsImages: false, podHostnames: false };
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const starting = this.#startSandbox(config);
    this.#sandboxStarts.add(starting);
    try {
      return await starting;
    } finally {
      this.#sandboxStarts.delete(starting);
    }
  }

  async #startSandbox(config: PodSandboxConfig): Promise<string> {
    await this.#registry.load();
    const id = randomBytes(8).toString('hex');
    let ip = this.#hostIp;
    let network: PodNetworkAttachment | undefined;
    if (!config.hostNetwork && this.#network) {
      network = await this.#network.setUp(id, config);
      ip = network.ip;
    }
    const record: SandboxRecord = { id, config, createdAt: new Date().toISOString(), ip, ready: true, ...(network ? { network } : {}) };
    await mkdir(config.logDirectory, { recursive: true });
    await this.#registry.addSandbox(record);
    return id;
  }

  async stopPodSandbox(sandboxId: string): Promise<void> {
    await this.#registry.load();
    const sandbox = this.#registry.sandbox(sandboxId);
    if (!sandbox) return;
    await Promise.all(this.#registry.containersOf(sandboxId).map((c) => this.stopContainer(c.record.id, 0)));
    if (sandbox.network !== undefined && this.#network) {
      await this.#network.tearDown(sandboxId, sandbox.network as PodNetworkAttachment);
      delete sandbox.network;
    }
    sandbox.ready = false;
    await this.#registry.writeSandbox(sandbox);
  }

  async removePodSandbox(sandboxId: string): Promise<void> {
    await this.#registry.load();
    if (!this.#registry.sandbox(sandboxId)) return;
    await this.stopPodSandbox(sandboxId);
    for (const c of this.#registry.containersOf(sandboxId)) await this.removeContainer(c.record.id);
    await this.#registry.forgetSandbox(sandboxId);
    // The last networked pod is gone: shared leftovers (the bridge) can go too.
    if (this.#network && !this.#registry.sandboxes().some((s) => s.network !== undefined)) await this.#network.close();
  }

  async podSandboxStatus(sandboxId: string): Promise<SandboxStatus> {
    return sandboxStatus(await this.#registry.requireSandbox(sandboxId));
  }

  async listPodSandboxes(): Promise<SandboxStatus[]> {
    await this.#registry.load();
    return this.#registry.sandboxes().map(sandboxStatus);
  }

  pullImage(image: string): Promise<ImageInfo> {
    // Recorded only: a host process runs host binaries (the agent says so in an Event).
    return Promise.resolve({ imageRef: image });
  }

  /** Every image is "present": nothing is ever pulled, so Never and IfNotPresent always run. */
  imageStatus(image: string): Promise<ImageInfo> {
    return Promise.resolve({ imageRef: image });
  }

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    await this.#registry.requireSandbox(sandboxId);
    const id = randomBytes(12).toString('hex');
    await this.#registry.saveContainer({ id, sandboxId, config, createdAt: new Date().toISOString() });
    return id;
  }

  async startContainer(containerId: string): Promise<void> {
    await this.#processes.start(await this.#registry.entry(containerId));
  }

  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    await this.#processes.stop(await this.#registry.entry(containerId), timeoutSeconds);
  }

  async removeContainer(containerId: string): Promise<void> {
    await this.#registry.load();
    if (!this.#registry.has(containerId)) return;
    await this.stopContainer(containerId, 0);
    await this.#registry.forgetContainer(containerId);
  }

  async containerStatus(containerId: string): Promise<ContainerStatus> {
    return containerStatus(await this.#registry.refresh(await this.#registry.entry(containerId)));
  }

  async listContainers(filter?: { readonly sandboxId?: string }): Promise<ContainerStatus[]> {
    await this.#registry.load();
    const entries = this.#registry.containers().filter((c) => filter?.sandboxId === undefined || c.record.sandboxId === filter.sandboxId);
    return Promise.all(entries.map(async (entry) => containerStatus(await this.#registry.refresh(entry))));
  }

  async execSync(containerId: string, command: readonly string[], timeoutSeconds: number): Promise<ExecResult> {
    const { argv, env, cwd } = await this.#execTarget(containerId, command);
    return runExec({ argv, env, cwd, timeoutMs: timeoutSeconds * 1000 });
  }

  async exec(request: ExecRequest): Promise<ExecSession> {
    const { argv, env, cwd } = await this.#execTarget(request.containerId, request.command);
    return startExecSession({ argv, env, cwd, stdin: request.stdin, stderr: request.stderr, tty: request.tty });
  }

  /** Through the shim's stdin socket (attach-session.ts); output is the log file's (no stdout/stderr here). */
  async attach(request: AttachRequest): Promise<ExecSession> {
    const entry = await this.#registry.refresh(await this.#registry.entry(request.containerId));
    if (!entry.started || entry.exit) throw new Error(`container "${request.containerId}" is not running`);
    const { config } = entry.record;
    return startAttachSession({
      stdin: request.stdin,
      // As containerd (which kubelet gives the container's TTY, not the client's): a terminal's end
      // is the user's ^D, so only a container without a TTY gets EOF when the session ends.
      closesStdin: config.stdinOnce === true && !config.tty,
      ...(config.stdin ? { socketPath: join(this.#registry.state.containerDir(request.containerId), ATTACH_SOCKET) } : {}),
      ...(config.tty ? { ttyPid: entry.started.pid } : {}),
    });
  }

  async portForward(sandboxId: string, port: number): Promise<Duplex> {
    const sandbox = await this.#registry.requireSandbox(sandboxId);
    const pid = this.#registry.containersOf(sandboxId).find((c) => c.started && !c.exit)?.started?.pid;
    return connectInSandbox({ ip: sandbox.ip, port, hostNetwork: sandbox.config.hostNetwork, ...(this.#root && pid !== undefined ? { pid } : {}) });
  }

  async listContainerStats(): Promise<ContainerStats[]> {
    await this.#registry.load();
    const out: ContainerStats[] = [];
    for (const entry of this.#registry.containers()) {
      await this.#registry.refresh(entry);
      if (!entry.started || entry.exit) continue;
      const usage = await readProcessTreeStats(entry.started.pid);
      if (!usage) continue;
      out.push({ containerId: entry.record.id, sandboxId: entry.record.sandboxId, name: entry.record.config.name, timestamp: new Date(), ...usage });
    }
    return out;
  }

  /** Releases nothing that runs: containers (and their shim) keep running for the next instance to re-adopt. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#sandboxStarts]);
    await this.#registry.settled();
    // A network close skipped because a setup was under way (the agent stopped during one, which
    // then failed) would never come back for the bridge: do it now, while its helper still runs.
    if (this.#network && !this.#registry.sandboxes().some((s) => s.network !== undefined)) {
      await this.#network.close().catch((error: unknown) => this.#logger.warn({ err: error }, 'could not remove the pod bridge'));
    }
    this.#shim.close();
    this.#network?.release?.();
  }

  async #execTarget(containerId: string, command: readonly string[]): Promise<ExecTarget> {
    const entry = await this.#registry.refresh(await this.#registry.entry(containerId));
    if (!entry.started || entry.exit) throw new Error(`container "${containerId}" is not running`);
    const { config } = entry.record;
    const sandbox = this.#registry.sandbox(entry.record.sandboxId);
    const cwd = await containerWorkingDir(config, this.#registry.state.containerDir(containerId), this.#logger);
    // As root, enter the container's mount and network namespaces through its main process, so
    // an exec (probe or kubectl exec) sees what the container sees (its volumes, its pod IP's localhost).
    const argv = this.#root ? ['nsenter', '-t', String(entry.started.pid), '-m', '-n', `--wd=${cwd}`, '--', ...command] : [...command];
    return { argv, env: containerEnvironment(config, sandbox, this.#root), cwd };
  }
}

function firstHostIp(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return '127.0.0.1';
}
