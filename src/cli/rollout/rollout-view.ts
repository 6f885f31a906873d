// The view model `k8ts rollout get` prints: what the Argo Rollouts plugin calls RolloutInfo,
// computed from the Rollout and its ReplicaSets, pods and AnalysisRuns by rollout-info.ts and
// printed by rollout-tree.ts. Plain data, so the printer is tested without any API objects.
import type { PodInfo } from './pod-info.js';

export type ReplicaSetTag = 'stable' | 'canary' | 'active' | 'preview';

export interface ReplicaSetView {
  readonly name: string;
  readonly revision: number;
  /** Healthy, Progressing, ScaledDown or ReplicaFailure. */
  readonly status: string;
  readonly icon: string;
  readonly createdAt: string | undefined;
  readonly tags: readonly ReplicaSetTag[];
  readonly desired: number;
  readonly ready: number;
  readonly available: number;
  readonly images: readonly string[];
  /** The scale-down-deadline annotation (RFC 3339), when the RS waits to be scaled down. */
  readonly scaleDownDeadline?: string;
  readonly pods: readonly PodInfo[];
}

export interface AnalysisRunView {
  readonly name: string;
  readonly revision: number;
  /** Pending, Running, Successful, Failed, Error, Inconclusive. */
  readonly phase: string;
  readonly icon: string;
  readonly createdAt: string | undefined;
  readonly successful: number;
  readonly failed: number;
  readonly inconclusive: number;
  readonly error: number;
}

export interface RevisionView {
  readonly revision: number;
  readonly replicaSets: readonly ReplicaSetView[];
  readonly analysisRuns: readonly AnalysisRunView[];
}

export interface ImageView {
  readonly image: string;
  readonly tags: readonly ReplicaSetTag[];
}

export interface RolloutView {
  readonly name: string;
  readonly namespace: string;
  readonly createdAt: string | undefined;
  /** Healthy, Progressing, Paused, Degraded (Argo's phases). */
  readonly phase: string;
  readonly message: string;
  readonly icon: string;
  readonly strategy: 'Canary' | 'BlueGreen' | '';
  /** Canary with steps: `currentStepIndex/steps`, e.g. `1/3`. */
  readonly step?: string;
  readonly setWeight?: string;
  readonly actualWeight?: string;
  readonly images: readonly ImageView[];
  readonly replicas: {
    readonly desired: number;
    readonly current: number;
    readonly updated: number;
    readonly ready: number;
    readonly available: number;
  };
  /** Newest revision first. */
  readonly revisions: readonly RevisionView[];
}
