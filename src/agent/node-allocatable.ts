// Node allocatable, as kubelet's GetNodeAllocatableReservation: capacity minus the reserve for
// the system (--system-reserved) minus the hard eviction thresholds (memory.available 100Mi,
// nodefs.available 10%): what is left for pods, what the scheduler packs against and what a
// container without limits sees as limits.cpu/limits.memory. Nothing goes below zero.
// Worked example: 2 cpus, 4Gi memory, --system-reserved cpu=100m,memory=256Mi ->
//   cpu 2000m - 100m = 1900m; memory 4194304Ki - 262144Ki - 102400Ki = 3829760Ki.
import { tryParseQuantity } from '../api/quantity.js';

/** k8ts's default --system-reserved (kubelet's is none): a little for the OS and the agent itself. */
export const DEFAULT_SYSTEM_RESERVED: Readonly<Record<string, string>> = { cpu: '100m', memory: '256Mi' };

/** kubelet's default --eviction-hard memory.available. */
export const HARD_EVICTION_MEMORY_BYTES = 100 * 2 ** 20;
/** kubelet's default --eviction-hard nodefs.available, as a share of the filesystem. */
export const HARD_EVICTION_NODEFS_FRACTION = 0.1;

function format(resource: string, value: number): string {
  if (resource === 'cpu') {
    const millis = Math.max(0, Math.round(value * 1000));
    return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
  }
  if (resource === 'memory' || resource === 'ephemeral-storage' || resource.startsWith('hugepages-')) {
    return `${Math.max(0, Math.floor(value / 1024))}Ki`;
  }
  return String(Math.max(0, Math.floor(value)));
}

/**
 * Capacity minus the reserve. `systemReserved` undefined: no reserve and no eviction threshold
 * (hollow and test nodes report allocatable = capacity, as before).
 */
export function nodeAllocatable(
  capacity: Readonly<Record<string, string>>,
  systemReserved: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  if (!systemReserved) return { ...capacity };
  const reserve = new Map<string, number>();
  for (const [resource, text] of Object.entries(systemReserved)) reserve.set(resource, tryParseQuantity(text) ?? 0);
  reserve.set('memory', (reserve.get('memory') ?? 0) + HARD_EVICTION_MEMORY_BYTES);
  const storage = capacity['ephemeral-storage'] === undefined ? undefined : tryParseQuantity(capacity['ephemeral-storage']);
  if (storage !== undefined) reserve.set('ephemeral-storage', (reserve.get('ephemeral-storage') ?? 0) + storage * HARD_EVICTION_NODEFS_FRACTION);
  const out: Record<string, string> = {};
  for (const [resource, text] of Object.entries(capacity)) {
    const amount = reserve.get(resource);
    const value = amount === undefined ? undefined : tryParseQuantity(text);
    out[resource] = value === undefined || amount === undefined ? text : format(resource, value - amount);
  }
  return out;
}
