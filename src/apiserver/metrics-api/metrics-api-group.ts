// metrics.k8s.io/v1beta1 as metrics-server serves it: two read-only resources, nothing stored.
import type { StaticApiGroup } from '../discovery/static-api-group.js';

export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';
export const METRICS_API_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`;

export const METRICS_API_GROUP: StaticApiGroup = {
  name: METRICS_GROUP,
  version: METRICS_VERSION,
  resources: [
    { resource: 'nodes', singular: '', kind: 'NodeMetrics', namespaced: false, verbs: ['get', 'list'] },
    { resource: 'pods', singular: '', kind: 'PodMetrics', namespaced: true, verbs: ['get', 'list'] },
  ],
};
