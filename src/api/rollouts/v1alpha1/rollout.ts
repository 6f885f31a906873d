// argoproj.io/v1alpha1 Rollout (upstream pkg/apis/rollouts/v1alpha1/types.go): a Deployment
// replacement with canary and blue-green strategies. Schema-generator syntax only: see
// analysis-shared.ts. Status types are in rollout-status.ts.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { LabelSelector, ListMeta, ObjectMeta, Time } from 'kubernetes-types/meta/v1.js';
import type { BlueGreenStrategy } from './blue-green-strategy.js';
import type { CanaryStrategy } from './canary-strategy.js';
import type { RolloutStatus } from './rollout-status.js';

/** Rollout is a specification for a Rollout resource. */
export interface Rollout {
  /** APIVersion defines the versioned schema of this representation of an object. */
  apiVersion?: 'argoproj.io/v1alpha1';
  /** Kind is a string value representing the REST resource this object represents. */
  kind?: 'Rollout';
  /** Standard object's metadata. */
  metadata?: ObjectMeta;
  /** RolloutSpec is the spec for a Rollout resource. */
  spec: RolloutSpec;
  /** RolloutStatus is the status for a Rollout resource. */
  status?: RolloutStatus;
}

/** RolloutList is a list of Rollout resources. */
export interface RolloutList {
  /** APIVersion defines the versioned schema of this representation of an object. */
  apiVersion?: 'argoproj.io/v1alpha1';
  /** Items is the list of Rollout. */
  items: Array<Rollout>;
  /** Kind is a string value representing the REST resource this object represents. */
  kind?: 'RolloutList';
  /** Standard list metadata. */
  metadata?: ListMeta;
}

/** RolloutSpec is the spec for a Rollout resource. */
export interface RolloutSpec {
  /** Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1. */
  replicas?: number;
  /** Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this rollout. It must match the pod template's labels. */
  selector?: LabelSelector;
  /** Template describes the pods that will be created. */
  template?: PodTemplateSpec;
  /** WorkloadRef holds a references to a workload that provides Pod template. */
  workloadRef?: ObjectRef;
  /** Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready). */
  minReadySeconds?: number;
  /** The rollback window provides a way to fast track deployments to previously deployed versions. */
  rollbackWindow?: RollbackWindowSpec;
  /** The deployment strategy to use to replace existing pods with new ones. */
  strategy?: RolloutStrategy;
  /** The number of old ReplicaSets to retain. If unspecified, will retain 10 old ReplicaSets. */
  revisionHistoryLimit?: number;
  /** Paused pauses the rollout at its current step. */
  paused?: boolean;
  /** ProgressDeadlineSeconds The maximum time in seconds for a rollout to make progress before it is considered to be failed. Argo Rollouts will continue to process failed rollouts and a condition with a ProgressDeadlineExceeded reason will be surfaced in the rollout status. Note that progress will not be estimated during the time a rollout is paused. Defaults to 600s. */
  progressDeadlineSeconds?: number;
  /** ProgressDeadlineAbort is whether to abort the update when ProgressDeadlineSeconds is exceeded. */
  progressDeadlineAbort?: boolean;
  /** RestartAt indicates when all the pods of a Rollout should be restarted. */
  restartAt?: Time;
  /** Analysis configuration for the analysis runs to retain. */
  analysis?: AnalysisRunStrategy;
}

/** ObjectRef holds a references to the Kubernetes object (workloadRef). */
export interface ObjectRef {
  /** API Version of the referent. */
  apiVersion?: string;
  /** Kind of the referent. */
  kind?: string;
  /** Name of the referent. */
  name?: string;
  /** Automatically scale down deployment: "never", "onsuccess" or "progressively". */
  scaleDown?: string;
}

/** RollbackWindowSpec is how many previous revisions a rollback may fast-track to. */
export interface RollbackWindowSpec {
  /** Revisions is the number of revisions within which rollbacks skip the steps. */
  revisions?: number;
}

/** AnalysisRunStrategy configuration for the analysis runs and experiments to retain. */
export interface AnalysisRunStrategy {
  /** SuccessfulRunHistoryLimit limits the number of old successful analysis runs and experiments to be retained in a history. */
  successfulRunHistoryLimit?: number;
  /** UnsuccessfulRunHistoryLimit limits the number of old unsuccessful analysis runs and experiments to be retained in a history. Stages for unsuccessful: "Error", "Failed", "Inconclusive". */
  unsuccessfulRunHistoryLimit?: number;
}

/** RolloutStrategy defines strategy to apply during next rollout; exactly one of blueGreen and canary is set. */
export interface RolloutStrategy {
  /** BlueGreen: switch traffic from the active ReplicaSet to a fully scaled preview one at once. */
  blueGreen?: BlueGreenStrategy;
  /** Canary: move traffic and pods to the new ReplicaSet step by step. */
  canary?: CanaryStrategy;
}
