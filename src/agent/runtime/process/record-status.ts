// The process runtime's records as the runtime interface reports them (SandboxStatus,
// ContainerStatus). Kept apart from the records themselves (process-state.ts): the records are what
// is on disk and must stay readable by a later agent, while these views may change with the
// interface. An exit the shim recorded without a reason gets the one its exit code implies
// (Completed or Error, exit-reason.ts).
import { reasonForExitCode } from '../exit-reason.js';
import type { ContainerStatus, SandboxStatus } from '../runtime.js';
import type { ContainerEntry } from './process-registry.js';
import type { SandboxRecord } from './process-state.js';

export function sandboxStatus(s: SandboxRecord): SandboxStatus {
  return { id: s.id, podUid: s.config.podUid, state: s.ready ? 'ready' : 'notready', ip: s.ip, createdAt: new Date(s.createdAt), labels: s.config.labels };
}

export function containerStatus(entry: ContainerEntry): ContainerStatus {
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
