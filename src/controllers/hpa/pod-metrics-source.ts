// The HPA controller's view of resource usage (what upstream reads from metrics.k8s.io). Our
// metrics API is served by code in the API server that asks node agents, not a stored kind, so a
// controller's in-process client cannot GET it: the composition root hands the controller an
// implementation of this interface instead (cmd/pod-metrics-source.ts), and tests a fake.
import type { LabelSelectorRequirementSet } from '../../api/selectors/label-selector.js';

export interface ContainerUsage {
  /** CPU in millicores, rounded up as a Quantity's MilliValue() is (1 nanocore counts as 1m). */
  readonly cpuMilli: number;
  readonly memoryBytes: number;
}

export interface PodUsage {
  /** End of the sampling window (upstream PodMetrics.timestamp), ms since the epoch. */
  readonly timestampMs: number;
  /** Length of the sampling window (upstream PodMetrics.window). */
  readonly windowMs: number;
  readonly containers: ReadonlyMap<string, ContainerUsage>;
}

export interface PodMetricsSource {
  /**
   * Usage of the pods of `namespace` that `selector` matches, by pod name. Pods without a full
   * sample yet are absent. Rejects when usage cannot be read at all (the HPA reports
   * FailedGetResourceMetric and tries again next period).
   */
  podMetrics(namespace: string, selector: LabelSelectorRequirementSet, signal: AbortSignal): Promise<ReadonlyMap<string, PodUsage>>;
}
