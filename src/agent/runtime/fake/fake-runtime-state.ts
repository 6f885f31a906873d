// The fake runtime's records (fake-runtime.ts): plain data that a new FakeRuntime instance can be
// handed to re-adopt, as a restarted agent re-adopts a real runtime's containers, and how a record
// reads as a CRI status.
import type { ContainerConfig, ContainerStatus, PodSandboxConfig, SandboxStatus } from '../runtime.js';

export interface FakeSandbox {
  readonly id: string;
  readonly config: PodSandboxConfig;
  readonly ip: string;
  readonly createdAt: Date;
  ready: boolean;
}

export interface FakeContainer {
  readonly id: string;
  readonly sandboxId: string;
  readonly config: ContainerConfig;
  readonly createdAt: Date;
  state: 'created' | 'running' | 'exited';
  startedAt?: Date;
  finishedAt?: Date;
  exitCode?: number;
  reason?: string;
  message?: string;
  /** Scripted crash: exits with code 1 this many ms after it started. */
  crashAfterMs?: number;
}

/** What survives a "restart" of the fake runtime (pass it to a new instance to re-adopt). */
export class FakeRuntimeState {
  readonly sandboxes = new Map<string, FakeSandbox>();
  readonly containers = new Map<string, FakeContainer>();
  nextId = 1;
  nextPodIp = 0;
}

export function sandboxStatus(sandbox: FakeSandbox): SandboxStatus {
  return {
    id: sandbox.id,
    podUid: sandbox.config.podUid,
    state: sandbox.ready ? 'ready' : 'notready',
    ip: sandbox.ip,
    createdAt: sandbox.createdAt,
    labels: sandbox.config.labels,
  };
}

export function containerStatus(c: FakeContainer): ContainerStatus {
  return {
    id: c.id,
    sandboxId: c.sandboxId,
    name: c.config.name,
    image: c.config.image,
    attempt: c.config.attempt,
    state: c.state,
    createdAt: c.createdAt,
    ...(c.startedAt ? { startedAt: c.startedAt } : {}),
    ...(c.finishedAt ? { finishedAt: c.finishedAt } : {}),
    ...(c.exitCode !== undefined ? { exitCode: c.exitCode } : {}),
    ...(c.reason !== undefined ? { reason: c.reason } : {}),
    ...(c.message !== undefined ? { message: c.message } : {}),
    logPath: c.config.logPath,
    labels: c.config.labels,
  };
}
