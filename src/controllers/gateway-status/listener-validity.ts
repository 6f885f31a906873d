// Per-listener verdicts of a Gateway, before routes are counted: protocol supported, route kinds
// resolvable, no conflict with another listener on the same port, and for HTTPS a certificate
// that resolves. Both the Gateway's status and route attachment use it (routes only attach to
// usable listeners).
import type { Gateway, Listener } from '../../api/gateway/index.js';
import { GatewayConditionReason as Reason } from '../../api/gateway/index.js';
import { listenerCertificates, type CertificateLookup, type ListenerCertificates } from '../../api/gateway/listener-certificates.js';
import { listenerRouteKinds, SUPPORTED_PROTOCOLS } from './route-attachment.js';

export interface ListenerVerdict {
  readonly listener: Listener;
  /** Unsupported protocol: Accepted False. */
  readonly unsupportedProtocol: boolean;
  /** Named route kinds this implementation does not serve: ResolvedRefs False InvalidRouteKinds. */
  readonly invalidRouteKinds: boolean;
  /** Conflicted True with this reason (ProtocolConflict / HostnameConflict), or undefined. */
  readonly conflict: string | undefined;
  /**
   * HTTPS: a certificateRef that does not resolve (ResolvedRefs False with its reason). The
   * listener stays usable while at least one certificate does (the data plane serves that one).
   */
  readonly certificateProblem: ListenerCertificates['problem'];
  /** Routes may attach (and the data plane serves it). */
  readonly usable: boolean;
}

/**
 * Listeners sharing a port must share a protocol (else ProtocolConflict on all of them), and
 * listeners sharing port and protocol must have distinct hostnames (else HostnameConflict).
 */
function conflictOf(listener: Listener, all: readonly Listener[]): string | undefined {
  const samePort = all.filter((l) => l !== listener && l.port === listener.port);
  if (samePort.some((l) => l.protocol !== listener.protocol)) return Reason.ProtocolConflict;
  if (samePort.some((l) => (l.hostname ?? '') === (listener.hostname ?? ''))) return Reason.HostnameConflict;
  return undefined;
}

/** Without a lookup (no Secrets known) every certificateRef counts as missing. */
const NO_CERTIFICATES: CertificateLookup = { secret: () => undefined, grantsIn: () => [] };

/**
 * `httpPortsElsewhere`: ports where another of our Gateways has an HTTP listener. The built-in
 * gateway serves every Gateway on one address, so such a port speaks HTTP (route-compiler.ts), and
 * an HTTPS listener there is not served: ProtocolConflict, as between listeners of one Gateway.
 */
export function listenerVerdicts(
  gateway: Gateway, certificates: CertificateLookup = NO_CERTIFICATES, httpPortsElsewhere: ReadonlySet<number> = new Set(),
): ListenerVerdict[] {
  const listeners = gateway.spec.listeners;
  const namespace = gateway.metadata?.namespace ?? 'default';
  return listeners.map((listener) => {
    const unsupportedProtocol = !SUPPORTED_PROTOCOLS.includes(listener.protocol);
    const invalidRouteKinds = listenerRouteKinds(listener).invalid;
    const conflict = conflictOf(listener, listeners) ??
      (listener.protocol === 'HTTPS' && httpPortsElsewhere.has(listener.port) ? Reason.ProtocolConflict : undefined);
    const tls = listener.protocol === 'HTTPS' ? listenerCertificates(namespace, listener, certificates) : undefined;
    const usable = !unsupportedProtocol && conflict === undefined && listenerRouteKinds(listener).supported.length > 0 &&
      (tls === undefined || tls.certificates.length > 0);
    return { listener, unsupportedProtocol, invalidRouteKinds, conflict, certificateProblem: tls?.problem, usable };
  });
}
