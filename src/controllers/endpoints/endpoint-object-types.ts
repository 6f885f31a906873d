// The kinds the endpoints and EndpointSlice controllers read and write, as KubeObjects (see
// framework/kube-object-types.ts for why the intersections exist), and the well-known label and
// annotation keys both controllers share with upstream.
import type { Endpoints, Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { KubeObject } from '../../api/object.js';

export type ServiceObject = Service & KubeObject;
export type EndpointsObject = Endpoints & KubeObject;
export type EndpointSliceObject = EndpointSlice & KubeObject;

/** Set (value "") on Endpoints and EndpointSlices of a Service without a cluster IP. */
export const LABEL_HEADLESS_SERVICE = 'service.kubernetes.io/headless';
/** When the change (pod readiness, service creation) behind the last write happened. */
export const ANNOTATION_LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
/** Set to "truncated" when an Endpoints object would hold more than 1000 addresses. */
export const ANNOTATION_OVER_CAPACITY = 'endpoints.kubernetes.io/over-capacity';
/** Endpoints carrying this annotation are leader-election locks, never leftovers to delete. */
export const ANNOTATION_LEADER_ELECTION = 'control-plane.alpha.kubernetes.io/leader';
