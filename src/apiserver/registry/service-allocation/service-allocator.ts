// Cluster IP and node port allocation for Services (upstream: pkg/registry/core/service/storage
// alloc.go). A create or update reserves what the new object needs and returns a transaction:
// revert gives back what this write reserved (the write failed), commit gives back what the old
// object held and the new one no longer does (the write went through). Dry runs check without
// reserving. Error texts are upstream's, so kubectl prints what users know.
import type { FieldError } from '../../../api/field-error.js';
import { invalid } from '../../../api/field-error.js';
import type { KubeObject } from '../../../api/object.js';
import { goStringSlice, invalidRendered } from '../../../api/validation/go-value.js';
import { numberOf, recordsOf, stringOf, type JsonRecord } from '../../../api/validation/json-access.js';
import type { Logger } from '../../../lib/logger.js';
import { isIP } from 'node:net';
import { InvalidError } from '../api-errors.js';
import { AllocationFailedError, AlreadyAllocatedError, NotInRangeError } from './allocation-errors.js';
import type { RangeAllocator, ReservationOwner } from './range-allocator.js';
import {
  clusterIPsOf, heldClusterIPs, heldNodePorts, isHeadless, needsClusterIP, needsHealthCheckNodePort, needsNodePort, nodePortOf,
  ownerOf, shouldAllocateNodePorts, specOf,
} from './service-fields.js';

export interface AllocationTransaction {
  commit(): Promise<void>;
  revert(): Promise<void>;
}

export interface ServiceAllocatorOptions {
  readonly ips: RangeAllocator;
  readonly ports: RangeAllocator;
  readonly logger: Logger;
}

const SERVICE_KIND = { group: '', kind: 'Service' };

/** One write's reservations: what it took (released on revert) and what it gives up (on commit). */
class Reservations implements AllocationTransaction {
  readonly #allocator: ServiceAllocator;
  readonly owner: ReservationOwner;
  readonly #dryRun: boolean;
  readonly takenIPs: string[] = [];
  readonly takenPorts: number[] = [];
  releaseIPs: string[] = [];
  releasePorts: number[] = [];

  constructor(allocator: ServiceAllocator, owner: ReservationOwner, dryRun: boolean) {
    this.#allocator = allocator;
    this.owner = owner;
    this.#dryRun = dryRun;
  }

  async commit(): Promise<void> {
    if (this.#dryRun) return;
    await this.#allocator.release(this.owner, this.releaseIPs, this.releasePorts);
  }

  async revert(): Promise<void> {
    if (this.#dryRun) return;
    await this.#allocator.release(this.owner, this.takenIPs, this.takenPorts);
  }
}

export class ServiceAllocator {
  readonly ips: RangeAllocator;
  readonly ports: RangeAllocator;
  readonly #logger: Logger;

  constructor(options: ServiceAllocatorOptions) {
    this.ips = options.ips;
    this.ports = options.ports;
    this.#logger = options.logger;
  }

  async allocateCreate(svc: KubeObject, dryRun: boolean): Promise<AllocationTransaction> {
    const spec = specOf(svc);
    const txn = new Reservations(this, ownerOf(svc), dryRun);
    try {
      await this.#allocClusterIP(svc, spec, txn, dryRun);
      if (needsNodePort(spec)) await this.#initNodePorts(svc, spec, txn, dryRun);
      if (needsHealthCheckNodePort(spec)) await this.#allocHealthCheckNodePort(spec, txn, dryRun);
    } catch (error) {
      await txn.revert();
      throw error;
    }
    return txn;
  }

  /** `spec` has been through patchAllocatedValues / normalizeClusterIPs / dropTypeDependentFields. */
  async allocateUpdate(svc: KubeObject, old: KubeObject, dryRun: boolean): Promise<AllocationTransaction> {
    const spec = specOf(svc);
    const oldSpec = specOf(structuredClone(old));
    const txn = new Reservations(this, ownerOf(old), dryRun);
    try {
      // From ExternalName to a type with a cluster IP: allocate as a create would. Otherwise the
      // cluster IP is immutable (validation says so) and only ever released.
      if (!needsClusterIP(oldSpec) && needsClusterIP(spec)) await this.#allocClusterIP(svc, spec, txn, dryRun);
      if (needsNodePort(spec)) await this.#updateNodePorts(svc, spec, oldSpec, txn, dryRun);
      if (needsHealthCheckNodePort(spec)) {
        const before = numberOf(oldSpec.healthCheckNodePort) ?? 0;
        const requested = numberOf(spec.healthCheckNodePort) ?? 0;
        if (requested === 0 || requested !== before || !needsHealthCheckNodePort(oldSpec)) {
          await this.#allocHealthCheckNodePort(spec, txn, dryRun);
        }
      }
    } catch (error) {
      await txn.revert();
      throw error;
    }
    const keepIPs = new Set(heldClusterIPs(spec));
    const keepPorts = new Set(heldNodePorts(spec));
    txn.releaseIPs = heldClusterIPs(oldSpec).filter((ip) => !keepIPs.has(ip));
    txn.releasePorts = heldNodePorts(oldSpec).filter((p) => !keepPorts.has(p));
    return txn;
  }

  /** Everything a deleted Service held. Never throws (the repair pass catches what this misses). */
  async releaseAll(svc: KubeObject): Promise<void> {
    const spec = specOf(structuredClone(svc));
    await this.release(ownerOf(svc), heldClusterIPs(spec), heldNodePorts(spec));
  }

  async release(owner: ReservationOwner, ips: readonly string[], ports: readonly number[]): Promise<void> {
    for (const ip of ips) {
      try {
        await this.ips.release(ip, owner);
      } catch (error) {
        this.#logger.warn({ err: error, ip, namespace: owner.namespace, name: owner.name }, 'cannot release cluster IP');
      }
    }
    for (const port of ports) {
      try {
        await this.ports.release(String(port), owner);
      } catch (error) {
        this.#logger.warn({ err: error, port, namespace: owner.namespace, name: owner.name }, 'cannot release node port');
      }
    }
  }

  async #allocClusterIP(svc: KubeObject, spec: JsonRecord, txn: Reservations, dryRun: boolean): Promise<void> {
    if (!needsClusterIP(spec) || isHeadless(spec)) return;
    const owner = ownerOf(svc);
    const requested = clusterIPsOf(spec)[0] ?? stringOf(spec.clusterIP);
    if (requested === '') {
      let ip: string;
      try {
        ip = await this.ips.allocateNext(owner, dryRun);
      } catch (error) {
        throw new AllocationFailedError(`failed to allocate a serviceIP: ${(error as Error).message}`, { cause: error });
      }
      if (!dryRun) txn.takenIPs.push(ip);
      spec.clusterIP = ip;
      spec.clusterIPs = [ip];
      return;
    }
    const ips = clusterIPsOf(spec);
    if (isIP(requested) === 6) {
      throw invalidService(svc, [invalidRendered('spec.clusterIPs[0]', goStringSlice(ips), 'IPv6 is not configured on this cluster')]);
    }
    // Not an IP at all: validation reports it in its own words.
    if (isIP(requested) !== 4) return;
    try {
      if (await this.ips.allocate(requested, owner, dryRun) && !dryRun) txn.takenIPs.push(requested);
    } catch (error) {
      if (!(error instanceof NotInRangeError || error instanceof AlreadyAllocatedError)) throw error;
      const shown = ips.length > 0 ? ips : [requested];
      throw invalidService(svc, [invalidRendered('spec.clusterIPs', goStringSlice(shown), `failed to allocate IP ${requested}: ${error.message}`)]);
    }
  }

  /** Create: upstream's initNodePorts (ports sharing a port number share one node port). */
  async #initNodePorts(svc: KubeObject, spec: JsonRecord, txn: Reservations, dryRun: boolean): Promise<void> {
    const ports = recordsOf(spec.ports);
    const byServicePort = new Map<number, number>();
    for (const [i, port] of ports.entries()) {
      const requested = nodePortOf(port);
      if (requested === 0 && !shouldAllocateNodePorts(spec)) continue;
      const servicePort = numberOf(port.port) ?? 0;
      const allocated = byServicePort.get(servicePort) ?? 0;
      if (allocated === 0) {
        const wanted = ports.find((p) => (numberOf(p.port) ?? 0) === servicePort && nodePortOf(p) !== 0);
        const nodePort = wanted ? await this.#takePort(svc, nodePortOf(wanted), i, txn, dryRun) : await this.#takeNextPort(svc, txn, dryRun);
        port.nodePort = nodePort;
        byServicePort.set(servicePort, nodePort);
      } else if (requested === 0) {
        port.nodePort = allocated;
      } else if (requested !== allocated) {
        await this.#takePort(svc, requested, i, txn, dryRun);
      }
    }
  }

  /** Update: upstream's updateNodePorts; values the old object held are kept, not re-reserved. */
  async #updateNodePorts(svc: KubeObject, spec: JsonRecord, oldSpec: JsonRecord, txn: Reservations, dryRun: boolean): Promise<void> {
    const held = new Set(heldNodePorts(oldSpec));
    const taken = new Set<number>();
    for (const [i, port] of recordsOf(spec.ports).entries()) {
      const requested = nodePortOf(port);
      if (requested === 0 && !shouldAllocateNodePorts(spec)) continue;
      if (requested !== 0) {
        if (!held.has(requested) && !taken.has(requested)) {
          await this.#takePort(svc, requested, i, txn, dryRun);
          taken.add(requested);
        }
      } else {
        port.nodePort = await this.#takeNextPort(svc, txn, dryRun);
      }
    }
  }

  async #allocHealthCheckNodePort(spec: JsonRecord, txn: Reservations, dryRun: boolean): Promise<void> {
    const owner = txn.owner;
    const requested = numberOf(spec.healthCheckNodePort) ?? 0;
    try {
      if (requested !== 0) {
        if (await this.ports.allocate(String(requested), owner, dryRun) && !dryRun) txn.takenPorts.push(requested);
        return;
      }
      const port = Number(await this.ports.allocateNext(owner, dryRun));
      if (!dryRun) txn.takenPorts.push(port);
      spec.healthCheckNodePort = port;
    } catch (error) {
      const what = requested !== 0 ? `requested HealthCheck NodePort ${requested}` : 'a HealthCheck NodePort 0';
      throw new AllocationFailedError(`failed to allocate ${what}: ${(error as Error).message}`, { cause: error });
    }
  }

  async #takePort(svc: KubeObject, nodePort: number, index: number, txn: Reservations, dryRun: boolean): Promise<number> {
    try {
      if (await this.ports.allocate(String(nodePort), ownerOf(svc), dryRun) && !dryRun) txn.takenPorts.push(nodePort);
      return nodePort;
    } catch (error) {
      if (!(error instanceof NotInRangeError || error instanceof AlreadyAllocatedError)) throw error;
      throw invalidService(svc, [invalid(`spec.ports[${index}].nodePort`, nodePort, error.message)]);
    }
  }

  async #takeNextPort(svc: KubeObject, txn: Reservations, dryRun: boolean): Promise<number> {
    let port: number;
    try {
      port = Number(await this.ports.allocateNext(ownerOf(svc), dryRun));
    } catch (error) {
      throw new AllocationFailedError(`failed to allocate a nodePort: ${(error as Error).message}`, { cause: error });
    }
    if (!dryRun) txn.takenPorts.push(port);
    return port;
  }
}

function invalidService(svc: KubeObject, causes: FieldError[]): InvalidError {
  return new InvalidError(SERVICE_KIND, svc.metadata?.name ?? '', causes);
}
