// Which HTTPRoutes attach to which listeners of the Gateways k8ts implements, and with which
// effective hostnames (the intersection of the listener's hostname and the route's hostnames).
// Pure functions over API objects; the route compiler calls them.

import type { Gateway, GatewayClass, HTTPRoute, Listener, ParentReference } from '../../api/gateway/index.js';
import { GATEWAY_GROUP } from '../../api/gateway/index.js';
import { listenerCertificates, type CertificateLookup, type ServingCertificate } from '../../api/gateway/listener-certificates.js';
import { labelSelectorFromObject, matchesLabels } from '../../api/selectors/label-selector.js';

/** A listener of an accepted Gateway that serves HTTP (or HTTPS: then with its certificates). */
export interface ActiveListener {
  readonly gatewayNamespace: string;
  readonly gatewayName: string;
  readonly listener: Listener;
  /** HTTPS: the usable certificates (never empty); undefined for HTTP. */
  readonly certificates?: readonly ServingCertificate[];
}

const NO_CERTIFICATES: CertificateLookup = { secret: () => undefined, grantsIn: () => [] };

/** A route attached to one listener: the hostnames its rules answer there ([] = any host). */
export interface Attachment {
  readonly listener: ActiveListener;
  readonly hostnames: readonly string[];
}

/** GatewayClasses whose controllerName is ours, by name. */
export function ourGatewayClasses(classes: readonly GatewayClass[], controllerName: string): Set<string> {
  const names = new Set<string>();
  for (const c of classes) {
    if (c.spec.controllerName === controllerName && c.metadata?.name !== undefined && c.metadata.deletionTimestamp === undefined) {
      names.add(c.metadata.name);
    }
  }
  return names;
}

/**
 * HTTP listeners, and HTTPS listeners with at least one usable certificate, of the Gateways of
 * our classes (TLS/TCP/UDP listeners are not served).
 */
export function activeListeners(gateways: readonly Gateway[], classNames: ReadonlySet<string>, certificates = NO_CERTIFICATES): ActiveListener[] {
  const out: ActiveListener[] = [];
  for (const gw of gateways) {
    const meta = gw.metadata;
    if (meta?.name === undefined || meta.deletionTimestamp !== undefined || !classNames.has(gw.spec.gatewayClassName)) continue;
    for (const listener of gw.spec.listeners) {
      const gatewayNamespace = meta.namespace ?? 'default';
      if (listener.protocol === 'HTTP') out.push({ gatewayNamespace, gatewayName: meta.name, listener });
      else if (listener.protocol === 'HTTPS') {
        const usable = listenerCertificates(gatewayNamespace, listener, certificates).certificates;
        if (usable.length > 0) out.push({ gatewayNamespace, gatewayName: meta.name, listener, certificates: usable });
      }
    }
  }
  return out;
}

/**
 * The listeners a route attaches to. `namespaceLabels` (namespace name -> labels) serves
 * allowedRoutes.namespaces.from: Selector.
 */
export function attachRoute(
  route: HTTPRoute,
  listeners: readonly ActiveListener[],
  namespaceLabels: ReadonlyMap<string, Readonly<Record<string, string>>>,
): Attachment[] {
  const routeNamespace = route.metadata?.namespace ?? 'default';
  const routeHostnames = (route.spec.hostnames ?? []).map((h) => h.toLowerCase());
  const out: Attachment[] = [];
  const seen = new Set<ActiveListener>();
  for (const ref of route.spec.parentRefs ?? []) {
    if (!isGatewayRef(ref)) continue;
    const gwNamespace = ref.namespace ?? routeNamespace;
    for (const l of listeners) {
      if (seen.has(l) || l.gatewayName !== ref.name || l.gatewayNamespace !== gwNamespace) continue;
      if (ref.sectionName !== undefined && ref.sectionName !== l.listener.name) continue;
      if (ref.port !== undefined && ref.port !== l.listener.port) continue;
      if (!allowsRoute(l, routeNamespace, namespaceLabels)) continue;
      const hostnames = intersectHostnames(l.listener.hostname, routeHostnames);
      if (hostnames === undefined) continue;
      seen.add(l);
      out.push({ listener: l, hostnames });
    }
  }
  return out;
}

function isGatewayRef(ref: ParentReference): boolean {
  return (ref.group ?? GATEWAY_GROUP) === GATEWAY_GROUP && (ref.kind ?? 'Gateway') === 'Gateway';
}

function allowsRoute(l: ActiveListener, routeNamespace: string, namespaceLabels: ReadonlyMap<string, Readonly<Record<string, string>>>): boolean {
  const allowed = l.listener.allowedRoutes;
  const kinds = allowed?.kinds;
  if (kinds !== undefined && kinds.length > 0 && !kinds.some((k) => (k.group ?? GATEWAY_GROUP) === GATEWAY_GROUP && k.kind === 'HTTPRoute')) return false;
  const from = allowed?.namespaces?.from ?? 'Same';
  if (from === 'All') return true;
  if (from === 'Same') return routeNamespace === l.gatewayNamespace;
  const selector = labelSelectorFromObject(allowed?.namespaces?.selector);
  return matchesLabels(selector, namespaceLabels.get(routeNamespace) ?? {});
}

/**
 * The hostnames a route answers on a listener: [] means any host; undefined means none intersect
 * (the route does not attach there). Wildcards (`*.example.com`) match one or more labels.
 */
export function intersectHostnames(listenerHostname: string | undefined, routeHostnames: readonly string[]): string[] | undefined {
  const l = listenerHostname?.toLowerCase();
  if (l === undefined || l === '') return [...new Set(routeHostnames)];
  if (routeHostnames.length === 0) return [l];
  const out = new Set<string>();
  for (const r of routeHostnames) {
    const rWild = r.startsWith('*.');
    const lWild = l.startsWith('*.');
    if (!rWild && !lWild) {
      if (r === l) out.add(r);
    } else if (!rWild && lWild) {
      if (wildcardMatches(l, r)) out.add(r);
    } else if (rWild && !lWild) {
      if (wildcardMatches(r, l)) out.add(l);
    } else if (r.endsWith(l.slice(1))) {
      out.add(r); // the route's wildcard is the narrower (or the same)
    } else if (l.endsWith(r.slice(1))) {
      out.add(l);
    }
  }
  return out.size === 0 ? undefined : [...out];
}

function wildcardMatches(wildcard: string, host: string): boolean {
  const suffix = wildcard.slice(1); // ".example.com"
  return host.length > suffix.length && host.endsWith(suffix);
}
