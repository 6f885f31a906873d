// Names and condition vocabulary of the Gateway API that k8ts code shares (status controller,
// data plane, rollouts). Values are upstream's (apis/v1/*_types.go); the controller name is ours.

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';
export const GATEWAY_VERSION = 'v1';
export const GATEWAY_API_VERSION = `${GATEWAY_GROUP}/${GATEWAY_VERSION}`;

/** spec.controllerName of the GatewayClasses k8ts's built-in gateway implements. */
export const K8TS_GATEWAY_CONTROLLER_NAME = 'k8ts.io/gateway-controller';

/** The address the built-in gateway binds when `--gateway-address` is not given. */
export const DEFAULT_GATEWAY_ADDRESS = '127.0.0.1';

/** Condition types (GatewayClass, Gateway, Listener, Route). */
export const GatewayConditionType = {
  Accepted: 'Accepted',
  Programmed: 'Programmed',
  ResolvedRefs: 'ResolvedRefs',
  Conflicted: 'Conflicted',
  SupportedVersion: 'SupportedVersion',
} as const;

/** Condition reasons, as upstream spells them. */
export const GatewayConditionReason = {
  Accepted: 'Accepted',
  Programmed: 'Programmed',
  ResolvedRefs: 'ResolvedRefs',
  Pending: 'Pending',
  Invalid: 'Invalid',
  InvalidParameters: 'InvalidParameters',
  Unsupported: 'Unsupported',
  NoConflicts: 'NoConflicts',
  NoResources: 'NoResources',
  AddressNotAssigned: 'AddressNotAssigned',
  AddressNotUsable: 'AddressNotUsable',
  UnsupportedAddress: 'UnsupportedAddress',
  PortUnavailable: 'PortUnavailable',
  UnsupportedProtocol: 'UnsupportedProtocol',
  ProtocolConflict: 'ProtocolConflict',
  HostnameConflict: 'HostnameConflict',
  InvalidRouteKinds: 'InvalidRouteKinds',
  InvalidCertificateRef: 'InvalidCertificateRef',
  ListenersNotValid: 'ListenersNotValid',
  // Routes
  NotAllowedByListeners: 'NotAllowedByListeners',
  NoMatchingListenerHostname: 'NoMatchingListenerHostname',
  NoMatchingParent: 'NoMatchingParent',
  UnsupportedValue: 'UnsupportedValue',
  RefNotPermitted: 'RefNotPermitted',
  InvalidKind: 'InvalidKind',
  BackendNotFound: 'BackendNotFound',
} as const;
