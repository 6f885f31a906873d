// Renders ServicePortPlans into the proxy's chains of the nat and filter tables, in the shape
// kube-proxy's iptables mode uses (chain for chain, with K8TS-<tag>- names):
//
//   nat  PREROUTING/OUTPUT -> SERVICES: cluster IP:port -> SVC-x; external/LB IP:port -> EXT-x
//                                       (LB IP with source ranges -> FW-x -> EXT-x);
//                                       last rule: destination is a local address -> NODEPORTS
//        NODEPORTS: node port -> EXT-x
//        EXT-x: MARK-MASQ (the reply must come back through this node), then SVC-x
//        (traffic policy Local: SVL-x, this node's endpoints only; see service-port-rules.ts)
//        SVC-x: SNAT-mark traffic from outside the cluster CIDR; affinity (recent --rcheck) per
//               endpoint; then endpoint i of n with probability 1/(n-i), the last unconditionally
//        SEP-y: SNAT-mark hairpin traffic (the endpoint reaching itself); [recent --set]; DNAT
//        POSTROUTING -> POSTROUTING: marked packets are masqueraded (the mark is cleared first so
//                                    a re-traversal does not masquerade twice)
//   filter OUTPUT/FORWARD (new conns) -> SERVICES: cluster IP:port without endpoints -> REJECT
//          INPUT/FORWARD (new conns)  -> EXTERNAL: node port / external IP without endpoints -> REJECT
//                                        (without local endpoints under externalTrafficPolicy Local: DROP)
//                                        health check node ports (served by the proxy) -> ACCEPT
//          INPUT/FORWARD/OUTPUT (new) -> PROXY-FIREWALL: LB IP:port not DNATed by FW-x -> DROP
//          FORWARD -> FORWARD: accept marked and established service traffic (hosts whose FORWARD
//                              policy is DROP, e.g. with Docker)
//          INPUT -> FIREWALL: drop non-loopback packets to 127/8 that were not DNATed
//                             (route_localnet=1, needed for 127.0.0.1:nodePort, would otherwise
//                             let other machines reach loopback-only listeners)
//
// Worked example of the probabilities, 3 endpoints: the first rule takes 1/3 of the traffic; of
// the remaining 2/3 the second takes 1/2 (= 1/3 overall); the last takes what is left (1/3).
import type { ChainNames } from './chain-names.js';
import type { ServicePortPlan } from './service-port-plan.js';
import { comment, portMatch, renderServicePort, type RuleBuckets } from './service-port-rules.js';

export { probability } from './service-port-rules.js';

/** kube-proxy's default --iptables-masquerade-bit 14. */
export const DEFAULT_MASQUERADE_MARK = '0x4000';

export interface RulesetOptions {
  readonly names: ChainNames;
  /** Pod traffic from this CIDR is not SNATed on its way to a cluster IP; absent: masquerade all. */
  readonly clusterCidr?: string;
  readonly masqueradeMark?: string;
}

export interface TableRules {
  /** Every chain of ours in this table, in declaration order. */
  readonly chains: readonly string[];
  readonly rules: readonly string[];
}

export interface Ruleset {
  readonly nat: TableRules;
  readonly filter: TableRules;
}

export type TableName = 'nat' | 'filter';

export function renderRuleset(plans: readonly ServicePortPlan[], options: RulesetOptions): Ruleset {
  const n = options.names;
  const mark = options.masqueradeMark ?? DEFAULT_MASQUERADE_MARK;
  const natChains = [n.services, n.nodePorts, n.postrouting, n.markMasq];
  const nat: string[] = [
    `-A ${n.postrouting} -m mark ! --mark ${mark}/${mark} -j RETURN`,
    `-A ${n.postrouting} -j MARK --xor-mark ${mark}`,
    `-A ${n.postrouting} ${comment('k8ts service traffic requiring SNAT')} -j MASQUERADE --random-fully`,
    `-A ${n.markMasq} -j MARK --or-mark ${mark}`,
  ];
  const filterChains = [n.services, n.external, n.forward, n.firewall, n.lbFirewall];
  const filter: string[] = [
    `-A ${n.forward} -m mark --mark ${mark}/${mark} ${comment('k8ts forwarding rules')} -j ACCEPT`,
    `-A ${n.forward} -m conntrack --ctstate RELATED,ESTABLISHED ${comment('k8ts forwarding conntrack rule')} -j ACCEPT`,
    `-A ${n.firewall} ! -s 127.0.0.0/8 -d 127.0.0.0/8 ${comment('block incoming localnet connections')} ` +
      '-m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP',
  ];
  const out: RuleBuckets = { natChains, services: [], nodePorts: [], perService: [], perEndpoint: [], filter };
  const ctx = { names: n, ...(options.clusterCidr !== undefined ? { clusterCidr: options.clusterCidr } : {}) };
  const healthPorts = new Map<number, string>();
  for (const plan of plans) {
    renderServicePort(plan, ctx, out);
    if (plan.healthCheckNodePort !== undefined) healthPorts.set(plan.healthCheckNodePort, plan.name.split(':')[0] ?? plan.name);
  }
  // Health check node ports are served by the proxy itself: let them in even where INPUT drops.
  for (const [port, service] of healthPorts) {
    filter.push(`-A ${n.external} -m addrtype --dst-type LOCAL ${comment(`${service} health check node port`)} ${portMatch('TCP', port)} -j ACCEPT`);
  }
  out.services.push(
    `-A ${n.services} ${comment('k8ts service nodeports; must be the last rule of this chain')} -m addrtype --dst-type LOCAL -j ${n.nodePorts}`,
  );
  return {
    nat: { chains: natChains, rules: [...nat, ...out.services, ...out.nodePorts, ...out.perService, ...out.perEndpoint] },
    filter: { chains: filterChains, rules: filter },
  };
}

/**
 * The iptables-restore --noflush input that makes our chains exactly `ruleset`: declaring a chain
 * (`:NAME - [0:0]`) creates or flushes it, and chains of ours that exist but are no longer
 * wanted (`existing`) are flushed and deleted at the end. One batch is one atomic transaction.
 */
export function restoreText(ruleset: Ruleset, existing: Readonly<Record<TableName, ReadonlySet<string>>>): string {
  const out: string[] = [];
  for (const table of ['filter', 'nat'] as const) {
    const { chains, rules } = ruleset[table];
    const wanted = new Set(chains);
    const stale = [...existing[table]].filter((chain) => !wanted.has(chain)).sort();
    out.push(`*${table}`);
    for (const chain of [...chains, ...stale]) out.push(`:${chain} - [0:0]`);
    out.push(...rules);
    for (const chain of stale) out.push(`-X ${chain}`);
    out.push('COMMIT');
  }
  return `${out.join('\n')}\n`;
}

/** Flushes and deletes every chain listed (base-chain jumps to them must be gone first). */
export function deleteChainsText(existing: Readonly<Record<TableName, ReadonlySet<string>>>): string {
  const out: string[] = [];
  for (const table of ['filter', 'nat'] as const) {
    const chains = [...existing[table]].sort();
    if (chains.length === 0) continue;
    out.push(`*${table}`, ...chains.map((chain) => `:${chain} - [0:0]`), ...chains.map((chain) => `-X ${chain}`), 'COMMIT');
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
