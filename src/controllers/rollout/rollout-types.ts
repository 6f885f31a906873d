// The Rollout shapes this controller reads and writes (argoproj.io/v1alpha1, field names and json
// tags as Argo Rollouts' pkg/apis/rollouts/v1alpha1/types.go). Kept structural so the kinds of
// src/api/rollouts (written in parallel) fit them; only the fields the controller uses are here.
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { AnalysisPhase } from '../../api/rollouts/v1alpha1/analysis-shared.js';
import type { AnalysisRunArgument } from '../../rollouts/analysis/analysis-types.js';

import type { ReplicaSetObject } from '../framework/kube-object-types.js';

export type { PodObject, ReplicaSetObject, DeploymentObject } from '../framework/kube-object-types.js';
export type ServiceObject = Service & KubeObject;

/** Argo's label on every ReplicaSet, pod and managed Service selector of a Rollout. */
export const ROLLOUT_HASH_LABEL = 'rollouts-pod-template-hash';
export const ROLLOUT_REVISION_ANNOTATION = 'rollout.argoproj.io/revision';
export const DESIRED_REPLICAS_ANNOTATION = 'rollout.argoproj.io/desired-replicas';
/** Argo's DefaultReplicaSetScaleDownDeadlineAnnotationKey: when an old ReplicaSet may go to 0. */
export const SCALE_DOWN_DEADLINE_ANNOTATION = 'scale-down-deadline';
/** Argo marks Services it manages (value: the rollout name). */
export const MANAGED_BY_ANNOTATION = 'argo-rollouts.argoproj.io/managed-by-rollouts';
export const ROLLOUT_API_VERSION = 'argoproj.io/v1alpha1';
/** Argo's Gateway API traffic router plugin name. */
export const GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';

export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
export const DEFAULT_REVISION_HISTORY_LIMIT = 10;
export const DEFAULT_SCALE_DOWN_DELAY_SECONDS = 30;
export const DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS = 30;
export const DEFAULT_MAX_SURGE = '25%';
export const DEFAULT_MAX_UNAVAILABLE = '25%';

export interface RolloutAnalysisTemplate {
  templateName?: string;
  clusterScope?: boolean;
}

export interface RolloutAnalysis {
  templates?: RolloutAnalysisTemplate[];
  args?: AnalysisRunArgument[];
  dryRun?: { metricName: string }[];
}

export interface RolloutAnalysisBackground extends RolloutAnalysis {
  startingStep?: number;
}

export interface HeaderRoutingMatch {
  headerName: string;
  headerValue: { exact?: string; regex?: string; prefix?: string };
}

export interface CanaryStep {
  setWeight?: number;
  pause?: { duration?: string | number };
  setCanaryScale?: { weight?: number; replicas?: number; matchTrafficWeight?: boolean };
  setHeaderRoute?: { name?: string; match?: HeaderRoutingMatch[] };
  analysis?: RolloutAnalysis;
  experiment?: unknown;
  plugin?: unknown;
  setMirrorRoute?: unknown;
}

export interface GatewayApiPluginConfig {
  httpRoute?: string;
  httpRoutes?: { name: string; useHeaderRoutes?: boolean }[];
  namespace?: string;
}

export interface RolloutTrafficRouting {
  plugins?: Record<string, unknown>;
  managedRoutes?: { name: string }[];
  /** The weight of all traffic (default 100): setWeight and the route's weights are out of it. */
  maxTrafficWeight?: number;
  /** Other routers (istio, nginx, alb, ...) are accepted by the schema; the controller reports them unsupported. */
  istio?: unknown;
  nginx?: unknown;
  alb?: unknown;
  smi?: unknown;
  ambassador?: unknown;
  appMesh?: unknown;
  traefik?: unknown;
  apisix?: unknown;
}

export interface CanaryStrategy {
  canaryService?: string;
  stableService?: string;
  steps?: CanaryStep[];
  analysis?: RolloutAnalysisBackground;
  maxSurge?: number | string;
  maxUnavailable?: number | string;
  dynamicStableScale?: boolean;
  /** With trafficRouting: a ReplicaSet sized from a weight gets at least this many pods (Argo; for availability). */
  minPodsPerReplicaSet?: number;
  /** Ephemeral metadata: on the canary's pods while they are the canary, on the stable's while stable. */
  canaryMetadata?: PodMetadata;
  stableMetadata?: PodMetadata;
  abortScaleDownDelaySeconds?: number;
  scaleDownDelaySeconds?: number;
  trafficRouting?: RolloutTrafficRouting;
}

export interface BlueGreenStrategy {
  activeService: string;
  previewService?: string;
  autoPromotionEnabled?: boolean;
  autoPromotionSeconds?: number;
  previewReplicaCount?: number;
  scaleDownDelaySeconds?: number;
  abortScaleDownDelaySeconds?: number;
  prePromotionAnalysis?: RolloutAnalysis;
  postPromotionAnalysis?: RolloutAnalysis;
  /** Ephemeral metadata: on the active pods while active, on the new pods while in preview. */
  activeMetadata?: PodMetadata;
  previewMetadata?: PodMetadata;
}

/** Labels and annotations of one side of a rollout (Argo's PodTemplateMetadata). */
export interface PodMetadata {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RolloutSpec {
  replicas?: number;
  selector?: LabelSelector;
  template?: PodTemplateSpec;
  /** scaleDown: 'never' | 'onsuccess' | 'progressively' (a plain string in the served schema, as upstream). */
  workloadRef?: { apiVersion?: string; kind?: string; name?: string; scaleDown?: string };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  paused?: boolean;
  progressDeadlineSeconds?: number;
  progressDeadlineAbort?: boolean;
  restartAt?: string;
  strategy?: { canary?: CanaryStrategy; blueGreen?: BlueGreenStrategy };
}

export type PauseReason = 'CanaryPauseStep' | 'BlueGreenPause' | 'InconclusiveAnalysisRun' | 'InconclusiveExperiment';

export interface PauseCondition {
  reason: PauseReason;
  startTime: string;
}

export type RolloutConditionType = 'Progressing' | 'Available' | 'Paused' | 'Healthy' | 'Completed' | 'InvalidSpec' | 'ReplicaFailure';
export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** type and status are plain strings in the served schema (upstream too); this controller writes the unions above. */
export interface RolloutCondition {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastUpdateTime: string;
  lastTransitionTime: string;
}

export interface RolloutAnalysisRunStatus {
  name: string;
  status: AnalysisPhase;
  message?: string;
}

export interface WeightDestination {
  weight: number;
  serviceName?: string;
  podTemplateHash?: string;
}

export interface TrafficWeights {
  canary: WeightDestination;
  stable: WeightDestination;
  verified?: boolean;
}

/** k8ts addition (issue 6 §5): one recorded decision of the controller, newest last. */
export interface RolloutDecision {
  time: string;
  kind: 'step' | 'pause' | 'resume' | 'promote' | 'abort' | 'rollback' | 'analysis' | 'hold';
  step?: number;
  message: string;
  podTemplateHash?: string;
  analysisRun?: string;
  metrics?: DecisionMetric[];
}

export interface DecisionMetric {
  name: string;
  phase?: AnalysisPhase;
  value?: string;
  condition?: string;
  message?: string;
}

export interface RolloutStatus {
  phase?: 'Healthy' | 'Progressing' | 'Paused' | 'Degraded';
  message?: string;
  observedGeneration?: string;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  HPAReplicas?: number;
  selector?: string;
  currentPodHash?: string;
  stableRS?: string;
  currentStepIndex?: number;
  currentStepHash?: string;
  pauseConditions?: PauseCondition[];
  controllerPause?: boolean;
  abort?: boolean;
  abortedAt?: string;
  promoteFull?: boolean;
  restartedAt?: string;
  collisionCount?: number;
  conditions?: RolloutCondition[];
  canary?: {
    currentStepAnalysisRunStatus?: RolloutAnalysisRunStatus;
    currentBackgroundAnalysisRunStatus?: RolloutAnalysisRunStatus;
    weights?: TrafficWeights;
  };
  blueGreen?: {
    activeSelector?: string;
    previewSelector?: string;
    prePromotionAnalysisRunStatus?: RolloutAnalysisRunStatus;
    postPromotionAnalysisRunStatus?: RolloutAnalysisRunStatus;
    scaleUpPreviewCheckPoint?: boolean;
  };
  workloadObservedGeneration?: string;
  /** k8ts-specific: the last 20 decisions (see RolloutDecision). */
  decisions?: RolloutDecision[];
}

export type RolloutObject = KubeObject & {
  apiVersion?: string;
  kind?: string;
  spec?: RolloutSpec;
  status?: RolloutStatus;
};

/** spec.replicas with Argo's default of 1. */
export function rolloutReplicas(ro: RolloutObject): number {
  return ro.spec?.replicas ?? 1;
}

/** RFC 3339 with second precision, as metav1.Time serializes. */
export function formatTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The rollout.argoproj.io/revision of a ReplicaSet (0 when absent). */
export function revisionOf(rs: ReplicaSetObject): number {
  const text = rs.metadata?.annotations?.[ROLLOUT_REVISION_ANNOTATION];
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : 0;
}
