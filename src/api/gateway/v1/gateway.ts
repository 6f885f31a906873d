// gateway.networking.k8s.io/v1 Gateway (upstream apis/v1/gateway_types.go), standard channel.
// See ../README.md for how these files become OpenAPI schemas.
import type { Condition, LabelSelector, ListMeta, ObjectMeta } from 'kubernetes-types/meta/v1.js';
import type { ObjectReference, RouteGroupKind, SecretObjectReference } from './shared-types.js';

/** Gateway is an instance of traffic-handling infrastructure: Listeners bound to addresses. */
export interface Gateway {
  /** APIVersion defines the versioned schema of this representation of an object. */
  apiVersion?: 'gateway.networking.k8s.io/v1';
  /** Kind is a string value representing the REST resource this object represents. */
  kind?: 'Gateway';
  /** Standard object's metadata. */
  metadata?: ObjectMeta;
  /** Spec defines the desired state of Gateway. */
  spec: GatewaySpec;
  /** Status defines the current state of Gateway, written by its controller. */
  status?: GatewayStatus;
}

/** GatewayList is a list of Gateway. */
export interface GatewayList {
  /** APIVersion defines the versioned schema of this representation of an object. */
  apiVersion?: 'gateway.networking.k8s.io/v1';
  /** Items is the list of Gateway. */
  items: Array<Gateway>;
  /** Kind is a string value representing the REST resource this object represents. */
  kind?: 'GatewayList';
  /** Standard list metadata. */
  metadata?: ListMeta;
}

/** GatewaySpec is the desired state of a Gateway. */
export interface GatewaySpec {
  /** GatewayClassName is the name of the GatewayClass this Gateway belongs to. */
  gatewayClassName: string;
  /** Listeners are the logical endpoints bound on this Gateway's addresses (1 to 64, names unique). */
  listeners: Array<Listener>;
  /** Addresses requested for this Gateway. Optional; an implementation may assign its own. */
  addresses?: Array<GatewaySpecAddress>;
  /** Infrastructure defines infrastructure-level attributes of this Gateway instance. */
  infrastructure?: GatewayInfrastructure;
  /** AllowedListeners defines which ListenerSets can be attached to this Gateway. */
  allowedListeners?: AllowedListeners;
  /** TLS specifies frontend and backend TLS configuration for the entire Gateway. */
  tls?: GatewayTLSConfig;
}

/** Listener is a logical endpoint where the Gateway accepts connections: a port, a protocol and optionally a hostname. */
export interface Listener {
  /** Name of the Listener, unique within the Gateway (a DNS subdomain). Routes select it with sectionName. */
  name: string;
  /** Hostname to match for protocols that carry one (HTTP Host, TLS SNI). A leading "*." matches any one or more labels. Unset matches all. */
  hostname?: string;
  /** Port is the network port (1-65535). */
  port: number;
  /** Protocol is the network protocol this listener expects: HTTP, HTTPS, TLS, TCP, UDP, or a domain-prefixed implementation protocol. */
  protocol: string;
  /** TLS is the TLS configuration; required for HTTPS, and for TLS in Terminate mode. */
  tls?: ListenerTLSConfig;
  /** AllowedRoutes are the kinds and namespaces of Routes that may attach. Defaults to Routes of the protocol's kinds from the Gateway's namespace. */
  allowedRoutes?: AllowedRoutes;
}

/** ListenerTLSConfig is a listener's TLS configuration. */
export interface ListenerTLSConfig {
  /** Mode is Terminate (the default) or Passthrough. */
  mode?: 'Terminate' | 'Passthrough';
  /** CertificateRefs are the Secrets holding the certificate and key for TLS termination. */
  certificateRefs?: Array<SecretObjectReference>;
  /** Options are implementation-specific TLS settings. */
  options?: {
    [name: string]: string;
  };
}

/** AllowedRoutes defines which Routes may attach to a Listener. */
export interface AllowedRoutes {
  /** Namespaces from which Routes may attach. Defaults to {from: Same}. */
  namespaces?: RouteNamespaces;
  /** Kinds of Routes that may attach. When unset, the kinds the listener's protocol supports (HTTPRoute for HTTP). */
  kinds?: Array<RouteGroupKind>;
}

/** RouteNamespaces selects the namespaces Routes may attach from. */
export interface RouteNamespaces {
  /** From is All, Selector (namespaces matching selector) or Same (the Gateway's namespace, the default). */
  from?: 'All' | 'Selector' | 'Same';
  /** Selector of namespace labels; required when from is Selector. */
  selector?: LabelSelector;
}

/** GatewaySpecAddress is an address requested for a Gateway. */
export interface GatewaySpecAddress {
  /** Type of the address: IPAddress (the default), Hostname, NamedAddress or a domain-prefixed type. */
  type?: string;
  /** Value of the address. When unspecified, the implementation assigns one of the given type. */
  value?: string;
}

/** GatewayInfrastructure holds attributes for the resources created for a Gateway. */
export interface GatewayInfrastructure {
  /** Labels that should be applied to resources created for this Gateway. */
  labels?: {
    [name: string]: string;
  };
  /** Annotations that should be applied to resources created for this Gateway. */
  annotations?: {
    [name: string]: string;
  };
  /** ParametersRef is a reference to a resource in the Gateway's namespace holding its configuration. */
  parametersRef?: LocalParametersReference;
}

/** LocalParametersReference names a configuration object in the same namespace. */
export interface LocalParametersReference {
  /** Group of the referent. */
  group: string;
  /** Kind of the referent. */
  kind: string;
  /** Name of the referent. */
  name: string;
}

/** AllowedListeners defines which ListenerSets may attach to a Gateway. */
export interface AllowedListeners {
  /** Namespaces from which ListenerSets may attach. Defaults to {from: None}. */
  namespaces?: ListenerNamespaces;
}

/** ListenerNamespaces selects the namespaces ListenerSets may attach from. */
export interface ListenerNamespaces {
  /** From is All, Selector, Same or None (the default). */
  from?: 'All' | 'Selector' | 'Same' | 'None';
  /** Selector of namespace labels; required when from is Selector. */
  selector?: LabelSelector;
}

/** GatewayTLSConfig is Gateway-wide TLS configuration. */
export interface GatewayTLSConfig {
  /** Backend is the TLS configuration used when connecting to backends. */
  backend?: GatewayBackendTLS;
  /** Frontend is the TLS configuration used when clients connect to the Gateway. */
  frontend?: FrontendTLSConfig;
}

/** GatewayBackendTLS is the TLS configuration for connections to backends. */
export interface GatewayBackendTLS {
  /** ClientCertificateRef is the client certificate the Gateway presents to backends. */
  clientCertificateRef?: SecretObjectReference;
}

/** FrontendTLSConfig is the client-certificate validation configuration. */
export interface FrontendTLSConfig {
  /** Default applies to every HTTPS listener without a perPort entry. */
  default: TLSConfig;
  /** PerPort overrides the default for listeners on a port. */
  perPort?: Array<TLSPortConfig>;
}

/** TLSConfig holds client-certificate validation settings. */
export interface TLSConfig {
  /** Validation configures how client certificates are validated. */
  validation?: FrontendTLSValidation;
}

/** TLSPortConfig is the TLSConfig for the listeners on one port. */
export interface TLSPortConfig {
  /** Port the configuration applies to (1-65535). */
  port: number;
  /** TLS is the configuration for that port. */
  tls: TLSConfig;
}

/** FrontendTLSValidation configures client-certificate validation. */
export interface FrontendTLSValidation {
  /** CACertificateRefs are the CA certificates used to validate client certificates (1 to 16). */
  caCertificateRefs: Array<ObjectReference>;
  /** Mode is AllowValidOnly (the default) or AllowInsecureFallback. */
  mode?: 'AllowValidOnly' | 'AllowInsecureFallback';
}

/** GatewayStatus is the observed state of a Gateway. */
export interface GatewayStatus {
  /** Addresses are the network addresses bound to this Gateway. */
  addresses?: Array<GatewayStatusAddress>;
  /** Conditions of the Gateway: Accepted, Programmed. */
  conditions?: Array<Condition>;
  /** Listeners is the status of each listener in spec.listeners. */
  listeners?: Array<ListenerStatus>;
  /** AttachedListenerSets is the number of ListenerSets accepted onto this Gateway. */
  attachedListenerSets?: number;
}

/** GatewayStatusAddress is an address bound to a Gateway. */
export interface GatewayStatusAddress {
  /** Type of the address: IPAddress (the default), Hostname or NamedAddress. */
  type?: string;
  /** Value of the address, e.g. "127.0.0.1". */
  value: string;
}

/** ListenerStatus is the status of one listener. */
export interface ListenerStatus {
  /** Name of the listener this status is about. */
  name: string;
  /** SupportedKinds are the Route kinds this listener accepts. */
  supportedKinds?: Array<RouteGroupKind>;
  /** AttachedRoutes is the number of Routes accepted onto this listener. */
  attachedRoutes: number;
  /** Conditions of the listener: Accepted, Programmed, ResolvedRefs, Conflicted. */
  conditions: Array<Condition>;
}
