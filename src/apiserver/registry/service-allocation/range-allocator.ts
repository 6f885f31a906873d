// A range of values (cluster IPs or node ports) reserved one store key per value, like upstream's
// IPAddress objects: `<prefix><value>` holds the owning Service. Creating the key is the
// reservation, so two API servers on one store can never hand out the same value (the second
// create fails with AlreadyExists), and reservations survive restarts with the store.
import { AlreadyExistsError, ConflictError, NotFoundError } from '../../../lib/errors.js';
import type { Clock } from '../../../lib/clock.js';
import type { KeyValue, Store } from '../../../storage/store.js';
import { AlreadyAllocatedError, NotInRangeError, RangeFullError } from './allocation-errors.js';
import type { AllocationRange } from './allocation-range.js';

/** The Service a value belongs to. */
export interface ReservationOwner {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

export interface Reservation {
  readonly value: string;
  readonly owner: ReservationOwner;
  /** When it was made (RFC 3339): repair leaves young reservations alone (their create is in flight). */
  readonly reservedAt: string;
  /** The store revision to delete it at. */
  readonly revision: number;
}

export interface RangeAllocatorOptions {
  readonly store: Store;
  /** `/registry/k8ts.io/service-cluster-ips/`: must end in '/'. */
  readonly prefix: string;
  readonly range: AllocationRange;
  readonly clock: Clock;
  /** Random integer in [0, n); injectable so tests can pin the choice. */
  readonly random?: (n: number) => number;
}

export function sameOwner(a: ReservationOwner, b: ReservationOwner): boolean {
  return a.namespace === b.namespace && a.name === b.name && a.uid === b.uid;
}

export class RangeAllocator {
  readonly range: AllocationRange;
  readonly #store: Store;
  readonly #prefix: string;
  readonly #clock: Clock;
  readonly #random: (n: number) => number;

  constructor(options: RangeAllocatorOptions) {
    this.range = options.range;
    this.#store = options.store;
    this.#prefix = options.prefix;
    this.#clock = options.clock;
    this.#random = options.random ?? ((n) => Math.floor(Math.random() * n));
  }

  /**
   * Reserves a value the user asked for. Returns false when `owner` already holds it (nothing new
   * to release on failure). Dry run: only checks.
   */
  async allocate(value: string, owner: ReservationOwner, dryRun: boolean): Promise<boolean> {
    if (this.range.offsetOf(value) === undefined) throw new NotInRangeError(this.range.notInRangeMessage(value));
    const key = this.#prefix + value;
    if (dryRun) {
      const existing = await this.#store.get(key);
      if (existing === undefined) return true;
      if (sameOwner(this.#decode(existing).owner, owner)) return false;
      throw new AlreadyAllocatedError(this.range.allocatedMessage);
    }
    try {
      await this.#store.create(key, this.#encode(owner));
      return true;
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
      const existing = await this.#store.get(key);
      if (existing !== undefined && sameOwner(this.#decode(existing).owner, owner)) return false;
      throw new AlreadyAllocatedError(this.range.allocatedMessage, { cause: error });
    }
  }

  /** Reserves a random free value, the upper (dynamic) band first. Dry run: picks without reserving. */
  async allocateNext(owner: ReservationOwner, dryRun: boolean): Promise<string> {
    const used = new Set<number>();
    for (const reservation of await this.list()) {
      const offset = this.range.offsetOf(reservation.value);
      if (offset !== undefined) used.add(offset);
    }
    for (;;) {
      const offset = this.#pickFree(used, this.range.staticSize, this.range.size) ?? this.#pickFree(used, 0, this.range.staticSize);
      if (offset === undefined) throw new RangeFullError();
      const value = this.range.valueAt(offset);
      if (dryRun) return value;
      try {
        await this.#store.create(this.#prefix + value, this.#encode(owner));
        return value;
      } catch (error) {
        // Another writer (maybe another API server) took it since we listed: try another.
        if (!(error instanceof AlreadyExistsError)) throw error;
        used.add(offset);
      }
    }
  }

  /** Gives a value back, but only if `owner` holds it; a missing reservation is fine. */
  async release(value: string, owner: ReservationOwner): Promise<boolean> {
    const kv = await this.#store.get(this.#prefix + value);
    if (kv === undefined || !sameOwner(this.#decode(kv).owner, owner)) return false;
    return this.releaseAt(value, kv.modRevision);
  }

  /** Deletes a reservation if it is still the one read at `revision` (repair). */
  async releaseAt(value: string, revision: number): Promise<boolean> {
    try {
      await this.#store.delete(this.#prefix + value, revision);
      return true;
    } catch (error) {
      if (error instanceof NotFoundError || error instanceof ConflictError) return false;
      throw error;
    }
  }

  /** Records an existing use (repair of a Service whose reservation is missing). */
  async restore(value: string, owner: ReservationOwner): Promise<boolean> {
    try {
      await this.#store.create(this.#prefix + value, this.#encode(owner));
      return true;
    } catch (error) {
      if (error instanceof AlreadyExistsError) return false;
      throw error;
    }
  }

  async get(value: string): Promise<Reservation | undefined> {
    const kv = await this.#store.get(this.#prefix + value);
    return kv === undefined ? undefined : this.#decode(kv);
  }

  async list(): Promise<Reservation[]> {
    const result = await this.#store.list({ prefix: this.#prefix });
    return result.items.map((kv) => this.#decode(kv));
  }

  /** A random free offset in [low, high), scanning up from a random start (wrapping). */
  #pickFree(used: ReadonlySet<number>, low: number, high: number): number | undefined {
    const width = high - low;
    if (width <= 0) return undefined;
    const start = this.#random(width);
    for (let i = 0; i < width; i++) {
      const offset = low + ((start + i) % width);
      if (!used.has(offset)) return offset;
    }
    return undefined;
  }

  #encode(owner: ReservationOwner): string {
    return JSON.stringify({ namespace: owner.namespace, name: owner.name, uid: owner.uid, reservedAt: this.#clock.now().toISOString() });
  }

  #decode(kv: KeyValue): Reservation {
    let parsed: Partial<Record<'namespace' | 'name' | 'uid' | 'reservedAt', unknown>> = {};
    try {
      parsed = JSON.parse(kv.value) as typeof parsed;
    } catch {
      // A damaged value owns nothing; repair releases it.
    }
    const text = (v: unknown): string => (typeof v === 'string' ? v : '');
    return {
      value: kv.key.slice(this.#prefix.length),
      owner: { namespace: text(parsed.namespace), name: text(parsed.name), uid: text(parsed.uid) },
      reservedAt: text(parsed.reservedAt),
      revision: kv.modRevision,
    };
  }
}
