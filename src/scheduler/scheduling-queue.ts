// The scheduling queue (upstream: PriorityQueue), three parts:
// - active: pods ready to be tried, highest spec.priority first, then oldest creationTimestamp;
// - backoff: pods that failed recently and wait out a per-pod backoff (1 s doubling to 10 s:
//   attempts 1, 2, 3, 4, 5+ -> 1, 2, 4, 8, 10 s, upstream's podInitialBackoff/podMaxBackoff);
// - unschedulable: pods no node fits. Retrying them is pointless until the cluster changes, so
//   they wait for a cluster event (node added/updated, assigned pod deleted) that moves them to
//   active (or to backoff if their backoff has not expired), or for 5 minutes at most.
// A move request that arrives while a pod is being scheduled is remembered (moveRequestCycle), so
// a pod that fails just after a node was added goes to backoff instead of waiting 5 minutes.
// Time comes from the injected Clock; `flush()` moves pods whose wait is over (the scheduler calls
// it on a timer; tests call it after advancing a FakeClock).
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../lib/clock.js';
import { KeyedHeap } from './keyed-heap.js';
import { podKey, podPriority } from './framework/pod-key.js';

export interface QueuedPod {
  pod: Pod;
  readonly key: string;
  /** Scheduling attempts so far (drives the backoff). */
  attempts: number;
  /** When the pod was last added or last failed (ms). */
  timestamp: number;
  /** Ordering tie-breakers: creation time, then arrival. */
  readonly created: number;
  readonly seq: number;
  /** The scheduling cycle that popped it. */
  cycle: number;
}

export interface SchedulingQueueOptions {
  readonly clock: Clock;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly maxUnschedulableMs?: number;
}

export type QueueLocation = 'active' | 'backoff' | 'unschedulable' | 'in-flight' | undefined;

function before(a: QueuedPod, b: QueuedPod): boolean {
  const pa = podPriority(a.pod);
  const pb = podPriority(b.pod);
  if (pa !== pb) return pa > pb;
  if (a.created !== b.created) return a.created < b.created;
  return a.seq < b.seq;
}

/** The parts of a pod that can change whether it fits: not status, not resourceVersion. */
function schedulingRelevant(pod: Pod): string {
  const m = pod.metadata;
  return JSON.stringify([pod.spec, m?.labels, m?.annotations, m?.ownerReferences]);
}

export class SchedulingQueue {
  private readonly clock: Clock;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxUnschedulableMs: number;
  private readonly active = new KeyedHeap<QueuedPod>({ keyOf: (q) => q.key, less: before });
  private readonly backoff = new Map<string, QueuedPod>();
  private readonly unschedulable = new Map<string, QueuedPod>();
  private readonly inFlight = new Map<string, QueuedPod>();
  private waiters: (() => void)[] = [];
  private seq = 0;
  private schedulingCycle = 0;
  private moveRequestCycle = -1;
  private closed = false;

  constructor(options: SchedulingQueueOptions) {
    this.clock = options.clock;
    this.initialBackoffMs = options.initialBackoffMs ?? 1000;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.maxUnschedulableMs = options.maxUnschedulableMs ?? 5 * 60_000;
  }

  get lengths(): { active: number; backoff: number; unschedulable: number; inFlight: number } {
    return { active: this.active.size, backoff: this.backoff.size, unschedulable: this.unschedulable.size, inFlight: this.inFlight.size };
  }

  where(key: string): QueueLocation {
    if (this.active.has(key)) return 'active';
    if (this.backoff.has(key)) return 'backoff';
    if (this.unschedulable.has(key)) return 'unschedulable';
    if (this.inFlight.has(key)) return 'in-flight';
    return undefined;
  }

  /** A new pending pod. */
  add(pod: Pod): void {
    const key = podKey(pod);
    if (this.where(key) !== undefined) {
      this.update(pod);
      return;
    }
    const created = Date.parse(pod.metadata?.creationTimestamp ?? '');
    const now = this.now();
    this.pushActive({ pod, key, attempts: 0, timestamp: now, created: Number.isNaN(created) ? now : created, seq: this.seq++, cycle: 0 });
  }

  /** A pending pod changed. An unschedulable pod whose spec/labels changed gets another try. */
  update(pod: Pod): void {
    const key = podKey(pod);
    const queued = this.active.get(key) ?? this.backoff.get(key) ?? this.inFlight.get(key);
    if (queued) {
      queued.pod = pod;
      if (this.active.has(key)) this.active.push(queued);
      return;
    }
    const waiting = this.unschedulable.get(key);
    if (!waiting) {
      this.add(pod);
      return;
    }
    const relevant = schedulingRelevant(waiting.pod) !== schedulingRelevant(pod);
    waiting.pod = pod;
    if (relevant) {
      this.unschedulable.delete(key);
      this.placeAfterWait(waiting);
    }
  }

  delete(key: string): void {
    this.active.remove(key);
    this.backoff.delete(key);
    this.unschedulable.delete(key);
    this.inFlight.delete(key);
  }

  /** The next pod to schedule, or undefined when none is active. */
  tryPop(): QueuedPod | undefined {
    const next = this.active.pop();
    if (!next) return undefined;
    this.schedulingCycle++;
    next.cycle = this.schedulingCycle;
    next.attempts++;
    this.inFlight.set(next.key, next);
    return next;
  }

  /** Waits until a pod is active (or the signal aborts / the queue closes: undefined). */
  async pop(signal: AbortSignal): Promise<QueuedPod | undefined> {
    for (;;) {
      if (signal.aborted || this.closed) return undefined;
      const next = this.tryPop();
      if (next) return next;
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          signal.removeEventListener('abort', wake);
          resolve();
        };
        this.waiters.push(wake);
        signal.addEventListener('abort', wake, { once: true });
      });
    }
  }

  /** The scheduling attempt is over (bound, requeued or dropped). */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  /** No node fits: wait for a cluster event (or backoff, if one arrived during the attempt). */
  addUnschedulable(queued: QueuedPod): void {
    this.inFlight.delete(queued.key);
    if (this.where(queued.key) !== undefined) return;
    queued.timestamp = this.now();
    if (this.moveRequestCycle >= queued.cycle) this.backoff.set(queued.key, queued);
    else this.unschedulable.set(queued.key, queued);
  }

  /** A transient error (binding failed...): retry after the backoff. */
  addBackoff(queued: QueuedPod): void {
    this.inFlight.delete(queued.key);
    if (this.where(queued.key) !== undefined) return;
    queued.timestamp = this.now();
    this.backoff.set(queued.key, queued);
  }

  /**
   * The cluster changed in a way that may make unschedulable pods fit. `which` limits the move to
   * the pods the event can help (e.g. only pods with pod affinity when a pod was bound).
   */
  moveAllToActiveOrBackoff(which?: (pod: Pod) => boolean): void {
    if (!which) this.moveRequestCycle = this.schedulingCycle;
    for (const [key, queued] of this.unschedulable) {
      if (which && !which(queued.pod)) continue;
      this.unschedulable.delete(key);
      this.placeAfterWait(queued);
    }
  }

  /** Moves pods whose backoff is over to active, and unschedulable pods older than the limit. */
  flush(): void {
    const now = this.now();
    for (const [key, queued] of this.backoff) {
      if (this.backoffExpiry(queued) <= now) {
        this.backoff.delete(key);
        this.pushActive(queued);
      }
    }
    for (const [key, queued] of this.unschedulable) {
      if (now - queued.timestamp > this.maxUnschedulableMs) {
        this.unschedulable.delete(key);
        this.placeAfterWait(queued);
      }
    }
  }

  /** Milliseconds until the earliest backoff expires (undefined when nothing waits in backoff). */
  nextBackoffInMs(): number | undefined {
    let earliest = Infinity;
    for (const queued of this.backoff.values()) earliest = Math.min(earliest, this.backoffExpiry(queued));
    return earliest === Infinity ? undefined : Math.max(0, earliest - this.now());
  }

  /** 1 s, 2 s, 4 s, 8 s, then 10 s for attempts 1..5+. */
  backoffDurationMs(attempts: number): number {
    let duration = this.initialBackoffMs;
    for (let i = 1; i < attempts; i++) {
      duration *= 2;
      if (duration > this.maxBackoffMs) return this.maxBackoffMs;
    }
    return Math.min(duration, this.maxBackoffMs);
  }

  close(): void {
    this.closed = true;
    this.wakeAll();
  }

  private backoffExpiry(queued: QueuedPod): number {
    return queued.timestamp + this.backoffDurationMs(queued.attempts);
  }

  private placeAfterWait(queued: QueuedPod): void {
    if (queued.attempts > 0 && this.backoffExpiry(queued) > this.now()) this.backoff.set(queued.key, queued);
    else this.pushActive(queued);
  }

  private pushActive(queued: QueuedPod): void {
    this.active.push(queued);
    this.wakeAll();
  }

  private wakeAll(): void {
    if (this.waiters.length === 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private now(): number {
    return this.clock.now().getTime();
  }
}
