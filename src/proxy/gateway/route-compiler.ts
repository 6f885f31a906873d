// GatewayClasses, Gateways, HTTPRoutes, Services, EndpointSlices and Pods -> RouteTable: the pure
// heart of the gateway's control side. Every (route rule, effective hostname, match) becomes one
// CompiledRule with a single hostname (or none) and a single match, sorted by Gateway API
// precedence (route-precedence.ts), so the data plane's matcher can take the first rule that
// matches. Rules split from the same HTTPRoute rule share their backends and filter objects
// (structured clone keeps the sharing across IPC).
//
// HTTPS listeners add their certificates to their port's ListenerConfig.tls (the routing is the
// same as on HTTP). Not served (ignored): RequestMirror, CORS and ExtensionRef filters,
// per-backendRef filters, TLS/TCP/UDP listeners, HTTPS listeners without a usable certificate.

import type { Namespace, Pod, Secret, Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { Gateway, GatewayClass, HTTPHeaderFilter, HTTPPathModifier, HTTPRoute, HTTPRouteMatch, HTTPRouteRule, ReferenceGrant } from '../../api/gateway/index.js';
import { K8TS_GATEWAY_CONTROLLER_NAME } from '../../api/gateway/index.js';
import { parseGatewayDuration } from '../../api/gateway/gateway-duration.js';
import type { CertificateLookup } from '../../api/gateway/listener-certificates.js';
import { BackendIndex } from './backend-resolver.js';
import { cohortKeyOf } from './cohort-annotation.js';
import { activeListeners, attachRoute, ourGatewayClasses, type ActiveListener } from './route-attachment.js';
import { comparePrecedence, type RankedRule } from './route-precedence.js';
import type { CompiledMatch, CompiledRule, HeaderModifier, ListenerConfig, ListenerTls, RedirectFilter, RouteTable, TlsCertificate } from './route-table.js';

export interface RouteCompilerInput {
  readonly gatewayClasses: readonly GatewayClass[];
  readonly gateways: readonly Gateway[];
  readonly httpRoutes: readonly HTTPRoute[];
  readonly services: readonly Service[];
  readonly endpointSlices: readonly EndpointSlice[];
  readonly pods: readonly Pod[];
  /** For listeners with allowedRoutes.namespaces.from: Selector. */
  readonly namespaces?: readonly Namespace[];
  /** For backendRefs to Services in other namespaces. */
  readonly referenceGrants?: readonly ReferenceGrant[];
  /** For the certificateRefs of HTTPS listeners (only kubernetes.io/tls Secrets matter). */
  readonly secrets?: readonly Secret[];
}

export interface RouteCompilerOptions {
  readonly version: number;
  /** GatewayClasses with this spec.controllerName are ours (default k8ts.io/gateway-controller). */
  readonly controllerName?: string;
}

/** Compiles the whole table. Pure: same input and version, same table. */
export function compileRouteTable(input: RouteCompilerInput, options: RouteCompilerOptions): RouteTable {
  const classes = ourGatewayClasses(input.gatewayClasses, options.controllerName ?? K8TS_GATEWAY_CONTROLLER_NAME);
  const active = activeListeners(input.gateways, classes, certificateLookup(input));
  // A port speaks one protocol. Where HTTP and HTTPS listeners share one (ProtocolConflict in
  // status), HTTP keeps the port, as it did before HTTPS was served.
  const httpPorts = new Set(active.filter((l) => l.certificates === undefined).map((l) => l.listener.port));
  const listeners = active.filter((l) => l.certificates === undefined || !httpPorts.has(l.listener.port));
  const namespaceLabels = new Map<string, Readonly<Record<string, string>>>();
  for (const ns of input.namespaces ?? []) namespaceLabels.set(ns.metadata?.name ?? '', ns.metadata?.labels ?? {});
  const backends = new BackendIndex(input);
  const byPort = new Map<number, { ranked: RankedRule[]; seen: Set<string> }>();
  for (const l of listeners) if (!byPort.has(l.listener.port)) byPort.set(l.listener.port, { ranked: [], seen: new Set() });

  const routes = [...input.httpRoutes].sort((a, b) => routeKey(a).localeCompare(routeKey(b)));
  for (const route of routes) {
    if (route.metadata?.deletionTimestamp !== undefined) continue;
    const attachments = attachRoute(route, listeners, namespaceLabels);
    if (attachments.length === 0) continue;
    const compiled = compileRules(route, backends);
    const createdMs = Date.parse(route.metadata?.creationTimestamp ?? '') || 0;
    for (const { listener, hostnames } of attachments) {
      const slot = byPort.get(listener.listener.port);
      if (slot === undefined) continue;
      for (const host of hostnames.length === 0 ? [undefined] : hostnames) {
        for (const c of compiled) {
          c.matches.forEach((match, matchIndex) => {
            // The same route on two listeners of one port (or two equal hostnames) yields one entry.
            const id = `${c.route}\u0000${c.ruleIndex}\u0000${matchIndex}\u0000${host ?? ''}`;
            if (slot.seen.has(id)) return;
            slot.seen.add(id);
            slot.ranked.push({ rule: { ...c, hostnames: host === undefined ? [] : [host], matches: [match] }, createdMs, matchIndex });
          });
        }
      }
    }
  }

  const out: ListenerConfig[] = [];
  for (const port of [...byPort.keys()].sort((a, b) => a - b)) {
    const slot = byPort.get(port);
    if (slot === undefined) continue;
    slot.ranked.sort(comparePrecedence);
    const tls = portTls(listeners.filter((l) => l.listener.port === port));
    out.push({ port, ...(tls !== undefined ? { tls } : {}), rules: slot.ranked.map((r) => r.rule) });
  }
  return { version: options.version, listeners: out };
}

function certificateLookup(input: RouteCompilerInput): CertificateLookup {
  const secrets = new Map<string, Secret>();
  for (const secret of input.secrets ?? []) secrets.set(`${secret.metadata?.namespace ?? ''}/${secret.metadata?.name ?? ''}`, secret);
  const grants = input.referenceGrants ?? [];
  return {
    secret: (namespace, name) => secrets.get(`${namespace}/${name}`),
    grantsIn: (namespace) => grants.filter((g) => (g.metadata?.namespace ?? 'default') === namespace),
  };
}

/**
 * The certificates of a port's HTTPS listeners (undefined for an HTTP port): one per hostname (the
 * listener's first usable certificate; on a hostname two Gateways share, the first Gateway by
 * namespace/name), the default first: a listener without hostname, else the first listener.
 */
function portTls(listeners: readonly ActiveListener[]): ListenerTls | undefined {
  const secure = listeners.filter((l) => l.certificates !== undefined)
    .sort((a, b) => `${a.gatewayNamespace}/${a.gatewayName}`.localeCompare(`${b.gatewayNamespace}/${b.gatewayName}`));
  if (secure.length === 0) return undefined;
  const byHost = new Map<string, TlsCertificate>();
  for (const l of secure) {
    const cert = l.certificates?.[0];
    const hostname = l.listener.hostname?.toLowerCase() ?? '';
    if (cert === undefined || byHost.has(hostname)) continue;
    byHost.set(hostname, { ...(hostname !== '' ? { hostname } : {}), certPem: cert.certPem, keyPem: cert.keyPem });
  }
  const fallback = byHost.get('');
  byHost.delete('');
  const certificates = [...byHost.values()];
  if (fallback !== undefined) certificates.unshift(fallback);
  return { certificates };
}

function routeKey(route: HTTPRoute): string {
  return `${route.metadata?.namespace ?? 'default'}/${route.metadata?.name ?? ''}`;
}

/** The route's rules with every match (unsplit); hostnames are filled in per attachment. */
function compileRules(route: HTTPRoute, index: BackendIndex): CompiledRule[] {
  const namespace = route.metadata?.namespace ?? 'default';
  const cohort = cohortKeyOf(route.metadata?.annotations);
  const out: CompiledRule[] = [];
  (route.spec.rules ?? [{}]).forEach((rule, ruleIndex) => {
    const matches = (rule.matches === undefined || rule.matches.length === 0 ? [{}] : rule.matches)
      .map(compileMatch)
      .filter((m): m is CompiledMatch => m !== undefined);
    if (matches.length === 0) return;
    const backends = (rule.backendRefs ?? []).map((ref) => index.resolve(ref, namespace));
    out.push({
      route: routeKey(route),
      ruleIndex,
      hostnames: [],
      matches,
      backends,
      ...compileFilters(rule),
      ...(cohort !== undefined ? { cohort } : {}),
      ...compileTimeouts(rule),
    });
  });
  return out;
}

/** Undefined when the match cannot be served (an invalid regular expression). */
export function compileMatch(match: HTTPRouteMatch): CompiledMatch | undefined {
  const type = match.path?.type ?? 'PathPrefix';
  const value = match.path?.value ?? '/';
  const regexes: string[] = [];
  if (type === 'RegularExpression') regexes.push(value);
  const headers = dedupeByName(match.headers ?? [], (n) => n.toLowerCase()).map((h) => {
    if (h.type === 'RegularExpression') regexes.push(h.value);
    return { name: h.name.toLowerCase(), type: h.type ?? 'Exact', value: h.value };
  });
  const queryParams = dedupeByName(match.queryParams ?? [], (n) => n).map((q) => {
    if (q.type === 'RegularExpression') regexes.push(q.value);
    return { name: q.name, type: q.type ?? 'Exact', value: q.value };
  });
  if (!regexes.every(isValidRegex)) return undefined;
  return { path: { type, value }, headers, queryParams, ...(match.method !== undefined ? { method: match.method } : {}) };
}

// Spec: "If multiple entries specify equivalent header/query param names, only the first entry
// with an equivalent name MUST be considered."
function dedupeByName<T extends { readonly name: string }>(items: readonly T[], normalize: (name: string) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = normalize(item.name);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function isValidRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

type FilterFields = Pick<CompiledRule, 'requestHeaders' | 'responseHeaders' | 'redirect' | 'rewrite'>;

function compileFilters(rule: HTTPRouteRule): Partial<FilterFields> {
  const out: { -readonly [K in keyof FilterFields]?: FilterFields[K] } = {};
  for (const f of rule.filters ?? []) {
    if (f.type === 'RequestHeaderModifier' && f.requestHeaderModifier !== undefined) out.requestHeaders = headerModifier(f.requestHeaderModifier);
    else if (f.type === 'ResponseHeaderModifier' && f.responseHeaderModifier !== undefined) out.responseHeaders = headerModifier(f.responseHeaderModifier);
    else if (f.type === 'RequestRedirect' && f.requestRedirect !== undefined) {
      const r = f.requestRedirect;
      const path = pathModifier(r.path);
      const redirect: RedirectFilter = {
        statusCode: r.statusCode ?? 302,
        ...(r.scheme !== undefined ? { scheme: r.scheme } : {}),
        ...(r.hostname !== undefined ? { hostname: r.hostname } : {}),
        ...(r.port !== undefined ? { port: r.port } : {}),
        ...(path !== undefined ? { path } : {}),
      };
      out.redirect = redirect;
    } else if (f.type === 'URLRewrite' && f.urlRewrite !== undefined) {
      const path = pathModifier(f.urlRewrite.path);
      const hostname = f.urlRewrite.hostname;
      out.rewrite = { ...(hostname !== undefined ? { hostname } : {}), ...(path !== undefined ? { path } : {}) };
    }
  }
  return out;
}

function headerModifier(f: HTTPHeaderFilter): HeaderModifier {
  return {
    set: (f.set ?? []).map((h) => ({ name: h.name.toLowerCase(), value: h.value })),
    add: (f.add ?? []).map((h) => ({ name: h.name.toLowerCase(), value: h.value })),
    remove: (f.remove ?? []).map((n) => n.toLowerCase()),
  };
}

function pathModifier(p: HTTPPathModifier | undefined): RedirectFilter['path'] {
  if (p === undefined) return undefined;
  if (p.type === 'ReplaceFullPath') return { type: p.type, value: p.replaceFullPath ?? '/' };
  return { type: p.type, value: p.replacePrefixMatch ?? '/' };
}

function compileTimeouts(rule: HTTPRouteRule): Pick<CompiledRule, 'requestTimeoutMs' | 'backendRequestTimeoutMs'> {
  const request = parseGatewayDuration(rule.timeouts?.request);
  const backend = parseGatewayDuration(rule.timeouts?.backendRequest);
  return {
    ...(request !== undefined && request > 0 ? { requestTimeoutMs: request } : {}),
    ...(backend !== undefined && backend > 0 ? { backendRequestTimeoutMs: backend } : {}),
  };
}
