// Starting and stopping a container's process through the shared shim (shim-host.ts). Start turns
// a created container into a host command line (command-line.ts), hands it to the shim and records
// which processes it got, by PID and kernel start time, so that a later agent can tell they are
// still ours. Stop signals the container's process group (SIGTERM, then SIGKILL after the grace
// period) and waits until the exit is recorded, either by the shim or, for a container whose shim
// is gone, by the runtime itself.
//
// stdin and TTY: a container with `stdin: true` gets a pipe held by the shim, fed by attach sessions
// through a socket in its state directory (container-shim.ts, attach-session.ts). A container with
// `tty: true` runs under util-linux `script -qfec <command> /dev/null`, innermost (inside the
// netns/mount wrappers, so its PID still enters the container's namespaces for exec): its output is
// the terminal's (stdout and stderr merged, as containerd logs a TTY container), and its stdin pipe
// stays open even without `stdin: true`, since script would end the terminal (EOF) on a closed one.
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../../lib/logger.js';
import { ATTACH_SOCKET, MAX_SOCKET_PATH_BYTES } from './attach-session.js';
import { hostNetworkResolvConfMounts } from './host-network-resolv-conf.js';
import { containerArgv, hasMountPrologue } from './command-line.js';
import { containerEnvironment, containerWorkingDir, DEFAULT_PATH, findExecutableProblem } from './container-environment.js';
import type { PodNetworkAttachment } from './pod-network.js';
import { shellCommand } from './exec-session.js';
import { isSameProcess, processStartTime } from './process-identity.js';
import type { ContainerEntry, ProcessRegistry } from './process-registry.js';
import type { StartedRecord } from './process-state.js';
import type { ShimInput } from './shim-protocol.js';
import type { ShimHost } from './shim-host.js';

export interface ContainerProcessesOptions {
  readonly registry: ProcessRegistry;
  readonly shim: ShimHost;
  readonly logger: Logger;
  /** As root, containers get their own mount namespace and the pod's network namespace. */
  readonly root: boolean;
  readonly maxLogLineBytes: number;
}

const POLL_MS = 20;
/** How long stop waits for a SIGKILLed process group to be reported gone. */
const KILL_WAIT_MS = 10_000;

export class ContainerProcesses {
  readonly #registry: ProcessRegistry;
  readonly #shim: ShimHost;
  readonly #logger: Logger;
  readonly #root: boolean;
  readonly #maxLogLineBytes: number;

  constructor(options: ContainerProcessesOptions) {
    this.#registry = options.registry;
    this.#shim = options.shim;
    this.#logger = options.logger;
    this.#root = options.root;
    this.#maxLogLineBytes = options.maxLogLineBytes;
  }

  /** Runs a created container's command; a command that cannot start is recorded as a StartError exit. */
  async start(entry: ContainerEntry): Promise<void> {
    const containerId = entry.record.id;
    if (entry.started || entry.exit) throw new Error(`container "${containerId}" is not in created state`);
    const { config } = entry.record;
    const state = this.#registry.state;
    const sandbox = this.#registry.sandbox(entry.record.sandboxId);
    // containerd sets TERM for a TTY container unless the image or pod does.
    const env = config.tty ? { TERM: 'xterm', ...containerEnvironment(config, sandbox, this.#root) } : containerEnvironment(config, sandbox, this.#root);
    const command = [...config.command, ...config.args];
    const problem = await findExecutableProblem(command[0], env['PATH'] ?? DEFAULT_PATH);
    if (problem !== undefined) {
      await this.#registry.recordExit(entry, { exitCode: 128, finishedAt: new Date().toISOString(), reason: 'StartError', message: problem });
      throw new Error(problem);
    }
    const dir = state.containerDir(containerId);
    const cwd = await containerWorkingDir(config, dir, this.#logger);
    const netns = (sandbox?.network as PodNetworkAttachment | undefined)?.netns;
    // In a pod namespace the resolv.conf comes from /etc/netns (cni-network.ts); outside one, as a mount.
    const mounts = netns === undefined && this.#root
      ? [...config.mounts, ...(await hostNetworkResolvConfMounts({ dnsConfig: sandbox?.config.dnsConfig, containerDir: dir }))]
      : config.mounts;
    const main = config.tty ? ['script', '-qfec', shellCommand(command), '/dev/null'] : command;
    const argv = containerArgv({ command: main, mounts, root: this.#root, ...(netns !== undefined ? { netns } : {}) });
    const input = this.#input(config, join(dir, ATTACH_SOCKET));
    await mkdir(dirname(config.logPath), { recursive: true });
    let shim;
    try {
      shim = await this.#shim.start({
        argv, env, cwd, logPath: config.logPath, exitPath: state.exitPath(containerId), maxLineBytes: this.#maxLogLineBytes,
        waitReady: hasMountPrologue({ mounts, root: this.#root }),
        ...(input ? { input } : {}),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const exit = (await state.readExit(containerId)) ?? { exitCode: 128, finishedAt: new Date().toISOString(), reason: 'StartError', message };
      await this.#registry.recordExit(entry, exit);
      throw new Error(`failed to start container "${config.name}": ${message}`, { cause: error });
    }
    const started: StartedRecord = {
      shimPid: shim.shimPid,
      pid: shim.pid,
      startedAt: new Date().toISOString(),
      ...optional('shimStartTime', processStartTime(shim.shimPid)),
      ...optional('pidStartTime', processStartTime(shim.pid)),
    };
    await this.#registry.saveStarted(entry, started);
  }

  /** The stdin pipe the shim keeps, and how attach sessions reach it; undefined: stdin is /dev/null. */
  #input(config: ContainerEntry['record']['config'], socketPath: string): ShimInput | undefined {
    if (!config.stdin) return config.tty ? {} : undefined;
    if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH_BYTES) {
      // Still a held pipe (the process does not see EOF), but nobody can attach to it.
      this.#logger.warn({ container: config.name, socketPath }, 'state directory path too long for an attach socket: kubectl attach -i will not reach this container');
      return {};
    }
    return { socketPath };
  }

  /** SIGTERM, then SIGKILL after timeoutSeconds; resolves once the exit is recorded. */
  async stop(entry: ContainerEntry, timeoutSeconds: number): Promise<void> {
    if (!entry.started || (await this.#registry.refresh(entry)).exit) return;
    const pgid = entry.started.pid;
    signalGroup(pgid, 'SIGTERM');
    if (await this.#waitExit(entry, timeoutSeconds * 1000)) return;
    this.#logger.info({ container: entry.record.config.name, id: entry.record.id }, 'container ignored SIGTERM, sending SIGKILL');
    signalGroup(pgid, 'SIGKILL');
    if (await this.#waitExit(entry, KILL_WAIT_MS)) return;
    throw new Error(`container "${entry.record.id}" did not exit after SIGKILL`);
  }

  async #waitExit(entry: ContainerEntry, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    for (;;) {
      if ((await this.#registry.refresh(entry)).exit) return true;
      const started = entry.started;
      // An orphan (no shim) that is gone: nobody will write its exit code, so record the signal's.
      if (started && !isSameProcess(started.pid, started.pidStartTime) && (!isSameProcess(started.shimPid, started.shimStartTime) || !(await this.#registry.hasDir(entry)))) {
        await this.#registry.recordExit(entry, { exitCode: 137, finishedAt: new Date().toISOString(), reason: 'Error', message: 'killed without its shim' });
        return true;
      }
      if (Date.now() >= deadline) return false;
      await sleep(POLL_MS);
    }
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
