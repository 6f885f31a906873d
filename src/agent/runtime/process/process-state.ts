// The process runtime's state on disk, one JSON file per fact, so that a restarted runtime (a new
// agent) finds everything again:
//   <stateDir>/sandboxes/<id>.json             SandboxRecord (rewritten on stop)
//   <stateDir>/containers/<id>/container.json  ContainerRecord (create)
//   <stateDir>/containers/<id>/started.json    StartedRecord (start: shim and process identity)
//   <stateDir>/containers/<id>/exit.json       ShimExit (written by the shim, or by the runtime)
//   <stateDir>/shim.log                        the shims' own stdout/stderr
//   <stateDir>/shim.sock                       where the running shim listens (shim-host.ts)
// The exit file is read synchronously: the agent checks it on every status check of a running
// container, where it does not exist yet, and through fs/promises that miss cost ~100 µs of CPU (a
// thread-pool round trip and a thrown ENOENT) against ~2 µs for existsSync (a hit: ~220 µs against
// ~10 µs). Writes stay asynchronous: creating a file costs the kernel 0.1-1 ms on this disk, which
// belongs on the thread pool, not on the event loop (measured: bench:pods, H32).
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../lib/write-file-atomic.js';
import type { ContainerConfig, PodSandboxConfig } from '../runtime.js';
import type { ShimExit } from './shim-protocol.js';

export interface SandboxRecord {
  readonly id: string;
  readonly config: PodSandboxConfig;
  readonly createdAt: string;
  readonly ip: string;
  ready: boolean;
  /** Network state for teardown (network namespace name, CNI results); absent on the host network. */
  network?: unknown;
}

export interface ContainerRecord {
  readonly id: string;
  readonly sandboxId: string;
  readonly config: ContainerConfig;
  readonly createdAt: string;
}

export interface StartedRecord {
  readonly shimPid: number;
  readonly shimStartTime?: string;
  readonly pid: number;
  readonly pidStartTime?: string;
  readonly startedAt: string;
}

export class ProcessState {
  readonly sandboxesDir: string;
  readonly containersDir: string;

  constructor(stateDir: string) {
    this.sandboxesDir = join(stateDir, 'sandboxes');
    this.containersDir = join(stateDir, 'containers');
  }

  async init(): Promise<void> {
    await mkdir(this.sandboxesDir, { recursive: true });
    await mkdir(this.containersDir, { recursive: true });
  }

  containerDir(id: string): string {
    return join(this.containersDir, id);
  }

  exitPath(id: string): string {
    return join(this.containersDir, id, 'exit.json');
  }

  async writeSandbox(record: SandboxRecord): Promise<void> {
    await writeFileAtomic(join(this.sandboxesDir, `${record.id}.json`), JSON.stringify(record), 0o600);
  }

  async removeSandbox(id: string): Promise<void> {
    await rm(join(this.sandboxesDir, `${id}.json`), { force: true });
  }

  async writeContainer(record: ContainerRecord): Promise<void> {
    await mkdir(this.containerDir(record.id), { recursive: true });
    await writeFileAtomic(join(this.containerDir(record.id), 'container.json'), JSON.stringify(record), 0o600);
  }

  async writeStarted(id: string, record: StartedRecord): Promise<void> {
    await writeFileAtomic(join(this.containerDir(id), 'started.json'), JSON.stringify(record), 0o600);
  }

  async writeExit(id: string, exit: ShimExit): Promise<void> {
    await writeFileAtomic(this.exitPath(id), JSON.stringify(exit), 0o600);
  }

  /** The exit the shim (or the runtime) recorded; undefined while the container runs. */
  readExit(id: string): Promise<ShimExit | undefined> {
    return new Promise((resolve) => resolve(readJsonSync<ShimExit>(this.exitPath(id))));
  }

  /** Whether the container's directory exists (another runtime instance may have removed it). */
  hasContainerDir(id: string): boolean {
    return existsSync(this.containerDir(id));
  }

  async removeContainer(id: string): Promise<void> {
    await rm(this.containerDir(id), { recursive: true, force: true });
  }

  async loadSandboxes(): Promise<SandboxRecord[]> {
    const out: SandboxRecord[] = [];
    for (const file of await readdir(this.sandboxesDir)) {
      if (!file.endsWith('.json')) continue;
      const record = await readJson<SandboxRecord>(join(this.sandboxesDir, file));
      if (record) out.push(record);
    }
    return out;
  }

  async loadContainers(): Promise<{ record: ContainerRecord; started?: StartedRecord; exit?: ShimExit }[]> {
    const out: { record: ContainerRecord; started?: StartedRecord; exit?: ShimExit }[] = [];
    for (const id of await readdir(this.containersDir)) {
      const dir = this.containerDir(id);
      const record = await readJson<ContainerRecord>(join(dir, 'container.json'));
      if (!record) continue;
      const started = await readJson<StartedRecord>(join(dir, 'started.json'));
      const exit = await readJson<ShimExit>(join(dir, 'exit.json'));
      out.push({ record, ...(started ? { started } : {}), ...(exit ? { exit } : {}) });
    }
    return out;
  }
}

/** Undefined when the file does not exist; existsSync first, so the common miss throws nothing. */
function readJsonSync<T>(path: string): T | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    // Removed between the two calls (the container was removed meanwhile).
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
