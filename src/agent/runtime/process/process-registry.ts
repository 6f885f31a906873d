// What the process runtime knows about its sandboxes and containers, and how it keeps that true.
// The records live on disk (process-state.ts) and are read once, lazily, on first use: that read is
// where a restarted agent re-adopts the containers a previous instance started, since the shim and
// the container processes outlive the agent. After that, a container's state is brought up to date
// from the shim's exit file or, when the shim is gone, from whether its process (checked by PID and
// kernel start time, process-identity.ts) still runs. Every change goes to disk before it counts.
import { NotFoundError } from '../../../lib/errors.js';
import type { Logger } from '../../../lib/logger.js';
import type { ShimExit } from './shim-protocol.js';
import { isSameProcess } from './process-identity.js';
import { ProcessState, type ContainerRecord, type SandboxRecord, type StartedRecord } from './process-state.js';

/** A container as the runtime tracks it: created, then started, then exited. */
export interface ContainerEntry {
  readonly record: ContainerRecord;
  started?: StartedRecord;
  exit?: ShimExit;
}

export interface ProcessRegistryOptions {
  readonly stateDir: string;
  readonly logger: Logger;
}

export class ProcessRegistry {
  readonly state: ProcessState;
  readonly #logger: Logger;
  readonly #sandboxes = new Map<string, SandboxRecord>();
  readonly #containers = new Map<string, ContainerEntry>();
  #loaded: Promise<void> | undefined;

  constructor(options: ProcessRegistryOptions) {
    this.state = new ProcessState(options.stateDir);
    this.#logger = options.logger;
  }

  /** Reads the state directory once: this is where a restarted agent re-adopts its containers. */
  load(): Promise<void> {
    this.#loaded ??= (async () => {
      await this.state.init();
      for (const record of await this.state.loadSandboxes()) this.#sandboxes.set(record.id, record);
      for (const { record, started, exit } of await this.state.loadContainers()) {
        this.#containers.set(record.id, { record, ...(started ? { started } : {}), ...(exit ? { exit } : {}) });
      }
      this.#logger.debug({ sandboxes: this.#sandboxes.size, containers: this.#containers.size }, 'state loaded');
    })();
    return this.#loaded;
  }

  /** Waits for a load already under way (closing must not race it); starts none. */
  async settled(): Promise<void> {
    await this.#loaded;
  }

  // --- sandboxes ---

  sandbox(sandboxId: string): SandboxRecord | undefined {
    return this.#sandboxes.get(sandboxId);
  }

  /** The sandbox, or NotFoundError. */
  async requireSandbox(sandboxId: string): Promise<SandboxRecord> {
    await this.load();
    const sandbox = this.#sandboxes.get(sandboxId);
    if (!sandbox) throw new NotFoundError(`pod sandbox "${sandboxId}" not found`);
    return sandbox;
  }

  sandboxes(): SandboxRecord[] {
    return [...this.#sandboxes.values()];
  }

  /** Writes a new sandbox's record, then tracks it. */
  async addSandbox(record: SandboxRecord): Promise<void> {
    await this.state.writeSandbox(record);
    this.#sandboxes.set(record.id, record);
  }

  /** Writes a tracked sandbox's changed record (it is changed in place). */
  async writeSandbox(record: SandboxRecord): Promise<void> {
    await this.state.writeSandbox(record);
  }

  async forgetSandbox(sandboxId: string): Promise<void> {
    await this.state.removeSandbox(sandboxId);
    this.#sandboxes.delete(sandboxId);
  }

  // --- containers ---

  /** The container, or NotFoundError. */
  async entry(containerId: string): Promise<ContainerEntry> {
    await this.load();
    const entry = this.#containers.get(containerId);
    if (!entry) throw new NotFoundError(`container "${containerId}" not found`);
    return entry;
  }

  has(containerId: string): boolean {
    return this.#containers.has(containerId);
  }

  containers(): ContainerEntry[] {
    return [...this.#containers.values()];
  }

  containersOf(sandboxId: string): ContainerEntry[] {
    return this.containers().filter((c) => c.record.sandboxId === sandboxId);
  }

  /** Writes a created container's record, then tracks it. */
  async saveContainer(record: ContainerRecord): Promise<void> {
    await this.state.writeContainer(record);
    this.#containers.set(record.id, { record });
  }

  async saveStarted(entry: ContainerEntry, started: StartedRecord): Promise<void> {
    entry.started = started;
    await this.state.writeStarted(entry.record.id, started);
  }

  async forgetContainer(containerId: string): Promise<void> {
    await this.state.removeContainer(containerId);
    this.#containers.delete(containerId);
  }

  /** Brings a running entry up to date: the shim's exit file, or a shim that vanished. */
  async refresh(entry: ContainerEntry): Promise<ContainerEntry> {
    const { started } = entry;
    if (!started || entry.exit) return entry;
    const exit = await this.state.readExit(entry.record.id);
    if (exit) {
      entry.exit = exit;
      return entry;
    }
    // A live shim writes the exit file once the process ended and its output is drained. The shim is
    // shared by containers, so it being alive says nothing about one whose directory another runtime
    // instance removed: no exit file can appear there.
    // (The directory check goes first: a stat, where the process check reads /proc.)
    if (isSameProcess(started.shimPid, started.shimStartTime) && ((await this.hasDir(entry)) || isSameProcess(started.pid, started.pidStartTime))) return entry;
    // The shim is gone without a word (killed, or the machine rebooted). A container process that
    // still runs keeps the container running (its logs are lost); otherwise it ended unobserved.
    if (isSameProcess(started.pid, started.pidStartTime)) return entry;
    const late = await this.state.readExit(entry.record.id);
    await this.recordExit(entry, late ?? {
      exitCode: 255,
      finishedAt: new Date().toISOString(),
      reason: 'Error',
      message: 'the container process ended while its shim was not running',
    });
    return entry;
  }

  async recordExit(entry: ContainerEntry, exit: ShimExit): Promise<void> {
    entry.exit = exit;
    try {
      await this.state.writeExit(entry.record.id, exit);
    } catch (error) {
      // Another instance over the same state dir removed the container meanwhile: nothing to keep.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  /** Whether the container's state directory still exists (another instance may have removed it). */
  hasDir(entry: ContainerEntry): Promise<boolean> {
    return Promise.resolve(this.state.hasContainerDir(entry.record.id));
  }
}
