// argoproj.io/v1alpha1 canary strategy of a Rollout (upstream types.go): the steps, the traffic
// routing, and the background analysis. Schema-generator syntax only: see analysis-shared.ts.
import type { AnalysisRunArgument, AnalysisRunMetadata, AnalysisTemplateRef, DryRun, MeasurementRetention, RolloutAnalysis } from './analysis-shared.js';
import type { AntiAffinity, PodTemplateMetadata } from './rollout-shared.js';

/** CanaryStrategy defines parameters for a Replica Based Canary. */
export interface CanaryStrategy {
  /** CanaryService holds the name of a service which selects pods with canary version and don't select any pods with stable version. */
  canaryService?: string;
  /** StableService holds the name of a service which selects pods with stable version and don't select any pods with canary version. */
  stableService?: string;
  /** Steps define the order of phases to execute the canary deployment. */
  steps?: Array<CanaryStep>;
  /** TrafficRouting hosts all the supported service meshes supported to enable more fine-grained traffic routing. */
  trafficRouting?: RolloutTrafficRouting;
  /** MaxUnavailable: The maximum number of pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of total pods at the start of update (ex: 10%). Absolute number is calculated from percentage by rounding down. This can not be 0 if MaxSurge is 0. By default, a fixed value of 25% is used. */
  maxUnavailable?: number | string;
  /** MaxSurge: The maximum number of pods that can be scheduled above the original number of pods. Value can be an absolute number (ex: 5) or a percentage of total pods at the start of the update (ex: 10%). This can not be 0 if MaxUnavailable is 0. Absolute number is calculated from percentage by rounding up. By default, a value of 25% is used. */
  maxSurge?: number | string;
  /** Analysis runs a separate analysisRun while all the steps execute. This is intended to be a continuous validation of the new ReplicaSet. */
  analysis?: RolloutAnalysisBackground;
  /** AntiAffinity enables anti-affinity rules for Canary deployment. */
  antiAffinity?: AntiAffinity;
  /** CanaryMetadata specify labels and annotations which will be attached to the canary pods for the duration which they act as a canary, and will be removed after. */
  canaryMetadata?: PodTemplateMetadata;
  /** StableMetadata specify labels and annotations which will be attached to the stable pods for the duration which they act as a canary, and will be removed after. */
  stableMetadata?: PodTemplateMetadata;
  /** ScaleDownDelaySeconds adds a delay before scaling down the previous ReplicaSet when the canary strategy is used with traffic routing (default 30 seconds). */
  scaleDownDelaySeconds?: number;
  /** ScaleDownDelayRevisionLimit limits the number of old RS that can run at one time before getting scaled down. Defaults to nil. */
  scaleDownDelayRevisionLimit?: number;
  /** AbortScaleDownDelaySeconds adds a delay in second before scaling down the canary pods when update is aborted for canary strategy with traffic routing (not applicable for basic canary). 0 means canary pods are not scaled down. Default is 30 seconds. */
  abortScaleDownDelaySeconds?: number;
  /** DynamicStableScale is a traffic routing feature which dynamically scales the stable ReplicaSet to minimize total pods which are running during an update. */
  dynamicStableScale?: boolean;
  /** PingPongSpec holds the ping and pong services. */
  pingPong?: PingPongSpec;
  /** Assuming the desired number of pods in a stable or canary ReplicaSet is not zero, then make sure it is at least MinPodsPerReplicaSet for High Availability. Only applicable for TrafficRoutedCanary. */
  minPodsPerReplicaSet?: number;
  /** ReplicaProgressThreshold is the threshold of ready replicas at which a step may proceed. */
  replicaProgressThreshold?: ReplicaProgressThreshold;
}

/** PingPongSpec holds the ping and pong service name. */
export interface PingPongSpec {
  /** name of the ping service. */
  pingService: string;
  /** name of the pong service. */
  pongService: string;
}

/** ReplicaProgressThreshold is the number or percentage of ready replicas at which a step proceeds. */
export interface ReplicaProgressThreshold {
  /** Type is "Percent" or "Pods". */
  type: 'Percent' | 'Pods';
  /** Value is the threshold (a percentage or a pod count). */
  value: number;
}

/** RolloutAnalysisBackground is a RolloutAnalysis run in the background from startingStep on. */
export interface RolloutAnalysisBackground {
  /** Templates reference to a list of analysis templates to combine for an AnalysisRun. */
  templates?: Array<AnalysisTemplateRef>;
  /** Args the arguments that will be added to the AnalysisRuns. */
  args?: Array<AnalysisRunArgument>;
  /** DryRun object contains the settings for running the analysis in Dry-Run mode. */
  dryRun?: Array<DryRun>;
  /** MeasurementRetention object contains the settings for retaining the number of measurements during the analysis. */
  measurementRetention?: Array<MeasurementRetention>;
  /** AnalysisRunMetadata labels and annotations that will be added to the AnalysisRuns. */
  analysisRunMetadata?: AnalysisRunMetadata;
  /** StartingStep indicates which step the background analysis should start on. If not listed, controller defaults to 0. */
  startingStep?: number;
}

/** CanaryStep defines a step of a canary deployment; exactly one of its fields is set. */
export interface CanaryStep {
  /** SetWeight sets what percentage of the newRS should receive (0-100). */
  setWeight?: number;
  /** Pause freezes the rollout by setting spec.Paused to true. A Rollout will resume when spec.Paused is reset to false. */
  pause?: RolloutPause;
  /** Experiment defines the experiment object that should be created. Accepted but not run by k8ts. */
  experiment?: unknown;
  /** Analysis defines the AnalysisRun that will run for a step. */
  analysis?: RolloutAnalysis;
  /** SetCanaryScale defines how to scale the newRS without changing traffic weight. */
  setCanaryScale?: SetCanaryScale;
  /** SetHeaderRoute defines the route with specified header name to send 100% of traffic to the canary service. */
  setHeaderRoute?: SetHeaderRoute;
  /** SetMirrorRoute Mirrors traffic that matches rules to a particular destination. */
  setMirrorRoute?: SetMirrorRoute;
  /** Plugin defines a step plugin to run. Accepted but not run by k8ts. */
  plugin?: PluginStep;
}

/** RolloutPause defines a pause stage for a rollout. */
export interface RolloutPause {
  /** Duration the amount of time to wait before moving to the next step: an integer (seconds) or a string with a unit, e.g. "30s", "1m", "1h". Omitted: pause until resumed. */
  duration?: number | string;
}

/** SetCanaryScale defines how to scale the newRS without changing traffic weight; exactly one field is set. */
export interface SetCanaryScale {
  /** Weight sets the percentage of replicas the newRS should have. */
  weight?: number;
  /** Replicas sets the number of replicas the newRS should have. */
  replicas?: number;
  /** MatchTrafficWeight cancels out previously set Replicas or Weight, effectively activating SetWeight. */
  matchTrafficWeight?: boolean;
}

/** SetHeaderRoute defines the route with specified header name to send 100% of traffic to the canary service. */
export interface SetHeaderRoute {
  /** Name this is the name of the route to use for the mirroring of traffic this also needs to be included in the `spec.strategy.canary.trafficRouting.managedRoutes` field. */
  name?: string;
  /** Match are the header matches; omitted, the named route is removed. */
  match?: Array<HeaderRoutingMatch>;
}

/** HeaderRoutingMatch matches one request header. */
export interface HeaderRoutingMatch {
  /** HeaderName the name of the request header. */
  headerName: string;
  /** HeaderValue the value of the header. */
  headerValue: StringMatch;
}

/** StringMatch is used to define what type of matching we will use: exact, prefix, or regular expression (exactly one). */
export interface StringMatch {
  /** Exact must match exactly. */
  exact?: string;
  /** Prefix must match the prefix of the value. */
  prefix?: string;
  /** Regex must match the value as a regular expression. */
  regex?: string;
}

/** SetMirrorRoute mirrors traffic that matches rules to the canary. */
export interface SetMirrorRoute {
  /** Name this is the name of the route to use for the mirroring of traffic this also needs to be included in the `spec.strategy.canary.trafficRouting.managedRoutes` field. */
  name: string;
  /** Match Contains a list of rules that if mated will mirror the traffic to the services. */
  match?: Array<RouteMatch>;
  /** Services The list of services to mirror the traffic to if the method, path, headers match. Percentage What percent of the traffic that matched the rules should be mirrored. */
  percentage?: number;
}

/** RouteMatch matches requests by method, path and headers. */
export interface RouteMatch {
  /** Method What http methods should be mirrored. */
  method?: StringMatch;
  /** Path What url paths should be mirrored. */
  path?: StringMatch;
  /** Headers What request with matching headers should be mirrored. */
  headers?: { [name: string]: StringMatch };
}

/** PluginStep runs a step plugin. */
export interface PluginStep {
  /** Name of the step plugin. */
  name: string;
  /** Config is the configuration object for the specified plugin. */
  config?: unknown;
}

/**
 * RolloutTrafficRouting hosts all the different configuration for supported service meshes to
 * enable more fine-grained traffic routing. k8ts routes through its own gateway with Argo's
 * Gateway API plugin shape: plugins: {"argoproj-labs/gatewayAPI": {httpRoute, namespace}}.
 */
export interface RolloutTrafficRouting {
  /** Plugins holds specific configuration that traffic router plugins can use for routing traffic, by plugin name. k8ts implements "argoproj-labs/gatewayAPI" ({httpRoute | httpRoutes, namespace}) with its built-in gateway. */
  plugins?: { [name: string]: unknown };
  /** A list of HTTP routes that Argo Rollouts manages, the order of this array also becomes the precedence in the upstream traffic router. */
  managedRoutes?: Array<MangedRoutes>;
  /** MaxTrafficWeight The total weight of traffic. If unspecified, it defaults to 100. */
  maxTrafficWeight?: number;
  /** Istio holds Istio specific configuration to route traffic. Accepted but not used by k8ts. */
  istio?: unknown;
  /** Nginx holds Nginx Ingress specific configuration to route traffic. Accepted but not used by k8ts. */
  nginx?: unknown;
  /** Nginx holds ALB Ingress specific configuration to route traffic. Accepted but not used by k8ts. */
  alb?: unknown;
  /** SMI holds TrafficSplit specific configuration to route traffic. Accepted but not used by k8ts. */
  smi?: unknown;
  /** Ambassador holds specific configuration to use Ambassador to route traffic. Accepted but not used by k8ts. */
  ambassador?: unknown;
  /** AppMesh holds specific configuration to use AppMesh to route traffic. Accepted but not used by k8ts. */
  appMesh?: unknown;
  /** Traefik holds specific configuration to use Traefik to route traffic. Accepted but not used by k8ts. */
  traefik?: unknown;
  /** Apisix holds specific configuration to use Apisix to route traffic. Accepted but not used by k8ts. */
  apisix?: unknown;
}

/** MangedRoutes names a route the rollout manages (upstream's spelling of the type name). */
export interface MangedRoutes {
  /** Name of the route. */
  name: string;
}
