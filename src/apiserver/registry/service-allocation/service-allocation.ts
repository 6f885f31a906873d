// Assembles Service allocation for one API server: the two store-backed ranges, the allocator,
// the registry hooks and the repair pass. Where reservations live in the store:
//   /registry/k8ts.io/service-cluster-ips/<ip>      -> {namespace, name, uid, reservedAt}
//   /registry/k8ts.io/service-node-ports/<port>     -> the same
import type { Clock } from '../../../lib/clock.js';
import type { Logger } from '../../../lib/logger.js';
import type { Store } from '../../../storage/store.js';
import type { WriteHooks } from '../write-hooks.js';
import { AllocationRepair } from './allocation-repair.js';
import type { AllocationRange } from './allocation-range.js';
import { RangeAllocator } from './range-allocator.js';
import { ServiceAllocator } from './service-allocator.js';
import { serviceWriteHooks } from './service-write-hooks.js';

export const CLUSTER_IP_PREFIX = '/registry/k8ts.io/service-cluster-ips/';
export const NODE_PORT_PREFIX = '/registry/k8ts.io/service-node-ports/';

export interface ServiceAllocationOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly clusterIPRange: AllocationRange;
  readonly nodePortRange: AllocationRange;
  readonly leakGraceMs?: number;
  readonly random?: (n: number) => number;
}

export interface ServiceAllocation {
  readonly allocator: ServiceAllocator;
  readonly hooks: WriteHooks;
  readonly repair: AllocationRepair;
  /** The `kubernetes` Service's address: the first of the range. */
  readonly firstClusterIP: string;
}

export function createServiceAllocation(options: ServiceAllocationOptions): ServiceAllocation {
  const random = options.random ? { random: options.random } : {};
  const ips = new RangeAllocator({ store: options.store, prefix: CLUSTER_IP_PREFIX, range: options.clusterIPRange, clock: options.clock, ...random });
  const ports = new RangeAllocator({ store: options.store, prefix: NODE_PORT_PREFIX, range: options.nodePortRange, clock: options.clock, ...random });
  const allocator = new ServiceAllocator({ ips, ports, logger: options.logger });
  return {
    allocator,
    hooks: serviceWriteHooks(allocator, options.logger),
    repair: new AllocationRepair({
      store: options.store, allocator, clock: options.clock, logger: options.logger,
      ...(options.leakGraceMs === undefined ? {} : { leakGraceMs: options.leakGraceMs }),
    }),
    firstClusterIP: options.clusterIPRange.valueAt(0),
  };
}
