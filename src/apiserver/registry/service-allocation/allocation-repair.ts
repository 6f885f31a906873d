// Brings the reservations back in line with the Services (upstream's ipallocator/portallocator
// repair controllers). A crash between reserving and writing the Service, or between deleting a
// Service and releasing its values, leaves a reservation nobody holds: it is released once it is
// older than `leakGraceMs` (a young one may belong to a create still in flight). A Service whose
// value has no reservation (written before allocation existed, or by an older server) gets one.
// Runs once at start-up and then every `intervalMs`; several API servers may run it at once,
// since every change is a create-if-absent or a delete at the revision read.
import { setTimeout as delay } from 'node:timers/promises';
import type { KubeObject } from '../../../api/object.js';
import type { Clock } from '../../../lib/clock.js';
import type { Logger } from '../../../lib/logger.js';
import type { Store } from '../../../storage/store.js';
import { serviceStrategy } from '../kinds/service.js';
import { ResourceKeys } from '../resource-keys.js';
import { sameOwner, type RangeAllocator, type ReservationOwner } from './range-allocator.js';
import type { ServiceAllocator } from './service-allocator.js';
import { heldClusterIPs, heldNodePorts, ownerOf, specOf } from './service-fields.js';

export interface AllocationRepairOptions {
  readonly store: Store;
  readonly allocator: ServiceAllocator;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Default one minute. */
  readonly leakGraceMs?: number;
}

export interface RepairResult {
  /** `ip/10.43.0.7`, `port/30080`. */
  readonly released: string[];
  readonly restored: string[];
}

const DEFAULT_LEAK_GRACE_MS = 60_000;

export class AllocationRepair {
  readonly #options: AllocationRepairOptions;
  readonly #servicePrefix = new ResourceKeys({ info: serviceStrategy.info }).resourcePrefix;

  constructor(options: AllocationRepairOptions) {
    this.#options = options;
  }

  async runOnce(): Promise<RepairResult> {
    const listed = await this.#options.store.list({ prefix: this.#servicePrefix });
    const ips = new Map<string, ReservationOwner>();
    const ports = new Map<string, ReservationOwner>();
    for (const kv of listed.items) {
      let svc: KubeObject;
      try {
        svc = JSON.parse(kv.value) as KubeObject;
      } catch {
        continue;
      }
      const spec = specOf(svc);
      const owner = ownerOf(svc);
      for (const ip of heldClusterIPs(spec)) ips.set(ip, owner);
      for (const port of heldNodePorts(spec)) ports.set(String(port), owner);
    }
    const result: RepairResult = { released: [], restored: [] };
    await this.#reconcile('ip', this.#options.allocator.ips, ips, result);
    await this.#reconcile('port', this.#options.allocator.ports, ports, result);
    if (result.released.length > 0 || result.restored.length > 0) {
      this.#options.logger.info({ released: result.released, restored: result.restored }, 'repaired service allocations');
    }
    return result;
  }

  /** runOnce now and every intervalMs until the signal aborts; failures are logged and retried. */
  async run(intervalMs: number, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.runOnce();
      } catch (error) {
        this.#options.logger.warn({ err: error }, 'service allocation repair failed');
      }
      try {
        await delay(intervalMs, undefined, { signal });
      } catch {
        return;
      }
    }
  }

  async #reconcile(kind: string, allocator: RangeAllocator, inUse: ReadonlyMap<string, ReservationOwner>, result: RepairResult): Promise<void> {
    const now = this.#options.clock.now().getTime();
    const grace = this.#options.leakGraceMs ?? DEFAULT_LEAK_GRACE_MS;
    const reserved = new Set<string>();
    for (const reservation of await allocator.list()) {
      reserved.add(reservation.value);
      const holder = inUse.get(reservation.value);
      if (holder && sameOwner(holder, reservation.owner)) continue;
      const reservedAt = Date.parse(reservation.reservedAt);
      if (Number.isFinite(reservedAt) && now - reservedAt < grace) continue;
      if (await allocator.releaseAt(reservation.value, reservation.revision)) {
        result.released.push(`${kind}/${reservation.value}`);
        // Held by a Service under another owner record (e.g. a recreated Service): re-record it.
        if (holder) reserved.delete(reservation.value);
      }
    }
    for (const [value, owner] of inUse) {
      if (reserved.has(value) || allocator.range.offsetOf(value) === undefined) continue;
      if (await allocator.restore(value, owner)) result.restored.push(`${kind}/${value}`);
      else this.#options.logger.warn({ kind, value, namespace: owner.namespace, name: owner.name }, 'service value is reserved by another service');
    }
  }
}
