// Timings of the node lifecycle controller (kube-controller-manager flags of the same names).

export interface NodeLifecycleOptions {
  /** --node-monitor-grace-period: a node silent this long becomes Unknown (upstream 50 s). */
  readonly nodeMonitorGracePeriodMs: number;
  /** --node-startup-grace-period: allowance for a node that never reported Ready (upstream 60 s). */
  readonly nodeStartupGracePeriodMs: number;
}

export const DEFAULT_NODE_LIFECYCLE_OPTIONS: NodeLifecycleOptions = {
  nodeMonitorGracePeriodMs: 50_000,
  nodeStartupGracePeriodMs: 60_000,
};

/** The namespace where agents keep their heartbeat Leases, one per node, named after the node. */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
