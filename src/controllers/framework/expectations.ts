// Expectations (upstream: ControllerExpectations + UIDTrackingControllerExpectations). A controller
// that has just asked for N creates or deletes must not act on the same key again until its
// informer has seen them: otherwise a lagging cache shows too few pods and it creates twice.
//
// Worked example: an RS wants 3 pods and sees 0. It records "expect 3 adds" and creates 3 pods.
// A resync fires before the informer has delivered any of them: `satisfied(key)` is false, so the
// reconcile only updates status. Each pod ADDED event calls `creationObserved`; after the third
// the key is satisfied and the next reconcile sees 3 pods and does nothing. If an event is lost,
// the record expires after 5 minutes (upstream's ExpectationsTimeout) and the controller resyncs.
import type { Clock } from '../../lib/clock.js';

/** Upstream's ExpectationsTimeout. */
export const EXPECTATIONS_TTL_MS = 5 * 60 * 1000;

interface Record_ {
  adds: number;
  /** uids of objects we deleted and have not yet seen go (or start terminating). */
  readonly deletes: Set<string>;
  readonly setAt: number;
}

export class Expectations {
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly records = new Map<string, Record_>();

  constructor(options: { readonly clock: Clock; readonly ttlMs?: number }) {
    this.clock = options.clock;
    this.ttlMs = options.ttlMs ?? EXPECTATIONS_TTL_MS;
  }

  /**
   * True when the controller may act on `key`: nothing is expected (no record, or every expected
   * add/delete was observed), or the record is older than the TTL (an event was lost).
   */
  satisfied(key: string): boolean {
    const record = this.records.get(key);
    if (record === undefined) return true;
    if (record.adds <= 0 && record.deletes.size === 0) return true;
    return this.clock.now().getTime() - record.setAt > this.ttlMs;
  }

  /** Replaces the record of `key`: `count` creates are now in flight. */
  expectCreations(key: string, count: number): void {
    this.records.set(key, { adds: count, deletes: new Set(), setAt: this.clock.now().getTime() });
  }

  /** Replaces the record of `key`: the objects with these uids are being deleted. */
  expectDeletions(key: string, uids: readonly string[]): void {
    this.records.set(key, { adds: 0, deletes: new Set(uids), setAt: this.clock.now().getTime() });
  }

  /** The informer saw a created object (or a create failed and will not be seen). */
  creationObserved(key: string): void {
    const record = this.records.get(key);
    if (record !== undefined && record.adds > 0) record.adds -= 1;
  }

  /** The informer saw the object with `uid` deleted or terminating (or our delete of it failed). */
  deletionObserved(key: string, uid: string): void {
    this.records.get(key)?.deletes.delete(uid);
  }

  /** Forgets `key` (its owner is gone). */
  delete(key: string): void {
    this.records.delete(key);
  }

  /** For tests and logs: what is still awaited. */
  pending(key: string): { readonly adds: number; readonly deletes: number } | undefined {
    const record = this.records.get(key);
    return record === undefined ? undefined : { adds: record.adds, deletes: record.deletes.size };
  }
}
