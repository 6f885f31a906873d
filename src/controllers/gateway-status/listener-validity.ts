// Per-listener verdicts of a Gateway, before routes are counted: protocol supported, route kinds
// resolvable, no conflict with another listener on the same port. Both the Gateway's status and
// route attachment use it (routes only attach to usable listeners).
import type { Gateway, Listener } from '../../api/gateway/index.js';
import { GatewayConditionReason as Reason } from '../../api/gateway/index.js';
import { listenerRouteKinds, SUPPORTED_PROTOCOLS } from './route-attachment.js';

export interface ListenerVerdict {
  readonly listener: Listener;
  /** Unsupported protocol: Accepted False. */
  readonly unsupportedProtocol: boolean;
  /** Named route kinds this implementation does not serve: ResolvedRefs False InvalidRouteKinds. */
  readonly invalidRouteKinds: boolean;
  /** Conflicted True with this reason (ProtocolConflict / HostnameConflict), or undefined. */
  readonly conflict: string | undefined;
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

export function listenerVerdicts(gateway: Gateway): ListenerVerdict[] {
  const listeners = gateway.spec.listeners;
  return listeners.map((listener) => {
    const unsupportedProtocol = !SUPPORTED_PROTOCOLS.includes(listener.protocol);
    const invalidRouteKinds = listenerRouteKinds(listener).invalid;
    const conflict = conflictOf(listener, listeners);
    const usable = !unsupportedProtocol && conflict === undefined && listenerRouteKinds(listener).supported.length > 0;
    return { listener, unsupportedProtocol, invalidRouteKinds, conflict, usable };
  });
}
