// Is a node's agent still alive? Upstream's tryUpdateNodeHealth: the controller remembers, per
// node, the last lease renewTime and Ready heartbeat it saw and *its own clock's time* when either
// last changed (the probe timestamp). Comparing the controller's clock with itself makes the check
// immune to clock skew between machines, and a freshly started (or newly elected) controller gives
// every node a full grace period before judging it.
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node, NodeCondition } from 'kubernetes-types/core/v1.js';
import { findCondition, rfc3339 } from './node-taints.js';

/** Conditions the agent reports and the controller turns Unknown when it falls silent. */
const AGENT_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

export const REASON_STATUS_UNKNOWN = 'NodeStatusUnknown';
export const MESSAGE_STATUS_UNKNOWN = 'Kubelet stopped posting node status.';
export const REASON_NEVER_UPDATED = 'NodeStatusNeverUpdated';
export const MESSAGE_NEVER_UPDATED = 'Kubelet never posted node status.';

interface HealthRecord {
  readonly uid: string;
  readonly probeTimestamp: number;
  readonly leaseRenewTime: string | undefined;
  readonly readyHeartbeat: string | undefined;
}

export class NodeHealthTracker {
  private readonly records = new Map<string, HealthRecord>();

  /** Records what `node` and its lease say now; returns the probe timestamp (ms). */
  observe(node: Node, lease: Lease | undefined, now: number): number {
    const name = node.metadata?.name ?? '';
    const uid = node.metadata?.uid ?? '';
    const leaseRenewTime = lease?.spec?.renewTime ?? undefined;
    const readyHeartbeat = findCondition(node, 'Ready')?.lastHeartbeatTime ?? undefined;
    const previous = this.records.get(name);
    const fresh =
      !previous ||
      previous.uid !== uid ||
      newer(leaseRenewTime, previous.leaseRenewTime) ||
      newer(readyHeartbeat, previous.readyHeartbeat);
    const probeTimestamp = fresh ? now : previous.probeTimestamp;
    this.records.set(name, { uid, probeTimestamp, leaseRenewTime, readyHeartbeat });
    return probeTimestamp;
  }

  forget(name: string): void {
    this.records.delete(name);
  }
}

function newer(candidate: string | undefined, seen: string | undefined): boolean {
  if (candidate === undefined) return false;
  if (seen === undefined) return true;
  return Date.parse(candidate) > Date.parse(seen);
}

/**
 * A copy of `node` whose agent conditions are Unknown (the agent has been silent too long), or
 * undefined when they already are. Existing conditions keep their heartbeat; missing ones are
 * added as never reported, with the node's creation time as heartbeat (as upstream).
 */
export function markNodeStatusUnknown<T extends Node>(node: T, now: number): T | undefined {
  const conditions: NodeCondition[] = [...(node.status?.conditions ?? [])];
  const nowText = rfc3339(now);
  let changed = false;
  for (const type of AGENT_CONDITIONS) {
    const index = conditions.findIndex((condition) => condition.type === type);
    const existing = index >= 0 ? conditions[index] : undefined;
    if (!existing) {
      conditions.push({
        type,
        status: 'Unknown',
        reason: REASON_NEVER_UPDATED,
        message: MESSAGE_NEVER_UPDATED,
        ...(node.metadata?.creationTimestamp ? { lastHeartbeatTime: node.metadata.creationTimestamp } : {}),
        lastTransitionTime: nowText,
      });
      changed = true;
    } else if (existing.status !== 'Unknown') {
      conditions[index] = { ...existing, status: 'Unknown', reason: REASON_STATUS_UNKNOWN, message: MESSAGE_STATUS_UNKNOWN, lastTransitionTime: nowText };
      changed = true;
    }
  }
  if (!changed) return undefined;
  return { ...node, status: { ...node.status, conditions } };
}
