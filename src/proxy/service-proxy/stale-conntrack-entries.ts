// Which conntrack entries a rules sync left stale, worked out from the service port plans applied
// before and after it. Pure; conntrack-cleaner.ts runs the deletes.
//
// Why: iptables DNATs only the first packet of a flow; conntrack replays that decision for every
// later packet. A UDP "flow" has no end, so a client that keeps sending from one source port (a
// DNS resolver) keeps reaching the endpoint it was first sent to, even after that endpoint is gone,
// and keeps reaching nothing when its flow was created while the service had no DNAT rule yet.
// TCP ends with the connection (and its endpoint's RST), so only UDP and SCTP are cleaned.
//
// The rules, per service port (kube-proxy's per-change cleanup, as it was before its
// reconciliation pass over the whole table):
// - an endpoint that received traffic before the sync and does not now: delete the entries sent
//   to one of the port's addresses (cluster IP, external IPs, LB IPs) or to its node port and
//   DNATed to that endpoint (its address and port as the reply's source);
// - a port that had no endpoints (or did not exist) and now has some: delete every entry sent to
//   its addresses or node port: they were made while nothing DNATed them (before the rules, or
//   while REJECT answered) and would keep bypassing the new rules;
// - a port that went away: delete every entry sent to its addresses or node port.
// Every filter names the service port's port (upstream matches the address alone), so flows to
// the other ports of the same address are left alone.
//
// A proxy's first sync has no "before" (a restarted agent finds the flows its predecessor's rules
// made): the table is reconciled instead, as newer kube-proxy does over the whole table. The
// entries sent to each UDP/SCTP port are listed, and those whose reply does not come from one of
// the port's current endpoints (a gone endpoint, or no DNAT at all: made before any rule) are
// deleted; live flows to current endpoints are kept.
import type { ProxyEndpoint, ServicePortPlan } from './service-port-plan.js';

/** One `conntrack -D` filter; every field given must match. */
export interface ConntrackFilter {
  readonly protocol: 'udp' | 'sctp';
  /** The address the client sent to (`--orig-dst`). */
  readonly origDst?: string;
  /** The port the client sent to (`--orig-port-dst`). */
  readonly origPortDst?: number;
  /** The endpoint the flow was DNATed to (`--reply-src`, `--reply-port-src`). */
  readonly replySrc?: string;
  readonly replyPortSrc?: number;
}

/** The `conntrack` arguments deleting what `filter` matches. */
export function conntrackDeleteArgs(filter: ConntrackFilter): string[] {
  const args = ['-D', '-p', filter.protocol];
  if (filter.origDst !== undefined) args.push('--orig-dst', filter.origDst);
  if (filter.origPortDst !== undefined) args.push('--orig-port-dst', String(filter.origPortDst));
  if (filter.replySrc !== undefined) args.push('--reply-src', filter.replySrc);
  if (filter.replyPortSrc !== undefined) args.push('--reply-port-src', String(filter.replyPortSrc));
  return args;
}

function cleanedProtocol(plan: ServicePortPlan): ConntrackFilter['protocol'] | undefined {
  return plan.protocol === 'UDP' ? 'udp' : plan.protocol === 'SCTP' ? 'sctp' : undefined;
}

function planKey(plan: ServicePortPlan): string {
  return `${plan.name}/${plan.protocol}`;
}

function endpointKey(endpoint: ProxyEndpoint): string {
  return `${endpoint.ip}:${endpoint.port}`;
}

/** The addresses a client reaches the port at; its node port comes on top. */
function serviceAddresses(plan: ServicePortPlan): string[] {
  return [plan.clusterIP, ...plan.externalIPs, ...(plan.loadBalancerIPs ?? [])];
}

/** Filters for every entry sent to the port (at its addresses or node port), DNATed to `endpoint` when given. */
function entriesOf(plan: ServicePortPlan, protocol: ConntrackFilter['protocol'], endpoint?: ProxyEndpoint): ConntrackFilter[] {
  const to = endpoint === undefined ? {} : { replySrc: endpoint.ip, replyPortSrc: endpoint.port };
  const filters: ConntrackFilter[] = serviceAddresses(plan).map((ip) => ({ protocol, origDst: ip, origPortDst: plan.port, ...to }));
  if (plan.nodePort > 0) filters.push({ protocol, origPortDst: plan.nodePort, ...to });
  return filters;
}

/** The filters deleting what the move from `previous` to `next` left stale; each filter once. */
export function staleConntrackFilters(previous: readonly ServicePortPlan[], next: readonly ServicePortPlan[]): ConntrackFilter[] {
  const before = new Map(previous.map((plan) => [planKey(plan), plan]));
  const after = new Map(next.map((plan) => [planKey(plan), plan]));
  const filters = new Map<string, ConntrackFilter>();
  const add = (list: readonly ConntrackFilter[]): void => {
    for (const filter of list) filters.set(conntrackDeleteArgs(filter).join(' '), filter);
  };
  for (const plan of next) {
    const protocol = cleanedProtocol(plan);
    if (protocol === undefined || plan.endpoints.length === 0) continue;
    if ((before.get(planKey(plan))?.endpoints.length ?? 0) === 0) add(entriesOf(plan, protocol));
  }
  for (const plan of previous) {
    const protocol = cleanedProtocol(plan);
    if (protocol === undefined) continue;
    const now = after.get(planKey(plan));
    if (now === undefined) {
      add(entriesOf(plan, protocol));
      continue;
    }
    const kept = new Set(now.endpoints.map(endpointKey));
    for (const endpoint of plan.endpoints) if (!kept.has(endpointKey(endpoint))) add(entriesOf(plan, protocol, endpoint));
  }
  return [...filters.values()];
}

/** `conntrack -L` arguments listing what `filter` matches. */
export function conntrackListArgs(filter: ConntrackFilter): string[] {
  return ['-L', ...conntrackDeleteArgs(filter).slice(1)];
}

/** A first sync's reconciliation: what to list, and which replies are current (`ip:port`). */
export interface ReconcileQuery {
  readonly list: ConntrackFilter;
  readonly endpoints: ReadonlySet<string>;
}

export function reconcileQueries(plans: readonly ServicePortPlan[]): ReconcileQuery[] {
  const queries: ReconcileQuery[] = [];
  for (const plan of plans) {
    const protocol = cleanedProtocol(plan);
    if (protocol === undefined) continue;
    const endpoints = new Set(plan.endpoints.map(endpointKey));
    for (const list of entriesOf(plan, protocol)) queries.push({ list, endpoints });
  }
  return queries;
}

/**
 * The deletes for the listed entries (`conntrack -L` output) whose reply source is not a current
 * endpoint, one per distinct reply source. An entry line holds the original direction's
 * src/dst/sport/dport, then the reply's: the reply source is the second `src=` and `sport=`.
 */
export function staleReplyFilters(query: ReconcileQuery, listed: string): ConntrackFilter[] {
  const stale = new Map<string, ConntrackFilter>();
  for (const line of listed.split('\n')) {
    const sources = [...line.matchAll(/\bsrc=(\S+)/g)].map((m) => m[1] ?? '');
    const ports = [...line.matchAll(/\bsport=(\d+)/g)].map((m) => Number(m[1]));
    const [replySrc, replyPortSrc] = [sources[1], ports[1]];
    if (replySrc === undefined || replyPortSrc === undefined) continue;
    const key = `${replySrc}:${replyPortSrc}`;
    if (query.endpoints.has(key) || stale.has(key)) continue;
    stale.set(key, { ...query.list, replySrc, replyPortSrc });
  }
  return [...stale.values()];
}
