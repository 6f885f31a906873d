// Argo Rollouts' validation messages (pkg/apis/rollouts/validation/validation.go), word for word,
// so a Rollout k8ts rejects says what Argo's InvalidSpec condition would say. Also for the
// rollout controller, which reports the same texts.

export const RolloutMessage = {
  /** Formatted with the missing field, e.g. ".spec.selector". */
  missingField: (field: string): string => `Rollout has missing field '${field}'`,
  /** Formatted with the maximum traffic weight (100 unless trafficRouting.maxTrafficWeight). */
  invalidSetWeight: (max: number): string => `SetWeight needs to be between 0 and ${max}`,
  invalidSetCanaryScaleTrafficPolicy: 'SetCanaryScale requires TrafficRouting to be set',
  invalidSetHeaderRouteTrafficPolicy: 'SetHeaderRoute requires TrafficRouting, supports Istio and ALB and Apisix',
  invalidSetMirrorRouteTrafficPolicy: 'SetMirrorRoute requires TrafficRouting, supports Istio and Plugins',
  invalidStringMatchMultipleValue: 'StringMatch match value must have exactly one of the following: exact, regex, prefix',
  invalidStringMatchMissedValue: 'StringMatch value missed, match value must have one of the following: exact, regex, prefix',
  invalidDuration: 'Duration needs to be greater than 0',
  invalidMaxSurgeMaxUnavailable: 'MaxSurge and MaxUnavailable both can not be zero',
  invalidStep: 'Step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause',
  invalidStrategy: 'Multiple Strategies can not be listed',
  duplicatedServicesBlueGreen: 'This rollout uses the same service for the active and preview services, but two different services are required.',
  duplicatedServicesCanary: 'This rollout uses the same service for the stable and canary services, but two different services are required.',
  invalidAntiAffinityStrategy: 'AntiAffinity must have exactly one strategy listed',
  invalidAntiAffinityWeight: 'AntiAffinity weight must be between 1-100',
  scaleDownLimitLargerThanRevisionLimit: "This rollout's revision history limit can not be smaller than the rollout's scale down limit",
  invalidTrafficRouting: 'Canary service and Stable service must to be set to use Traffic Routing',
  invalidAnalysisArgs: 'Analyses arguments must refer to valid object metadata supported by downwardAPI',
  invalidCanaryScaleDownDelay: 'Canary scaleDownDelaySeconds can only be used with traffic routing',
  invalidCanaryDynamicStableScale: 'Canary dynamicStableScale can only be used with traffic routing',
  invalidCanaryDynamicStableScaleWithScaleDownDelay: 'Canary dynamicStableScale cannot be used with scaleDownDelaySeconds',
  invalidCanaryMaxWeightOnlySupportInNginxAndPlugins: 'Canary maxTrafficWeight in traffic routing only supported in Nginx and Plugins',
  invalidPingPongProvided: 'Ping service and Pong service must to be set to use Ping-Pong feature',
  duplicatedPingPongServices: 'This rollout uses the same service for the ping and pong services, but two different services are required.',
  pingPongWithRouterOnly: 'Ping-pong feature works with the ALB, Istio, and plugin-based traffic routers only',
  stepRouteNameNotFoundInManagedRoutes: 'Steps define a route that does not exist in spec.strategy.canary.trafficRouting.managedRoutes',
  templateMustBeEmptyForWorkloadRef: 'template must be empty for workload reference rollout',
  /** k8ts: the gateway traffic router needs a route to shift weights on. */
  gatewayPluginNeedsRoute: 'must name the HTTPRoute to split traffic on: httpRoute or httpRoutes',
} as const;
