// argoproj.io/v1alpha1 RolloutStatus (upstream types.go), plus one k8ts addition: `decisions`,
// the record of every step, pause, promotion and abort with the metrics that drove it.
// Schema-generator syntax only: see analysis-shared.ts.
import type { Time } from 'kubernetes-types/meta/v1.js';
import type { AnalysisPhase } from './analysis-shared.js';

/** RolloutStatus is the status for a Rollout resource. */
export interface RolloutStatus {
  /** Abort cancel the current rollout progression. */
  abort?: boolean;
  /** PauseConditions is a list of reasons why rollout became automatically paused (e.g. CanaryPauseStep, BlueGreenPause, InconclusiveAnalysis). The items in this list are populated by the controller but are cleared by the user (e.g. plugin, argo-cd resume action) when they wish to unpause. If pause conditions is empty, but controllerPause is true, it indicates the user manually unpaused the Rollout. */
  pauseConditions?: Array<PauseCondition>;
  /** ControllerPause indicates the controller has paused the rollout. It is set to true when the controller adds a pause condition. This field helps to discern the scenario where a rollout was resumed after being paused by the controller (e.g. via the plugin). In that situation, the pauseConditions would have been cleared , but controllerPause would still be set to true. */
  controllerPause?: boolean;
  /** AbortedAt indicates the controller reconciled an aborted rollout. The controller uses this to understand if the controller needs to do some specific work when a Rollout is aborted. For example, the reconcileAbort is used to indicate if the Rollout should enter an aborted state when the latest AnalysisRun is a failure, or the controller has already put the Rollout into an aborted and should create a new AnalysisRun. */
  abortedAt?: Time;
  /** CurrentPodHash the hash of the current pod template. */
  currentPodHash?: string;
  /** CurrentStepHash the hash of the current list of steps for the current strategy. This is used to detect when the list of current steps change. */
  currentStepHash?: string;
  /** Total number of non-terminated pods targeted by this rollout (their labels match the selector). */
  replicas?: number;
  /** Total number of non-terminated pods targeted by this rollout that have the desired template spec. */
  updatedReplicas?: number;
  /** Total number of ready pods targeted by this rollout. */
  readyReplicas?: number;
  /** Total number of available pods (ready for at least minReadySeconds) targeted by this rollout. */
  availableReplicas?: number;
  /** CurrentStepIndex defines the current step of the rollout is on. If the current step index is null, the controller will execute the rollout. */
  currentStepIndex?: number;
  /** Count of hash collisions for the Rollout. The Rollout controller uses this field as a collision avoidance mechanism when it needs to create the name for the newest ReplicaSet. */
  collisionCount?: number;
  /** The generation observed by the rollout controller from metadata.generation (a string, as in Argo Rollouts). */
  observedGeneration?: string;
  /** Conditions a list of conditions a rollout can have. */
  conditions?: Array<RolloutCondition>;
  /** Canary describes the state of the canary rollout. */
  canary?: CanaryStatus;
  /** BlueGreen describes the state of the bluegreen rollout. */
  blueGreen?: BlueGreenStatus;
  /** HPAReplicas the number of non-terminated replicas that are receiving active traffic. */
  HPAReplicas?: number;
  /** Selector that identifies the pods that are receiving active traffic. */
  selector?: string;
  /** StableRS indicates the replicaset that has successfully rolled out. */
  stableRS?: string;
  /** RestartedAt indicates last time a Rollout was restarted. */
  restartedAt?: Time;
  /** PromoteFull indicates if the rollout should perform a full promotion, skipping analysis and pauses. */
  promoteFull?: boolean;
  /** Phase is the rollout phase. Clients should only rely on the value if status.observedGeneration equals metadata.generation. */
  phase?: 'Healthy' | 'Degraded' | 'Progressing' | 'Paused';
  /** Message provides details on why the rollout is in its current phase. */
  message?: string;
  /** The generation of referenced workload observed by the rollout controller. */
  workloadObservedGeneration?: string;
  /** Decisions (k8ts extension, not in Argo Rollouts) records every decision the controller took for the current and recent updates: steps, pauses, promotions, aborts and rollbacks, with the metrics behind each. Oldest first, bounded. */
  decisions?: Array<RolloutDecision>;
}

/** PauseCondition the reason for a pause and when it started. */
export interface PauseCondition {
  /** Reason: CanaryPauseStep, BlueGreenPause, InconclusiveAnalysisRun or InconclusiveExperiment. */
  reason: 'CanaryPauseStep' | 'BlueGreenPause' | 'InconclusiveAnalysisRun' | 'InconclusiveExperiment';
  /** StartTime is when the pause began. */
  startTime: Time;
}

/** RolloutCondition describes the state of a rollout at a certain point. */
export interface RolloutCondition {
  /** Type of deployment condition: InvalidSpec, Available, Progressing, ReplicaFailure, Paused, Completed or Healthy. */
  type: string;
  /** Phase of the condition, one of True, False, Unknown. */
  status: string;
  /** The last time this condition was updated. */
  lastUpdateTime: Time;
  /** Last time the condition transitioned from one status to another. */
  lastTransitionTime: Time;
  /** The reason for the condition's last transition. */
  reason: string;
  /** A human readable message indicating details about the transition. */
  message: string;
}

/** CanaryStatus status fields that only pertain to the canary rollout. */
export interface CanaryStatus {
  /** CurrentStepAnalysisRunStatus indicates the status of the current step analysis run. */
  currentStepAnalysisRunStatus?: RolloutAnalysisRunStatus;
  /** CurrentBackgroundAnalysisRunStatus indicates the status of the current background analysis run. */
  currentBackgroundAnalysisRunStatus?: RolloutAnalysisRunStatus;
  /** CurrentExperiment indicates the running experiment. */
  currentExperiment?: string;
  /** Weights records the weights which have been set on traffic provider. Only valid when using traffic routing. */
  weights?: TrafficWeights;
  /** StablePingPong For the ping-pong feature holds the current stable service, ping or pong. */
  stablePingPong?: 'ping' | 'pong';
}

/** BlueGreenStatus status fields that only pertain to the blueGreen rollout. */
export interface BlueGreenStatus {
  /** PreviewSelector indicates which replicas set the preview service is serving traffic to. */
  previewSelector?: string;
  /** ActiveSelector indicates which replicas set the active service is serving traffic to. */
  activeSelector?: string;
  /** ScaleUpPreviewCheckPoint indicates that the Replicaset receiving traffic from the preview service is ready to be scaled up after the rollout is unpaused. */
  scaleUpPreviewCheckPoint?: boolean;
  /** PrePromotionAnalysisRunStatus indicates the status of the current prepromotion analysis run. */
  prePromotionAnalysisRunStatus?: RolloutAnalysisRunStatus;
  /** PostPromotionAnalysisRunStatus indicates the status of the current post promotion analysis run. */
  postPromotionAnalysisRunStatus?: RolloutAnalysisRunStatus;
}

/** RolloutAnalysisRunStatus is the name, phase and message of an AnalysisRun a rollout started. */
export interface RolloutAnalysisRunStatus {
  /** Name of the AnalysisRun. */
  name: string;
  /** Status is the AnalysisRun's phase. */
  status: AnalysisPhase;
  /** Message is the AnalysisRun's message. */
  message?: string;
}

/** TrafficWeights describes the current status of how traffic has been split. */
export interface TrafficWeights {
  /** Canary is the current traffic weight split to canary ReplicaSet. */
  canary: WeightDestination;
  /** Stable is the current traffic weight split to stable ReplicaSet. */
  stable: WeightDestination;
  /** Additional holds the weights split to additional ReplicaSets such as experiment ReplicaSets. */
  additional?: Array<WeightDestination>;
  /** Verified is an optional indicator that the weight has been verified to have taken effect. This is currently only applicable to ALB traffic router. */
  verified?: boolean;
}

/** WeightDestination is the weight one destination of the traffic split receives. */
export interface WeightDestination {
  /** Weight is an percentage of traffic being sent to this destination. */
  weight: number;
  /** ServiceName is the Kubernetes service name traffic is being sent to. */
  serviceName?: string;
  /** PodTemplateHash is the pod template hash label for this destination. */
  podTemplateHash?: string;
}

/** RolloutDecision (k8ts extension) is one decision of the rollout controller and why it was taken. */
export interface RolloutDecision {
  /** Time the decision was taken. */
  time: Time;
  /** Kind of decision: step (moved to the next step), pause, resume, promote, abort, rollback, analysis (an analysis run completed) or hold (traffic held below the step's weight until enough pods are Ready). */
  kind: 'step' | 'pause' | 'resume' | 'promote' | 'abort' | 'rollback' | 'analysis' | 'hold';
  /** Step is the index of the canary step the decision concerns. */
  step?: number;
  /** Message says what was decided and why, e.g. "setWeight 20: canary 20%, stable 80%". */
  message: string;
  /** PodTemplateHash of the revision being rolled out when the decision was taken. */
  podTemplateHash?: string;
  /** AnalysisRun that drove the decision, if any. */
  analysisRun?: string;
  /** Metrics are the measurements behind the decision, e.g. the failing metric of an abort. */
  metrics?: Array<DecisionMetric>;
}

/** DecisionMetric (k8ts extension) is one metric's outcome as it drove a decision. */
export interface DecisionMetric {
  /** Name of the metric. */
  name: string;
  /** Phase of the metric: Successful, Failed, Error, Inconclusive... */
  phase?: AnalysisPhase;
  /** Value is the last measured value, as the AnalysisRun recorded it. */
  value?: string;
  /** Condition is the condition it was judged by, e.g. "result[0] >= 0.95". */
  condition?: string;
  /** Message is the metric's message (e.g. an error). */
  message?: string;
}
