// The taints the node lifecycle controller owns, derived from a Node's conditions and
// spec.unschedulable (upstream: TaintNodesByCondition for NoSchedule, taint-based eviction for
// NoExecute). Every other taint on the node is the user's and is left alone.
import type { Node, NodeCondition, Taint } from 'kubernetes-types/core/v1.js';

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const TAINT_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
export const TAINT_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure';
export const TAINT_PID_PRESSURE = 'node.kubernetes.io/pid-pressure';
export const TAINT_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';

const MANAGED_KEYS = new Set([
  TAINT_NOT_READY, TAINT_UNREACHABLE, TAINT_UNSCHEDULABLE, TAINT_MEMORY_PRESSURE, TAINT_DISK_PRESSURE, TAINT_PID_PRESSURE,
  TAINT_NETWORK_UNAVAILABLE,
]);

/** Condition type -> (status -> taint key), as upstream's nodeConditionToTaintKeyStatusMap. */
const CONDITION_TAINTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Ready: { False: TAINT_NOT_READY, Unknown: TAINT_UNREACHABLE },
  MemoryPressure: { True: TAINT_MEMORY_PRESSURE },
  DiskPressure: { True: TAINT_DISK_PRESSURE },
  PIDPressure: { True: TAINT_PID_PRESSURE },
  NetworkUnavailable: { True: TAINT_NETWORK_UNAVAILABLE },
};

export function findCondition(node: Node, type: string): NodeCondition | undefined {
  return node.status?.conditions?.find((condition) => condition.type === type);
}

/** RFC 3339 with whole seconds, as metav1.Time serialises. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function sameTaint(a: Taint, b: Taint): boolean {
  return a.key === b.key && a.effect === b.effect;
}

/** The managed taints this node should carry now (without timeAdded). */
export function wantedManagedTaints(node: Node): Taint[] {
  const wanted: Taint[] = [];
  for (const [type, byStatus] of Object.entries(CONDITION_TAINTS)) {
    const status = findCondition(node, type)?.status;
    const key = status === undefined ? undefined : byStatus[status];
    if (key === undefined) continue;
    wanted.push({ key, effect: 'NoSchedule' });
    // Only readiness evicts: pressure conditions merely keep new pods away.
    if (type === 'Ready') wanted.push({ key, effect: 'NoExecute' });
  }
  if (node.spec?.unschedulable === true) wanted.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
  return wanted;
}

/**
 * The node's taint list with the managed ones brought up to date, or undefined when nothing
 * changes. Kept taints keep their timeAdded (it starts the eviction clock); new NoExecute taints
 * get `now`. User taints keep their order; added ones go last.
 */
export function reconcileTaints(node: Node, now: number): Taint[] | undefined {
  const current = node.spec?.taints ?? [];
  const wanted = wantedManagedTaints(node);
  const next: Taint[] = current.filter((taint) => !MANAGED_KEYS.has(taint.key) || wanted.some((w) => sameTaint(w, taint)));
  for (const taint of wanted) {
    if (next.some((existing) => sameTaint(existing, taint))) continue;
    next.push(taint.effect === 'NoExecute' ? { ...taint, timeAdded: rfc3339(now) } : taint);
  }
  const changed = next.length !== current.length || next.some((taint, i) => taint !== current[i]);
  return changed ? next : undefined;
}
