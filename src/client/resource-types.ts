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
export const LEASES: ResourceType = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', kind: 'Lease', namespaced: true };
export const ENDPOINTSLICES: ResourceType = {
  group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', kind: 'EndpointSlice', namespaced: true,
};
