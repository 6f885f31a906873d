// The ResourceTypes of the built-in kinds, for clients (controllers, scheduler, agent, CLI).
import type { ResourceType } from './resource-client.js';

function core(resource: string, kind: string, namespaced = true): ResourceType {
  return { group: '', version: 'v1', resource, kind, namespaced };
}

export const PODS = core('pods', 'Pod');
export const NODES = core('nodes', 'Node', false);
export const NAMESPACES = core('namespaces', 'Namespace', false);
export const SERVICES = core('services', 'Service');
export const ENDPOINTS = core('endpoints', 'Endpoints');
export const CONFIGMAPS = core('configmaps', 'ConfigMap');
export const SECRETS = core('secrets', 'Secret');
export const SERVICEACCOUNTS = core('serviceaccounts', 'ServiceAccount');
export const EVENTS = core('events', 'Event');
export const DEPLOYMENTS: ResourceType = { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true };
export const REPLICASETS: ResourceType = { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet', namespaced: true };
export const DAEMON_SETS: ResourceType = { group: 'apps', version: 'v1', resource: 'daemonsets', kind: 'DaemonSet', namespaced: true };
export const STATEFUL_SETS: ResourceType = { group: 'apps', version: 'v1', resource: 'statefulsets', kind: 'StatefulSet', namespaced: true };
export const CONTROLLER_REVISIONS: ResourceType = {
  group: 'apps', version: 'v1', resource: 'controllerrevisions', kind: 'ControllerRevision', namespaced: true,
};
export const HORIZONTAL_POD_AUTOSCALERS: ResourceType = {
  group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true,
};
export const JOBS: ResourceType = { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', namespaced: true };
export const CRON_JOBS: ResourceType = { group: 'batch', version: 'v1', resource: 'cronjobs', kind: 'CronJob', namespaced: true };
export const PODDISRUPTIONBUDGETS: ResourceType = {
  group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', namespaced: true,
};
export const LEASES: ResourceType = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', kind: 'Lease', namespaced: true };
export const ENDPOINTSLICES: ResourceType = {
  group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', kind: 'EndpointSlice', namespaced: true,
};
// Gateway API (src/api/gateway): GatewayClass is cluster-scoped.
export const GATEWAY_CLASSES: ResourceType = {
  group: 'gateway.networking.k8s.io', version: 'v1', resource: 'gatewayclasses', kind: 'GatewayClass', namespaced: false,
};
export const GATEWAYS: ResourceType = {
  group: 'gateway.networking.k8s.io', version: 'v1', resource: 'gateways', kind: 'Gateway', namespaced: true,
};
export const HTTP_ROUTES: ResourceType = {
  group: 'gateway.networking.k8s.io', version: 'v1', resource: 'httproutes', kind: 'HTTPRoute', namespaced: true,
};
export const REFERENCE_GRANTS: ResourceType = {
  group: 'gateway.networking.k8s.io', version: 'v1', resource: 'referencegrants', kind: 'ReferenceGrant', namespaced: true,
};
// Argo Rollouts kinds (src/api/rollouts): ClusterAnalysisTemplate is cluster-scoped.
export const ROLLOUTS: ResourceType = {
  group: 'argoproj.io', version: 'v1alpha1', resource: 'rollouts', kind: 'Rollout', namespaced: true,
};
export const ANALYSIS_TEMPLATES: ResourceType = {
  group: 'argoproj.io', version: 'v1alpha1', resource: 'analysistemplates', kind: 'AnalysisTemplate', namespaced: true,
};
export const CLUSTER_ANALYSIS_TEMPLATES: ResourceType = {
  group: 'argoproj.io', version: 'v1alpha1', resource: 'clusteranalysistemplates', kind: 'ClusterAnalysisTemplate', namespaced: false,
};
export const ANALYSIS_RUNS: ResourceType = {
  group: 'argoproj.io', version: 'v1alpha1', resource: 'analysisruns', kind: 'AnalysisRun', namespaced: true,
};
