// Types shared by the gateway.networking.k8s.io/v1 kinds (upstream apis/v1/shared_types.go and
// object_reference_types.go), standard channel. Written in the style of the `kubernetes-types`
// package (interfaces, doc comments, `?` for optional) because scripts/generate-openapi.ts reads
// this file's syntax to derive the OpenAPI schemas: see ../README.md before changing the shapes.
import type { Condition } from 'kubernetes-types/meta/v1.js';

/** ParentReference identifies an API object (usually a Gateway) that a Route wants to attach to. */
export interface ParentReference {
  /** Group of the referent. Defaults to "gateway.networking.k8s.io". */
  group?: string;
  /** Kind of the referent. Defaults to "Gateway". */
  kind?: string;
  /** Namespace of the referent. When unspecified, the Route's own namespace. Attaching to a parent in another namespace needs that parent's permission (allowedRoutes). */
  namespace?: string;
  /** Name of the referent. */
  name: string;
  /** SectionName is the name of a section within the parent; for a Gateway, a Listener name. When unset the Route attaches to every listener that allows it. */
  sectionName?: string;
  /** Port of the parent to attach to; for a Gateway, only listeners on this port (1-65535). */
  port?: number;
}

/** BackendObjectReference names a backend, by default a core Service, in the Route's namespace unless namespace is set. */
export interface BackendObjectReference {
  /** Group of the referent. Defaults to "" (the core API group). */
  group?: string;
  /** Kind of the referent. Defaults to "Service". */
  kind?: string;
  /** Name of the referent. */
  name: string;
  /** Namespace of the backend. When unspecified, the Route's namespace. A reference into another namespace needs a ReferenceGrant there. */
  namespace?: string;
  /** Port of the backend (1-65535). Required when the referent is a Service. */
  port?: number;
}

/** BackendRef is a BackendObjectReference with a weight. (Fields are repeated rather than
 *  inherited: the schema generator reads members only, as kubernetes-types never uses extends.) */
export interface BackendRef {
  /** Group of the referent. Defaults to "" (the core API group). */
  group?: string;
  /** Kind of the referent. Defaults to "Service". */
  kind?: string;
  /** Name of the referent. */
  name: string;
  /** Namespace of the backend. When unspecified, the Route's namespace. A reference into another namespace needs a ReferenceGrant there. */
  namespace?: string;
  /** Port of the backend (1-65535). Required when the referent is a Service. */
  port?: number;
  /** Weight is this backend's proportion of the rule's requests: weight divided by the sum of the rule's weights. 0 sends it nothing. Defaults to 1; 0 to 1000000. */
  weight?: number;
}

/** RouteParentStatus is a Route's status with respect to one of its parents. */
export interface RouteParentStatus {
  /** ParentRef is the entry of spec.parentRefs this status is about. */
  parentRef: ParentReference;
  /** ControllerName of the controller that wrote this status, e.g. "k8ts.io/gateway-controller". */
  controllerName: string;
  /** Conditions of the Route with respect to this parent: Accepted, ResolvedRefs. */
  conditions: Array<Condition>;
}

/** RouteStatus is the status every Route kind shares. */
export interface RouteStatus {
  /** Parents is one entry per (parentRef, controller) pair that a controller has processed. */
  parents: Array<RouteParentStatus>;
}

/** RouteGroupKind is the group and kind of a Route resource. */
export interface RouteGroupKind {
  /** Group of the Route. Defaults to "gateway.networking.k8s.io". */
  group?: string;
  /** Kind of the Route, e.g. "HTTPRoute". */
  kind: string;
}

/** SecretObjectReference names a Secret (by default) holding, e.g., a TLS certificate. */
export interface SecretObjectReference {
  /** Group of the referent. Defaults to "". */
  group?: string;
  /** Kind of the referent. Defaults to "Secret". */
  kind?: string;
  /** Name of the referent. */
  name: string;
  /** Namespace of the referent. When unspecified, the local namespace. */
  namespace?: string;
}

/** ObjectReference names an API object, including its namespace. */
export interface ObjectReference {
  /** Group of the referent, e.g. "" for the core group. */
  group: string;
  /** Kind of the referent, e.g. "ConfigMap". */
  kind: string;
  /** Name of the referent. */
  name: string;
  /** Namespace of the referent. When unspecified, the local namespace. */
  namespace?: string;
}

/** LocalObjectReference names an object in the same namespace. */
export interface LocalObjectReference {
  /** Group of the referent. */
  group: string;
  /** Kind of the referent. */
  kind: string;
  /** Name of the referent. */
  name: string;
}
