// containerd's CRI plugin learns of an OOM kill from a TaskOOM event and of the exit from a
// TaskExit event. The two race: a ContainerStatus read between them shows an OOM-killed container
// as exit 137 with reason `Error`, and the same read moments later says `OOMKilled` (seen in CI on
// a loaded machine). The agent records a container's termination once, so a SIGKILL exit we did
// not cause ourselves is read again for a short while before its reason is believed.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../../lib/clock.js';
import type { ContainerStatus } from '../runtime.js';

export interface KillReasonOptions {
  readonly clock: Clock;
  /** How long after the exit an `Error` reason may still turn into `OOMKilled`. */
  readonly windowMs?: number;
  readonly pollMs?: number;
}

const SIGKILL_EXIT_CODE = 137;

/** True when `status` may be an OOM kill whose event has not arrived yet. */
export function mayBeUnreportedOomKill(status: ContainerStatus, now: Date, windowMs: number): boolean {
  if (status.state !== 'exited' || status.exitCode !== SIGKILL_EXIT_CODE || status.reason !== 'Error') return false;
  const finished = status.finishedAt?.getTime();
  return finished !== undefined && now.getTime() - finished < windowMs;
}

/**
 * Reads the status again (every `pollMs`) while it may still be an unreported OOM kill, until the
 * reason changes or `windowMs` after the exit has passed.
 */
export async function settleKillReason(
  first: ContainerStatus,
  read: () => Promise<ContainerStatus>,
  options: KillReasonOptions,
): Promise<ContainerStatus> {
  const windowMs = options.windowMs ?? 2000;
  const pollMs = options.pollMs ?? 50;
  let status = first;
  while (mayBeUnreportedOomKill(status, options.clock.now(), windowMs)) {
    await sleep(pollMs);
    status = await read();
  }
  return status;
}
