// LeaderElector: client-go's leader election over a coordination.k8s.io/v1 Lease, so that of
// several servers only one runs the controllers at a time.
//
// The holder renews spec.renewTime every retryPeriod. Another candidate takes over only once the
// lease has not changed for leaseDuration *as measured on its own clock* (upstream's observedTime:
// it never trusts the holder's timestamps, so clock skew cannot cause two leaders). A leader that
// has not renewed for renewDeadline stops leading. Every write names the resourceVersion it read,
// so of two candidates racing for an expired lease one gets ConflictError and stays a follower.
// Example with the defaults (15 s / 10 s / 2 s): the leader renews at t=0 and then is partitioned;
// it gives up at t≈10 s (renewDeadline); a follower that saw the t=0 renew takes over at t≥15 s,
// so there is a gap of ≥5 s in which nobody leads, never an overlap.
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { KubeObject } from '../api/object.js';
import type { Clock } from '../lib/clock.js';
import { systemClock } from '../lib/clock.js';
import { NotFoundError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { silentLogger } from '../lib/logger.js';
import type { ResourceClient } from './resource-client.js';
import { realTimers, sleep, type Timers } from './timers.js';

export type LeaseObject = Lease & KubeObject;
type LeaseSpec = NonNullable<Lease['spec']>;

export interface LeaderElectorOptions {
  readonly leases: ResourceClient<LeaseObject>;
  readonly namespace?: string;
  readonly name: string;
  /** Unique per candidate: hostname plus a random suffix, as upstream. */
  readonly identity: string;
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
  readonly clock?: Clock;
  readonly timers?: Timers;
  readonly logger?: Logger;
  /** On abort while leading, give the lease up so another candidate need not wait it out (default true). */
  readonly releaseOnCancel?: boolean;
}

export interface LeaderCallbacks {
  /** Called on becoming leader; `signal` aborts when leadership is lost or the elector stops. */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  onStoppedLeading?(): void;
}

/** Lease times are MicroTime: RFC 3339 with microseconds. */
function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class LeaderElector {
  private readonly leases: ResourceClient<LeaseObject>;
  private readonly namespace: string;
  private readonly name: string;
  readonly identity: string;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly logger: Logger;
  private readonly releaseOnCancel: boolean;
  /** The last lease spec seen and when (on our clock) it last changed. */
  private observed: { readonly spec: string; readonly at: number } | undefined;
  private leading = false;

  constructor(options: LeaderElectorOptions) {
    this.leases = options.leases;
    this.namespace = options.namespace ?? 'kube-system';
    this.name = options.name;
    this.identity = options.identity;
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    if (!(this.leaseDurationMs > this.renewDeadlineMs && this.renewDeadlineMs > this.retryPeriodMs)) {
      throw new RangeError('leader election needs leaseDuration > renewDeadline > retryPeriod');
    }
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? realTimers;
    this.logger = (options.logger ?? silentLogger()).child({ lease: `${this.namespace}/${this.name}`, identity: this.identity });
    this.releaseOnCancel = options.releaseOnCancel ?? true;
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** Campaigns, leads, and campaigns again after losing, until the signal aborts. */
  async run(signal: AbortSignal, callbacks: LeaderCallbacks): Promise<void> {
    while (!signal.aborted) {
      if (!(await this.acquire(signal))) return;
      await this.lead(signal, callbacks);
    }
  }

  /** Retries every retryPeriod until this candidate holds the lease; false if aborted first. */
  private async acquire(signal: AbortSignal): Promise<boolean> {
    while (!signal.aborted) {
      if (await this.tryAcquireOrRenew()) return true;
      try {
        await sleep(this.timers, this.retryPeriodMs, signal);
      } catch {
        return false;
      }
    }
    return false;
  }

  private async lead(signal: AbortSignal, callbacks: LeaderCallbacks): Promise<void> {
    const leadership = new AbortController();
    const stop = (): void => leadership.abort();
    signal.addEventListener('abort', stop, { once: true });
    this.leading = true;
    this.logger.info('became leader');
    let lastRenew = this.clock.now().getTime();
    void Promise.resolve()
      .then(() => callbacks.onStartedLeading(leadership.signal))
      .catch((error: unknown) => this.logger.error({ err: error }, 'onStartedLeading failed'));
    try {
      while (!signal.aborted) {
        try {
          await sleep(this.timers, this.retryPeriodMs, signal);
        } catch {
          break;
        }
        if (await this.tryAcquireOrRenew()) {
          lastRenew = this.clock.now().getTime();
        } else if (this.clock.now().getTime() - lastRenew >= this.renewDeadlineMs) {
          this.logger.warn('failed to renew the lease within the renew deadline: stopped leading');
          break;
        }
      }
    } finally {
      signal.removeEventListener('abort', stop);
      this.leading = false;
      leadership.abort();
      callbacks.onStoppedLeading?.();
      if (signal.aborted && this.releaseOnCancel) await this.release();
    }
  }

  /** One attempt: create the lease, renew ours, or take over an expired one. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.clock.now();
    let current: LeaseObject;
    try {
      current = await this.leases.get(this.namespace, this.name);
    } catch (error) {
      if (!(error instanceof NotFoundError)) return this.failed(error);
      const spec: LeaseSpec = {
        holderIdentity: this.identity,
        leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
        acquireTime: microTime(now),
        renewTime: microTime(now),
        leaseTransitions: 0,
      };
      try {
        const created = await this.leases.create(this.namespace, {
          apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.name, namespace: this.namespace }, spec,
        });
        this.observe(created, now.getTime());
        return true;
      } catch (createError) {
        return this.failed(createError);
      }
    }
    this.observe(current, now.getTime());
    const spec = current.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    const ours = holder === this.identity;
    const expired = this.observed !== undefined && this.observed.at + this.leaseDurationMs <= now.getTime();
    if (holder !== '' && !ours && !expired) return false;
    const next: LeaseSpec = ours
      ? { ...spec, renewTime: microTime(now), leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000) }
      : {
          ...spec,
          holderIdentity: this.identity,
          leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
          acquireTime: microTime(now),
          renewTime: microTime(now),
          leaseTransitions: (spec.leaseTransitions ?? 0) + 1,
        };
    try {
      // `current` carries the resourceVersion we read: a concurrent writer makes this a Conflict.
      const updated = await this.leases.update(this.namespace, { ...current, spec: next });
      this.observe(updated, now.getTime());
      return true;
    } catch (error) {
      return this.failed(error);
    }
  }

  private observe(lease: LeaseObject, at: number): void {
    const spec = JSON.stringify(lease.spec ?? {});
    if (this.observed?.spec !== spec) this.observed = { spec, at };
  }

  private failed(error: unknown): false {
    this.logger.debug({ err: error }, 'lease acquire/renew attempt failed');
    return false;
  }

  /** Gives the lease up (holder cleared, 1 s duration) so a successor can take it at once. */
  private async release(): Promise<void> {
    try {
      const current = await this.leases.get(this.namespace, this.name);
      if (current.spec?.holderIdentity !== this.identity) return;
      const now = microTime(this.clock.now());
      await this.leases.update(this.namespace, {
        ...current,
        spec: { ...current.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: now, acquireTime: now },
      });
    } catch (error) {
      this.logger.warn({ err: error }, 'failed to release the lease');
    }
  }
}
