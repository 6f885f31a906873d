// ProcessRuntime: containers as host processes. Each container's command+args runs in its own
// process group under a detached shim (container-shim.ts, one per runtime instance) that writes the
// CRI log and the exit code, so containers outlive the agent. All state lives in files under stateDir
// (process-state.ts); a new instance over the same directory re-adopts what is still running,
// checking by PID and kernel start time that the processes are really ours. The image is recorded,
// never pulled. With a PodNetwork (root + CNI plugins) each pod gets a network namespace and IP;
// without one, pods share the host network.
import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { NotFoundError } from '../../../lib/errors.js';
import type { Logger } from '../../../lib/logger.js';
import { reasonForExitCode } from '../exit-reason.js';
import type {
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
import { containerArgv, hasMountPrologue, volumeEnv } from './command-line.js';
import type { ShimExit } from './container-shim.js';
import { ShimHost } from './shim-host.js';
import { runExec } from './exec-sync.js';
import { startExecSession } from './exec-session.js';
import { connectInSandbox } from './sandbox-connect.js';
import { readProcessTreeStats } from './process-stats.js';
import type { PodNetwork, PodNetworkAttachment } from './pod-network.js';
import { isSameProcess, processStartTime } from './process-identity.js';
import { ProcessState, type ContainerRecord, type SandboxRecord, type StartedRecord } from './process-state.js';

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

interface ContainerEntry {
  readonly record: ContainerRecord;
  started?: StartedRecord;
  exit?: ShimExit;
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const POLL_MS = 20;
/** How long stopContainer waits for a SIGKILLed process group to be reported gone. */
const KILL_WAIT_MS = 10_000;

export class ProcessRuntime implements ContainerRuntime {
  readonly name = 'process';
  readonly capabilities: RuntimeCapabilities;
  readonly #state: ProcessState;
  readonly #logger: Logger;
  readonly #network: PodNetwork | undefined;
  readonly #hostIp: string;
  readonly #maxLogLineBytes: number;
  readonly #root = process.getuid?.() === 0;
  readonly #sandboxes = new Map<string, SandboxRecord>();
  readonly #containers = new Map<string, ContainerEntry>();
  readonly #shim: ShimHost;
  #loaded: Promise<void> | undefined;

  constructor(options: ProcessRuntimeOptions) {
    this.#state = new ProcessState(options.stateDir);
    this.#logger = options.logger.child({ component: 'process-runtime' });
    this.#network = options.network;
    this.#hostIp = options.hostIp ?? firstHostIp();
    this.#maxLogLineBytes = options.maxLogLineBytes ?? 16 * 1024;
    this.#shim = new ShimHost({ logPath: join(options.stateDir, 'shim.log') });
    this.capabilities = { podNetworking: options.network !== undefined, pullsImages: false };
  }

  /** Reads the state directory once: this is where a restarted agent re-adopts its containers. */
  #load(): Promise<void> {
    this.#loaded ??= (async () => {
      await this.#state.init();
      for (const record of await this.#state.loadSandboxes()) this.#sandboxes.set(record.id, record);
      for (const { record, started, exit } of await this.#state.loadContainers()) {
        this.#containers.set(record.id, { record, ...(started ? { started } : {}), ...(exit ? { exit } : {}) });
      }
      this.#logger.debug({ sandboxes: this.#sandboxes.size, containers: this.#containers.size }, 'state loaded');
    })();
    return this.#loaded;
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    await this.#load();
    const id = randomBytes(8).toString('hex');
    let ip = this.#hostIp;
    let network: PodNetworkAttachment | undefined;
    if (!config.hostNetwork && this.#network) {
      network = await this.#network.setUp(id, config);
      ip = network.ip;
    }
    const record: SandboxRecord = { id, config, createdAt: new Date().toISOString(), ip, ready: true, ...(network ? { network } : {}) };
    await mkdir(config.logDirectory, { recursive: true });
    await this.#state.writeSandbox(record);
    this.#sandboxes.set(id, record);
    return id;
  }

  async stopPodSandbox(sandboxId: string): Promise<void> {
    await this.#load();
    const sandbox = this.#sandboxes.get(sandboxId);
    if (!sandbox) return;
    await Promise.all(this.#containersOf(sandboxId).map((c) => this.stopContainer(c.record.id, 0)));
    if (sandbox.network !== undefined && this.#network) {
      await this.#network.tearDown(sandboxId, sandbox.network as PodNetworkAttachment);
      delete sandbox.network;
    }
    sandbox.ready = false;
    await this.#state.writeSandbox(sandbox);
  }

  async removePodSandbox(sandboxId: string): Promise<void> {
    await this.#load();
    if (!this.#sandboxes.has(sandboxId)) return;
    await this.stopPodSandbox(sandboxId);
    for (const c of this.#containersOf(sandboxId)) await this.removeContainer(c.record.id);
    await this.#state.removeSandbox(sandboxId);
    this.#sandboxes.delete(sandboxId);
    // The last networked pod is gone: shared leftovers (the bridge) can go too.
    if (this.#network && ![...this.#sandboxes.values()].some((s) => s.network !== undefined)) await this.#network.close();
  }

  async podSandboxStatus(sandboxId: string): Promise<SandboxStatus> {
    await this.#load();
    const sandbox = this.#sandboxes.get(sandboxId);
    if (!sandbox) throw new NotFoundError(`pod sandbox "${sandboxId}" not found`);
    return sandboxStatus(sandbox);
  }

  async listPodSandboxes(): Promise<SandboxStatus[]> {
    await this.#load();
    return [...this.#sandboxes.values()].map(sandboxStatus);
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
    await this.#load();
    if (!this.#sandboxes.has(sandboxId)) throw new NotFoundError(`pod sandbox "${sandboxId}" not found`);
    const id = randomBytes(12).toString('hex');
    const record: ContainerRecord = { id, sandboxId, config, createdAt: new Date().toISOString() };
    await this.#state.writeContainer(record);
    this.#containers.set(id, { record });
    return id;
  }

  async startContainer(containerId: string): Promise<void> {
    const entry = await this.#entry(containerId);
    if (entry.started || entry.exit) throw new Error(`container "${containerId}" is not in created state`);
    const { config } = entry.record;
    const sandbox = this.#sandboxes.get(entry.record.sandboxId);
    const env = this.#environment(config, sandbox);
    const command = [...config.command, ...config.args];
    const problem = await findExecutableProblem(command[0], env['PATH'] ?? DEFAULT_PATH);
    if (problem !== undefined) {
      await this.#recordExit(entry, { exitCode: 128, finishedAt: new Date().toISOString(), reason: 'StartError', message: problem });
      throw new Error(problem);
    }
    const dir = this.#state.containerDir(containerId);
    const cwd = await this.#workingDir(config, dir);
    const netns = (sandbox?.network as PodNetworkAttachment | undefined)?.netns;
    const argv = containerArgv({ command, mounts: config.mounts, root: this.#root, ...(netns !== undefined ? { netns } : {}) });
    await mkdir(dirname(config.logPath), { recursive: true });
    let shim;
    try {
      shim = await this.#shim.start({
        argv, env, cwd, logPath: config.logPath, exitPath: this.#state.exitPath(containerId), maxLineBytes: this.#maxLogLineBytes,
        waitReady: hasMountPrologue({ mounts: config.mounts, root: this.#root }),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const exit = (await this.#state.readExit(containerId)) ?? { exitCode: 128, finishedAt: new Date().toISOString(), reason: 'StartError', message };
      await this.#recordExit(entry, exit);
      throw new Error(`failed to start container "${config.name}": ${message}`, { cause: error });
    }
    const started: StartedRecord = {
      shimPid: shim.shimPid,
      pid: shim.pid,
      startedAt: new Date().toISOString(),
      ...optional('shimStartTime', processStartTime(shim.shimPid)),
      ...optional('pidStartTime', processStartTime(shim.pid)),
    };
    entry.started = started;
    await this.#state.writeStarted(containerId, started);
  }

  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    const entry = await this.#entry(containerId);
    if (!entry.started || (await this.#refresh(entry)).exit) return;
    const pgid = entry.started.pid;
    signalGroup(pgid, 'SIGTERM');
    if (await this.#waitExit(entry, timeoutSeconds * 1000)) return;
    this.#logger.info({ container: entry.record.config.name, id: containerId }, 'container ignored SIGTERM, sending SIGKILL');
    signalGroup(pgid, 'SIGKILL');
    if (await this.#waitExit(entry, KILL_WAIT_MS)) return;
    throw new Error(`container "${containerId}" did not exit after SIGKILL`);
  }

  async removeContainer(containerId: string): Promise<void> {
    await this.#load();
    const entry = this.#containers.get(containerId);
    if (!entry) return;
    await this.stopContainer(containerId, 0);
    await this.#state.removeContainer(containerId);
    this.#containers.delete(containerId);
  }

  async containerStatus(containerId: string): Promise<ContainerStatus> {
    return containerStatus(await this.#refresh(await this.#entry(containerId)));
  }

  async listContainers(filter?: { readonly sandboxId?: string }): Promise<ContainerStatus[]> {
    await this.#load();
    const entries = [...this.#containers.values()].filter((c) => filter?.sandboxId === undefined || c.record.sandboxId === filter.sandboxId);
    return Promise.all(entries.map(async (entry) => containerStatus(await this.#refresh(entry))));
  }

  async execSync(containerId: string, command: readonly string[], timeoutSeconds: number): Promise<ExecResult> {
    const entry = await this.#refresh(await this.#entry(containerId));
    if (!entry.started || entry.exit) throw new Error(`container "${containerId}" is not running`);
    const { config } = entry.record;
    const sandbox = this.#sandboxes.get(entry.record.sandboxId);
    const cwd = await this.#workingDir(config, this.#state.containerDir(containerId));
    // As root, enter the container's mount and network namespaces through its main process, so
    // an exec probe sees what the container sees (its volumes, its pod IP's localhost).
    const argv = this.#root ? ['nsenter', '-t', String(entry.started.pid), '-m', '-n', `--wd=${cwd}`, '--', ...command] : [...command];
    return runExec({ argv, env: this.#environment(config, sandbox), cwd, timeoutMs: timeoutSeconds * 1000 });
  }

  async exec(request: ExecRequest): Promise<ExecSession> {
    const entry = await this.#refresh(await this.#entry(request.containerId));
    if (!entry.started || entry.exit) throw new Error(`container "${request.containerId}" is not running`);
    const { config } = entry.record;
    const sandbox = this.#sandboxes.get(entry.record.sandboxId);
    const cwd = await this.#workingDir(config, this.#state.containerDir(request.containerId));
    // Same namespaces as execSync: what the container sees.
    const argv = this.#root ? ['nsenter', '-t', String(entry.started.pid), '-m', '-n', `--wd=${cwd}`, '--', ...request.command] : [...request.command];
    return startExecSession({ argv, env: this.#environment(config, sandbox), cwd, stdin: request.stdin, stderr: request.stderr, tty: request.tty });
  }

  async portForward(sandboxId: string, port: number): Promise<Duplex> {
    await this.#load();
    const sandbox = this.#sandboxes.get(sandboxId);
    if (!sandbox) throw new NotFoundError(`pod sandbox "${sandboxId}" not found`);
    const pid = this.#containersOf(sandboxId).find((c) => c.started && !c.exit)?.started?.pid;
    return connectInSandbox({ ip: sandbox.ip, port, hostNetwork: sandbox.config.hostNetwork, ...(this.#root && pid !== undefined ? { pid } : {}) });
  }

  async listContainerStats(): Promise<ContainerStats[]> {
    await this.#load();
    const out: ContainerStats[] = [];
    for (const entry of this.#containers.values()) {
      await this.#refresh(entry);
      if (!entry.started || entry.exit) continue;
      const usage = await readProcessTreeStats(entry.started.pid);
      if (!usage) continue;
      out.push({ containerId: entry.record.id, sandboxId: entry.record.sandboxId, name: entry.record.config.name, timestamp: new Date(), ...usage });
    }
    return out;
  }

  /** Releases nothing that runs: containers (and their shim) keep running for the next instance to re-adopt. */
  async close(): Promise<void> {
    await this.#loaded;
    this.#shim.close();
    this.#network?.release?.();
  }

  // --- internals ---

  async #entry(containerId: string): Promise<ContainerEntry> {
    await this.#load();
    const entry = this.#containers.get(containerId);
    if (!entry) throw new NotFoundError(`container "${containerId}" not found`);
    return entry;
  }

  #containersOf(sandboxId: string): ContainerEntry[] {
    return [...this.#containers.values()].filter((c) => c.record.sandboxId === sandboxId);
  }

  /** Brings a running entry up to date: the shim's exit file, or a shim that vanished. */
  async #refresh(entry: ContainerEntry): Promise<ContainerEntry> {
    const { started } = entry;
    if (!started || entry.exit) return entry;
    const exit = await this.#state.readExit(entry.record.id);
    if (exit) {
      entry.exit = exit;
      return entry;
    }
    // A live shim writes the exit file once the process ended and its output is drained. The shim is
    // shared by containers, so it being alive says nothing about one whose directory another runtime
    // instance removed: no exit file can appear there.
    if (isSameProcess(started.shimPid, started.shimStartTime) && (isSameProcess(started.pid, started.pidStartTime) || (await this.#hasDir(entry)))) return entry;
    // The shim is gone without a word (killed, or the machine rebooted). A container process that
    // still runs keeps the container running (its logs are lost); otherwise it ended unobserved.
    if (isSameProcess(started.pid, started.pidStartTime)) return entry;
    const late = await this.#state.readExit(entry.record.id);
    await this.#recordExit(entry, late ?? {
      exitCode: 255,
      finishedAt: new Date().toISOString(),
      reason: 'Error',
      message: 'the container process ended while its shim was not running',
    });
    return entry;
  }

  async #recordExit(entry: ContainerEntry, exit: ShimExit): Promise<void> {
    entry.exit = exit;
    try {
      await this.#state.writeExit(entry.record.id, exit);
    } catch (error) {
      // Another instance over the same state dir removed the container meanwhile: nothing to keep.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  async #waitExit(entry: ContainerEntry, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    for (;;) {
      if ((await this.#refresh(entry)).exit) return true;
      const started = entry.started;
      // An orphan (no shim) that is gone: nobody will write its exit code, so record the signal's.
      if (started && !isSameProcess(started.pid, started.pidStartTime) && (!isSameProcess(started.shimPid, started.shimStartTime) || !(await this.#hasDir(entry)))) {
        await this.#recordExit(entry, { exitCode: 137, finishedAt: new Date().toISOString(), reason: 'Error', message: 'killed without its shim' });
        return true;
      }
      if (Date.now() >= deadline) return false;
      await sleep(POLL_MS);
    }
  }

  async #hasDir(entry: ContainerEntry): Promise<boolean> {
    return stat(this.#state.containerDir(entry.record.id)).then(() => true, () => false);
  }

  #environment(config: ContainerConfig, sandbox: SandboxRecord | undefined): Record<string, string> {
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? DEFAULT_PATH,
      HOSTNAME: sandbox?.config.hostname ?? '',
      ...(this.#root ? {} : volumeEnv(config.mounts)),
    };
    for (const { name, value } of config.env) env[name] = value;
    return env;
  }

  /** The pod's workingDir when it exists on the host, else a directory of the container's own. */
  async #workingDir(config: ContainerConfig, containerDir: string): Promise<string> {
    if (config.workingDir !== undefined && isAbsolute(config.workingDir)) {
      const found = await stat(config.workingDir).catch(() => undefined);
      if (found?.isDirectory()) return config.workingDir;
      this.#logger.warn({ container: config.name, workingDir: config.workingDir }, 'workingDir does not exist on the host, using a private directory');
    }
    const dir = join(containerDir, 'work');
    await mkdir(dir, { recursive: true });
    return dir;
  }
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** undefined when the command can be executed; else containerd's wording of why not. */
async function findExecutableProblem(file: string | undefined, path: string): Promise<string | undefined> {
  if (file === undefined || file === '') return 'no command specified';
  const candidates = file.includes('/') ? [file] : path.split(delimiter).filter((d) => d !== '').map((d) => join(d, file));
  for (const candidate of candidates) {
    try {
      await access(candidate, fsConstants.X_OK);
      if ((await stat(candidate)).isFile()) return undefined;
    } catch {
      // Try the next directory.
    }
  }
  return file.includes('/')
    ? `exec: "${file}": stat ${file}: no such file or directory`
    : `exec: "${file}": executable file not found in $PATH`;
}

function firstHostIp(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return '127.0.0.1';
}

function sandboxStatus(s: SandboxRecord): SandboxStatus {
  return { id: s.id, podUid: s.config.podUid, state: s.ready ? 'ready' : 'notready', ip: s.ip, createdAt: new Date(s.createdAt), labels: s.config.labels };
}

function containerStatus(entry: ContainerEntry): ContainerStatus {
  const { record, started, exit } = entry;
  const state = exit ? 'exited' : started ? 'running' : 'created';
  const startedAt = started?.startedAt ?? (exit ? exit.finishedAt : undefined);
  return {
    id: record.id,
    sandboxId: record.sandboxId,
    name: record.config.name,
    image: record.config.image,
    attempt: record.config.attempt,
    state,
    createdAt: new Date(record.createdAt),
    ...(startedAt !== undefined ? { startedAt: new Date(startedAt) } : {}),
    ...(exit ? { finishedAt: new Date(exit.finishedAt), exitCode: exit.exitCode, reason: exit.reason ?? reasonForExitCode(exit.exitCode) } : {}),
    ...(exit?.message !== undefined ? { message: exit.message } : {}),
    logPath: record.config.logPath,
    labels: record.config.labels,
  };
}
