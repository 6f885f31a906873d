// Every built-in kind k8ts serves, in a stable order (discovery lists them in this order: core
// group first, then the named groups).
import type { ResourceStrategy } from '../strategy.js';
import { analysisRunStrategy } from './analysis-run.js';
import { analysisTemplateStrategy } from './analysis-template.js';
import { clusterAnalysisTemplateStrategy } from './cluster-analysis-template.js';
import { configMapStrategy } from './config-map.js';
import { controllerRevisionStrategy } from './controller-revision.js';
import { cronJobStrategy } from './cron-job.js';
import { daemonSetStrategy } from './daemon-set.js';
import { deploymentStrategy } from './deployment.js';
import { endpointSliceStrategy } from './endpoint-slice.js';
import { endpointsStrategy } from './endpoints.js';
import { eventStrategy } from './event.js';
import { eventsV1EventStrategy } from './events-v1-event.js';
import { gatewayClassStrategy } from './gateway-class.js';
import { gatewayStrategy } from './gateway.js';
import { horizontalPodAutoscalerV1Strategy } from './horizontal-pod-autoscaler-v1.js';
import { horizontalPodAutoscalerStrategy } from './horizontal-pod-autoscaler.js';
import { httpRouteStrategy } from './http-route.js';
import { jobStrategy } from './job.js';
import { leaseStrategy } from './lease.js';
import { namespaceStrategy } from './namespace.js';
import { nodeStrategy } from './node.js';
import { podDisruptionBudgetStrategy } from './pod-disruption-budget.js';
import { podStrategy } from './pod.js';
import { priorityClassStrategy } from './priority-class.js';
import { referenceGrantStrategy } from './reference-grant.js';
import { replicaSetStrategy } from './replica-set.js';
import { rolloutStrategy } from './rollout.js';
import { secretStrategy } from './secret.js';
import { serviceAccountStrategy } from './service-account.js';
import { serviceStrategy } from './service.js';
import { statefulSetStrategy } from './stateful-set.js';

export const builtinKinds: readonly ResourceStrategy[] = Object.freeze([
  namespaceStrategy,
  podStrategy,
  nodeStrategy,
  serviceStrategy,
  endpointsStrategy,
  configMapStrategy,
  secretStrategy,
  serviceAccountStrategy,
  eventStrategy,
  deploymentStrategy,
  replicaSetStrategy,
  daemonSetStrategy,
  statefulSetStrategy,
  controllerRevisionStrategy,
  cronJobStrategy,
  jobStrategy,
  horizontalPodAutoscalerStrategy,
  horizontalPodAutoscalerV1Strategy,
  leaseStrategy,
  podDisruptionBudgetStrategy,
  priorityClassStrategy,
  eventsV1EventStrategy,
  endpointSliceStrategy,
  gatewayClassStrategy,
  gatewayStrategy,
  httpRouteStrategy,
  referenceGrantStrategy,
  rolloutStrategy,
  analysisTemplateStrategy,
  clusterAnalysisTemplateStrategy,
  analysisRunStrategy,
]);

export {
  analysisRunStrategy,
  analysisTemplateStrategy,
  clusterAnalysisTemplateStrategy,
  configMapStrategy,
  controllerRevisionStrategy,
  cronJobStrategy,
  daemonSetStrategy,
  deploymentStrategy,
  endpointSliceStrategy,
  endpointsStrategy,
  eventStrategy,
  eventsV1EventStrategy,
  gatewayClassStrategy,
  gatewayStrategy,
  horizontalPodAutoscalerStrategy,
  horizontalPodAutoscalerV1Strategy,
  httpRouteStrategy,
  jobStrategy,
  leaseStrategy,
  namespaceStrategy,
  nodeStrategy,
  podDisruptionBudgetStrategy,
  podStrategy,
  priorityClassStrategy,
  referenceGrantStrategy,
  replicaSetStrategy,
  rolloutStrategy,
  secretStrategy,
  serviceAccountStrategy,
  serviceStrategy,
  statefulSetStrategy,
};
