// argoproj.io/v1alpha1 blue-green strategy of a Rollout (upstream types.go).
// Schema-generator syntax only: see analysis-shared.ts.
import type { RolloutAnalysis } from './analysis-shared.js';
import type { AntiAffinity, PodTemplateMetadata } from './rollout-shared.js';

/** BlueGreenStrategy defines parameters for Blue Green deployment. */
export interface BlueGreenStrategy {
  /** Name of the service that the rollout modifies as the active service. */
  activeService: string;
  /** Name of the service that the rollout modifies as the preview service. */
  previewService?: string;
  /** PreviewReplicaCount is the number of replicas to run for the preview stack before the switchover. Once the rollout is resumed the desired replicaset will be full scaled up before the switch occurs. */
  previewReplicaCount?: number;
  /** AutoPromotionEnabled indicates if the rollout should automatically promote the new ReplicaSet to the active service or enter a paused state. If not specified, the default value is true. */
  autoPromotionEnabled?: boolean;
  /** AutoPromotionSeconds is a duration in seconds in which to delay auto-promotion (default: 0). The countdown begins after the preview ReplicaSet have reached full availability. This option is ignored if autoPromotionEnabled is set to false. */
  autoPromotionSeconds?: number;
  /** MaxUnavailable The maximum number of pods that can be unavailable during a restart operation. Defaults to 25% of total replicas. */
  maxUnavailable?: number | string;
  /** ScaleDownDelaySeconds adds a delay before scaling down the previous replicaset. If omitted, the Rollout waits 30 seconds before scaling down the previous ReplicaSet. A minimum of 30 seconds is recommended to ensure IP table propagation across the nodes in a cluster. */
  scaleDownDelaySeconds?: number;
  /** ScaleDownDelayRevisionLimit limits the number of old RS that can run at once before getting scaled down. Defaults to nil. */
  scaleDownDelayRevisionLimit?: number;
  /** PrePromotionAnalysis configuration to run analysis before a selector switch. */
  prePromotionAnalysis?: RolloutAnalysis;
  /** AntiAffinity enables anti-affinity rules for Blue Green deployment. */
  antiAffinity?: AntiAffinity;
  /** PostPromotionAnalysis configuration to run analysis after a selector switch. */
  postPromotionAnalysis?: RolloutAnalysis;
  /** PreviewMetadata specify labels and annotations which will be attached to the preview pods for the duration which they act as a preview pod, and will be removed after. */
  previewMetadata?: PodTemplateMetadata;
  /** ActiveMetadata specify labels and annotations which will be attached to the active pods for the duration which they act as a active pod, and will be removed after. */
  activeMetadata?: PodTemplateMetadata;
  /** AbortScaleDownDelaySeconds adds a delay in second before scaling down the preview replicaset if update is aborted. 0 means not to scale down. Default is 30 second. */
  abortScaleDownDelaySeconds?: number;
}
