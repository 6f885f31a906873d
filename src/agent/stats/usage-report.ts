// What the agent's GET /stats/usage answers (usage-route.ts), read by the API server's Metrics API
// (apiserver/metrics-api). Rates over a window like metrics-server's; CPU in nanocores (1e9 = one
// core busy), memory working set in bytes; timestamps RFC 3339. Pods whose containers have no full
// window yet are left out, as metrics-server leaves them out.

export interface ContainerUsage {
  readonly name: string;
  readonly cpuNanoCores: number;
  readonly memoryWorkingSetBytes: number;
}

export interface WindowedUsage {
  readonly cpuNanoCores: number;
  readonly memoryWorkingSetBytes: number;
  /** The end of the window. */
  readonly timestamp: string;
  readonly windowSeconds: number;
}

export interface PodUsage {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly timestamp: string;
  readonly windowSeconds: number;
  readonly containers: readonly ContainerUsage[];
}

export interface UsageReport {
  /** Absent until the node has a full window (or when /proc cannot be read). */
  readonly node?: WindowedUsage;
  readonly pods: readonly PodUsage[];
}
