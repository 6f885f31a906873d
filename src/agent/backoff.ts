// CrashLoopBackOff: how long a failed container waits before the agent restarts it. Upstream
// kubelet's flowcontrol.Backoff with initial 10 s and max 300 s, keyed per pod container. Pure: the
// caller passes the times (a container's finishedAt, the clock's now), so tests need no timers.
//
// Worked example (finishedAt of each exit = t_n):
//   exit 1 at t1: no entry -> not in back-off; next(t1) sets 10 s; restarted at once (restartCount 1)
//   exit 2 at t2: entry 10 s -> in back-off until t2+10 s (status CrashLoopBackOff "back-off 10s ...")
//                 at t2+10 s: next(t2) doubles to 20 s and the container restarts (restartCount 2)
//   exit 3 at t3: waits 20 s, then 40 s, 80 s, 160 s, 300 s, 300 s ...
// An entry whose last update is older than 2 x max (10 min) has expired: a container that ran
// for 10 minutes before crashing starts again at 10 s.

export interface CrashLoopBackoffOptions {
  readonly initialMs?: number;
  readonly maxMs?: number;
}

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

export class CrashLoopBackoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly entries = new Map<string, Entry>();

  constructor(options: CrashLoopBackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 10_000;
    this.maxMs = options.maxMs ?? 300_000;
  }

  /** True while a restart of `key` after an exit at `eventTime` must still wait (at `now`). */
  isInBackOffSince(key: string, eventTime: Date, now: Date): boolean {
    const entry = this.entries.get(key);
    if (!entry || this.hasExpired(eventTime.getTime(), entry.lastUpdate)) return false;
    return now.getTime() - eventTime.getTime() < entry.backoffMs;
  }

  /** Records a restart after an exit at `eventTime`: the first or an expired one starts at the initial delay. */
  next(key: string, eventTime: Date): void {
    const at = eventTime.getTime();
    const entry = this.entries.get(key);
    if (!entry || this.hasExpired(at, entry.lastUpdate)) {
      this.entries.set(key, { backoffMs: this.initialMs, lastUpdate: at });
      return;
    }
    entry.backoffMs = Math.min(entry.backoffMs * 2, this.maxMs);
    entry.lastUpdate = at;
  }

  /** The current delay of `key` in ms (0 when none). */
  delayMs(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /** When a restart waiting since `eventTime` may happen (ms since epoch), or undefined when not waiting. */
  readyAt(key: string, eventTime: Date): number | undefined {
    const entry = this.entries.get(key);
    return entry ? eventTime.getTime() + entry.backoffMs : undefined;
  }

  /** Forgets every key that starts with `prefix` (a pod's containers when the pod goes away). */
  forgetPrefix(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  private hasExpired(eventTime: number, lastUpdate: number): boolean {
    return eventTime - lastUpdate > this.maxMs * 2;
  }
}

/** `10s`, `2m40s`, `5m0s`: Go's time.Duration text for whole seconds, as the CrashLoopBackOff message shows it. */
export function formatGoDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h${minutes % 60}m${seconds % 60}s`;
}
