// gateway.networking.k8s.io/v1 GatewayClass (upstream apis/v1/gatewayclass_types.go), standard
// channel. Cluster-scoped. See ../README.md for how these files become OpenAPI schemas.
import type { Condition, ListMeta, ObjectMeta } from 'kubernetes-types/meta/v1.js';

/** GatewayClass describes a class of Gateways available to users, and the controller that implements them. */
export interface GatewayClass {
  /** APIVersion defines the versioned schema of this representation of an object. */
  apiVersion?: 'gateway.networking.k8s.io/v1';
  /** Kind is a string value representing the REST resource this object represents. */
  kind?: 'GatewayClass';
  /** Standard object's metadata. */
  metadata?: ObjectMeta;
  /** Spec defines the desired state of GatewayClass. */
  spec: GatewayClassSpec;
  /** Status defines the current state of GatewayClass, written by its controller. */
  status?: GatewayClassStatus;
}

/** GatewayClassList is a list of GatewayClass. */
export interface GatewayClassList {
  /** APIVersion defines the versioned schema of this representation of an object. */
  apiVersion?: 'gateway.networking.k8s.io/v1';
  /** Items is the list of GatewayClass. */
  items: Array<GatewayClass>;
  /** Kind is a string value representing the REST resource this object represents. */
  kind?: 'GatewayClassList';
  /** Standard list metadata. */
  metadata?: ListMeta;
}

/** GatewayClassSpec reflects the configuration of a class of Gateways. */
export interface GatewayClassSpec {
  /** ControllerName is the domain-prefixed path of the controller managing Gateways of this class, e.g. "k8ts.io/gateway-controller". Immutable. */
  controllerName: string;
  /** ParametersRef is a reference to a resource holding implementation-specific configuration for this class. */
  parametersRef?: ParametersReference;
  /** Description helps describe a GatewayClass with more details (at most 64 characters). */
  description?: string;
}

/** ParametersReference identifies an API object containing controller-specific configuration. */
export interface ParametersReference {
  /** Group of the referent. */
  group: string;
  /** Kind of the referent. */
  kind: string;
  /** Name of the referent. */
  name: string;
  /** Namespace of the referent, for a namespaced kind. */
  namespace?: string;
}

/** GatewayClassStatus is the current status of a GatewayClass. */
export interface GatewayClassStatus {
  /** Conditions is the current status from the controller: Accepted, SupportedVersion. */
  conditions?: Array<Condition>;
  /** SupportedFeatures is the set of Gateway API features the class supports. */
  supportedFeatures?: Array<SupportedFeature>;
}

/** SupportedFeature names one Gateway API feature. */
export interface SupportedFeature {
  /** Name of the feature, e.g. "HTTPRoute". */
  name: string;
}
