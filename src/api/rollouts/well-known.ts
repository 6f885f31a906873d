// Names of the argoproj.io/v1alpha1 API that k8ts code shares (registry, controllers, CLI).
// Values are upstream's (pkg/apis/rollouts/v1alpha1/types.go).

export const ROLLOUTS_GROUP = 'argoproj.io';
export const ROLLOUTS_VERSION = 'v1alpha1';
export const ROLLOUTS_API_VERSION = `${ROLLOUTS_GROUP}/${ROLLOUTS_VERSION}`;

/** The label a Rollout puts on its ReplicaSets, pods and service selectors (Argo's DefaultRolloutUniqueLabelKey). */
export const ROLLOUT_POD_TEMPLATE_HASH_LABEL = 'rollouts-pod-template-hash';

/** Annotation on a ReplicaSet: when it is to be scaled down (RFC 3339). */
export const SCALE_DOWN_DEADLINE_ANNOTATION = 'scale-down-deadline';

/** Annotation on a Service or route the rollout controller manages: the Rollout's name. */
export const MANAGED_BY_ROLLOUTS_ANNOTATION = 'argo-rollouts.argoproj.io/managed-by-rollouts';

/** Labels on the AnalysisRuns a Rollout creates. */
export const ROLLOUT_TYPE_LABEL = 'rollout-type';
export const ROLLOUT_STEP_INDEX_LABEL = 'step-index';
export const RolloutType = {
  Step: 'Step',
  Background: 'Background',
  PrePromotion: 'PrePromotion',
  PostPromotion: 'PostPromotion',
} as const;

/** status.phase of a Rollout. */
export const RolloutPhase = {
  Healthy: 'Healthy',
  Degraded: 'Degraded',
  Progressing: 'Progressing',
  Paused: 'Paused',
} as const;

/** status.pauseConditions[].reason. */
export const PauseReason = {
  InconclusiveAnalysis: 'InconclusiveAnalysisRun',
  InconclusiveExperiment: 'InconclusiveExperiment',
  CanaryPauseStep: 'CanaryPauseStep',
  BlueGreenPause: 'BlueGreenPause',
} as const;

/** status.conditions[].type. */
export const RolloutConditionType = {
  InvalidSpec: 'InvalidSpec',
  Available: 'Available',
  Progressing: 'Progressing',
  ReplicaFailure: 'ReplicaFailure',
  Paused: 'Paused',
  Completed: 'Completed',
  Healthy: 'Healthy',
} as const;

/** spec.workloadRef.scaleDown values. */
export const ScaleDown = {
  Never: 'never',
  OnSuccess: 'onsuccess',
  Progressively: 'progressively',
} as const;

/** Defaults Argo's controller applies when a field is absent (utils/defaults/defaults.go; upstream spells the percentages "25", meaning 25%). */
export const RolloutDefaults = {
  replicas: 1,
  revisionHistoryLimit: 10,
  progressDeadlineSeconds: 600,
  maxSurge: '25%',
  maxUnavailable: '25%',
  scaleDownDelaySeconds: 30,
  abortScaleDownDelaySeconds: 30,
  autoPromotionEnabled: true,
  maxTrafficWeight: 100,
  successfulRunHistoryLimit: 5,
  unsuccessfulRunHistoryLimit: 5,
} as const;
