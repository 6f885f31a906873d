// Which listeners of a Gateway an HTTPRoute's parentRef attaches to, and why not when none do
// (upstream's Route "Accepted" reasons). Pure: the reconciler passes the objects in.
//
// Order of checks, as the spec describes them: sectionName/port select candidate listeners
// (none: NoMatchingParent); of those, the listeners whose allowedRoutes admit the route's kind
// and namespace (none: NotAllowedByListeners); of those, the ones whose hostname intersects the
// route's hostnames (none: NoMatchingListenerHostname).
import type { Gateway, HTTPRoute, Listener, ParentReference } from '../../api/gateway/index.js';
import { GATEWAY_GROUP, GatewayConditionReason } from '../../api/gateway/index.js';
import { labelSelectorFromObject, matchesLabels } from '../../api/selectors/label-selector.js';

/** Route kinds the built-in gateway serves, and on which listener protocols. */
export const HTTP_ROUTE_KIND = { group: GATEWAY_GROUP, kind: 'HTTPRoute' } as const;
export const SUPPORTED_PROTOCOLS: readonly string[] = ['HTTP', 'HTTPS'];

export type AttachmentResult =
  | { readonly accepted: true; readonly listeners: readonly string[] }
  | { readonly accepted: false; readonly reason: string; readonly message: string };

/** Whether a parentRef points at a Gateway (group/kind after defaulting). */
export function refersToGateway(ref: ParentReference): boolean {
  return (ref.group ?? GATEWAY_GROUP) === GATEWAY_GROUP && (ref.kind ?? 'Gateway') === 'Gateway';
}

/** The listener's route kinds that this implementation supports, and whether it named others. */
export function listenerRouteKinds(listener: Listener): { supported: { group: string; kind: string }[]; invalid: boolean } {
  const kinds = listener.allowedRoutes?.kinds;
  if (kinds === undefined || kinds.length === 0) {
    return { supported: SUPPORTED_PROTOCOLS.includes(listener.protocol) ? [{ ...HTTP_ROUTE_KIND }] : [], invalid: false };
  }
  const supported = kinds.filter((k) => (k.group ?? GATEWAY_GROUP) === GATEWAY_GROUP && k.kind === 'HTTPRoute')
    .map(() => ({ ...HTTP_ROUTE_KIND }));
  return { supported: supported.slice(0, 1), invalid: supported.length < kinds.length };
}

/** Whether two hostnames (either may be a `*.` wildcard, undefined matches everything) overlap. */
export function hostnamesIntersect(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined || a === b) return true;
  const covers = (wild: string, other: string): boolean => wild.startsWith('*.') && other.endsWith(wild.slice(1));
  return covers(a, b) || covers(b, a);
}

function namespaceAllowed(
  listener: Listener, gatewayNamespace: string, routeNamespace: string, namespaceLabels: (ns: string) => Readonly<Record<string, string>> | undefined,
): boolean {
  const from = listener.allowedRoutes?.namespaces?.from ?? 'Same';
  if (from === 'All') return true;
  if (from === 'Same') return routeNamespace === gatewayNamespace;
  const selector = listener.allowedRoutes?.namespaces?.selector;
  // A Selector without a selector selects nothing (the spec requires one).
  if (selector === undefined) return false;
  return matchesLabels(labelSelectorFromObject(selector), namespaceLabels(routeNamespace));
}

export interface AttachmentInput {
  readonly route: HTTPRoute;
  readonly ref: ParentReference;
  readonly gateway: Gateway;
  /** Listeners that are valid (accepted) on this Gateway; routes never attach to the others. */
  readonly usableListeners: ReadonlySet<string>;
  readonly namespaceLabels: (namespace: string) => Readonly<Record<string, string>> | undefined;
}

export function attachRoute(input: AttachmentInput): AttachmentResult {
  const { route, ref, gateway } = input;
  const routeNamespace = route.metadata?.namespace ?? '';
  const gatewayNamespace = gateway.metadata?.namespace ?? '';
  const candidates = gateway.spec.listeners.filter((l) =>
    (ref.sectionName === undefined || l.name === ref.sectionName) && (ref.port === undefined || l.port === ref.port));
  if (candidates.length === 0) {
    return { accepted: false, reason: GatewayConditionReason.NoMatchingParent, message: 'No listener matches the parentRef sectionName/port' };
  }
  const allowed = candidates.filter((l) =>
    input.usableListeners.has(l.name) &&
    listenerRouteKinds(l).supported.length > 0 &&
    namespaceAllowed(l, gatewayNamespace, routeNamespace, input.namespaceLabels));
  if (allowed.length === 0) {
    return { accepted: false, reason: GatewayConditionReason.NotAllowedByListeners, message: 'No listener allows this route (kind or namespace)' };
  }
  const hostnames = route.spec.hostnames ?? [];
  const matching = allowed.filter((l) => hostnames.length === 0 || hostnames.some((h) => hostnamesIntersect(l.hostname, h)));
  if (matching.length === 0) {
    return { accepted: false, reason: GatewayConditionReason.NoMatchingListenerHostname, message: 'No listener hostname matches the route hostnames' };
  }
  return { accepted: true, listeners: matching.map((l) => l.name) };
}
