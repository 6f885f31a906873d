// kube-controller-manager's --horizontal-pod-autoscaler-* flags, with upstream's defaults.

export interface HpaSettings {
  /** --horizontal-pod-autoscaler-sync-period: how often each HPA is evaluated. */
  readonly syncPeriodMs: number;
  /** --horizontal-pod-autoscaler-downscale-stabilization: how long a scale-down waits for agreement. */
  readonly downscaleStabilizationMs: number;
  /** --horizontal-pod-autoscaler-tolerance: ratios within 1 ± this change nothing. */
  readonly tolerance: number;
  /** --horizontal-pod-autoscaler-cpu-initialization-period: start-up cpu samples are distrusted this long. */
  readonly cpuInitializationPeriodMs: number;
  /** --horizontal-pod-autoscaler-initial-readiness-delay: a Ready flip this soon after start is start-up. */
  readonly delayOfInitialReadinessStatusMs: number;
}

export const DEFAULT_HPA_SETTINGS: HpaSettings = {
  syncPeriodMs: 15_000,
  downscaleStabilizationMs: 300_000,
  tolerance: 0.1,
  cpuInitializationPeriodMs: 300_000,
  delayOfInitialReadinessStatusMs: 30_000,
};
