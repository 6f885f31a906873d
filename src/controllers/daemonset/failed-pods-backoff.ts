// How often a DaemonSet may replace a failed pod on one node (upstream: the controller's
// failedPodsBackoff, a flowcontrol.Backoff of 1 s doubling to 15 min). A node whose kubelet keeps
// rejecting the pod would otherwise see a delete and a create in a hot loop.
//
// Worked example (times in seconds): failure seen at 0 -> deleted, backoff 1. The replacement
// fails again at 0.5: 0.5 - 0 < 1, so it is in backoff: left alone, retried at 0 + 1. At 1 it is
// deleted and the backoff doubles to 2 (then 4, 8, ... 900). Once a node has gone 2 x 15 min
// without a failure its entry expires, and the next failure starts again at 1 s.
import type { Clock } from '../../lib/clock.js';

export const FAILED_POD_INITIAL_BACKOFF_MS = 1_000;
export const FAILED_POD_MAX_BACKOFF_MS = 15 * 60_000;

interface Entry {
  backoffMs: number;
  lastUpdateMs: number;
}

export class FailedPodsBackoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly clock: Clock;
  private readonly entries = new Map<string, Entry>();
  private lastGcMs = 0;

  constructor(options: { readonly clock: Clock; readonly initialMs?: number; readonly maxMs?: number }) {
    this.clock = options.clock;
    this.initialMs = options.initialMs ?? FAILED_POD_INITIAL_BACKOFF_MS;
    this.maxMs = options.maxMs ?? FAILED_POD_MAX_BACKOFF_MS;
  }

  /** Upstream's key: the DaemonSet's uid, its observed generation and the node. */
  static key(dsUid: string, observedGeneration: number, nodeName: string): string {
    return `${dsUid}/${observedGeneration}/${nodeName}`;
  }

  /** Quiet for twice the maximum: the failures were long ago, start over. */
  private expired(entry: Entry, nowMs: number): boolean {
    return nowMs - entry.lastUpdateMs > 2 * this.maxMs;
  }

  /** Whether less than the current backoff has passed since the last `next` for `key`. */
  inBackoff(key: string): boolean {
    const nowMs = this.clock.now().getTime();
    const entry = this.entries.get(key);
    if (entry === undefined || this.expired(entry, nowMs)) return false;
    return nowMs - entry.lastUpdateMs < entry.backoffMs;
  }

  /** Records a replacement now: the backoff starts at the initial value or doubles (capped). */
  next(key: string): void {
    const nowMs = this.clock.now().getTime();
    this.collectGarbage(nowMs);
    const entry = this.entries.get(key);
    const backoffMs = entry === undefined || this.expired(entry, nowMs) ? this.initialMs : Math.min(2 * entry.backoffMs, this.maxMs);
    this.entries.set(key, { backoffMs, lastUpdateMs: nowMs });
  }

  /** The current backoff of `key` (0 when it has none). */
  get(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /** Drops expired entries, at most once a minute (upstream's BackoffGCInterval). */
  private collectGarbage(nowMs: number): void {
    if (nowMs - this.lastGcMs < 60_000) return;
    this.lastGcMs = nowMs;
    for (const [key, entry] of this.entries) if (this.expired(entry, nowMs)) this.entries.delete(key);
  }
}
