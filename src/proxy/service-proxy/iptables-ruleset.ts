// Renders ServicePortPlans into the proxy's chains of the nat and filter tables, in the shape
// kube-proxy's iptables mode uses (chain for chain, with K8TS-<tag>- names):
//
//   nat  PREROUTING/OUTPUT -> SERVICES: cluster IP:port -> SVC-x; external/LB IP:port -> EXT-x;
//                                       last rule: destination is a local address -> NODEPORTS
//        NODEPORTS: node port -> EXT-x
//        EXT-x: MARK-MASQ (the reply must come back through this node), then SVC-x
//        SVC-x: SNAT-mark traffic from outside the cluster CIDR; affinity (recent --rcheck) per
//               endpoint; then endpoint i of n with probability 1/(n-i), the last unconditionally
//        SEP-y: SNAT-mark hairpin traffic (the endpoint reaching itself); [recent --set]; DNAT
//        POSTROUTING -> POSTROUTING: marked packets are masqueraded (the mark is cleared first so
//                                    a re-traversal does not masquerade twice)
//   filter OUTPUT/FORWARD (new conns) -> SERVICES: cluster IP:port without endpoints -> REJECT
//          INPUT/FORWARD (new conns)  -> EXTERNAL: node port / external IP without endpoints -> REJECT
//          FORWARD -> FORWARD: accept marked and established service traffic (hosts whose FORWARD
//                              policy is DROP, e.g. with Docker)
//          INPUT -> FIREWALL: drop non-loopback packets to 127/8 that were not DNATed
//                             (route_localnet=1, needed for 127.0.0.1:nodePort, would otherwise
//                             let other machines reach loopback-only listeners)
//
// Worked example of the probabilities, 3 endpoints: the first rule takes 1/3 of the traffic; of
// the remaining 2/3 the second takes 1/2 (= 1/3 overall); the last takes what is left (1/3).
import type { ChainNames } from './chain-names.js';
import type { ProxyEndpoint, ServicePortPlan } from './service-port-plan.js';

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

function comment(text: string): string {
  return `-m comment --comment "${text.replace(/["\\]/g, '')}"`;
}

function portMatch(protocol: string, port: number): string {
  const p = protocol.toLowerCase();
  return `-p ${p} -m ${p} --dport ${port}`;
}

/** `1/n` with 10 decimals, as kube-proxy prints it (iptables parses it as a double). */
export function probability(remaining: number): string {
  return (1 / remaining).toFixed(10);
}

function endpointText(endpoint: ProxyEndpoint): string {
  return `${endpoint.ip}:${endpoint.port}`;
}

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
  const filterChains = [n.services, n.external, n.forward, n.firewall];
  const filter: string[] = [
    `-A ${n.forward} -m mark --mark ${mark}/${mark} ${comment('k8ts forwarding rules')} -j ACCEPT`,
    `-A ${n.forward} -m conntrack --ctstate RELATED,ESTABLISHED ${comment('k8ts forwarding conntrack rule')} -j ACCEPT`,
    `-A ${n.firewall} ! -s 127.0.0.0/8 -d 127.0.0.0/8 ${comment('block incoming localnet connections')} ` +
      '-m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP',
  ];
  const nodePortRules: string[] = [];
  const serviceRules: string[] = [];
  const perService: string[] = [];
  const perEndpoint: string[] = [];

  for (const plan of plans) {
    const match = portMatch(plan.protocol, plan.port);
    const reject = '-j REJECT --reject-with icmp-port-unreachable';
    if (plan.endpoints.length === 0) {
      const why = comment(`${plan.name} has no endpoints`);
      filter.push(`-A ${n.services} -d ${plan.clusterIP}/32 ${why} ${match} ${reject}`);
      for (const ip of plan.externalIPs) filter.push(`-A ${n.external} -d ${ip}/32 ${why} ${match} ${reject}`);
      if (plan.nodePort > 0) {
        filter.push(`-A ${n.external} -m addrtype --dst-type LOCAL ${why} ${portMatch(plan.protocol, plan.nodePort)} ${reject}`);
      }
      continue;
    }
    const svc = n.service(plan.name, plan.protocol);
    natChains.push(svc);
    serviceRules.push(`-A ${n.services} -d ${plan.clusterIP}/32 ${comment(`${plan.name} cluster IP`)} ${match} -j ${svc}`);
    if (plan.externalIPs.length > 0 || plan.nodePort > 0) {
      const ext = n.externalService(plan.name, plan.protocol);
      natChains.push(ext);
      for (const ip of plan.externalIPs) {
        serviceRules.push(`-A ${n.services} -d ${ip}/32 ${comment(`${plan.name} external IP`)} ${match} -j ${ext}`);
      }
      if (plan.nodePort > 0) nodePortRules.push(`-A ${n.nodePorts} ${comment(plan.name)} ${portMatch(plan.protocol, plan.nodePort)} -j ${ext}`);
      perService.push(`-A ${ext} ${comment('masquerade traffic from outside the node')} -j ${n.markMasq}`, `-A ${ext} -j ${svc}`);
    }
    const from = options.clusterCidr === undefined ? '' : `! -s ${options.clusterCidr} `;
    perService.push(`-A ${svc} ${from}-d ${plan.clusterIP}/32 ${comment(`${plan.name} cluster IP`)} ${match} -j ${n.markMasq}`);
    const seps = plan.endpoints.map((endpoint) => n.endpoint(plan.name, plan.protocol, endpointText(endpoint)));
    if (plan.affinityTimeoutSeconds !== undefined) {
      plan.endpoints.forEach((endpoint, i) => {
        perService.push(
          `-A ${svc} ${comment(`${plan.name} -> ${endpointText(endpoint)}`)} -m recent --name ${seps[i]} --mask 255.255.255.255 ` +
            `--rsource --rcheck --seconds ${plan.affinityTimeoutSeconds} --reap -j ${seps[i]}`,
        );
      });
    }
    plan.endpoints.forEach((endpoint, i) => {
      const sep = seps[i] ?? '';
      const remaining = plan.endpoints.length - i;
      const pick = remaining > 1 ? `-m statistic --mode random --probability ${probability(remaining)} ` : '';
      perService.push(`-A ${svc} ${comment(`${plan.name} -> ${endpointText(endpoint)}`)} ${pick}-j ${sep}`);
      natChains.push(sep);
      const remember = plan.affinityTimeoutSeconds !== undefined ? ` -m recent --name ${sep} --mask 255.255.255.255 --rsource --set` : '';
      const p = plan.protocol.toLowerCase();
      perEndpoint.push(
        `-A ${sep} -s ${endpoint.ip}/32 ${comment(plan.name)} -j ${n.markMasq}`,
        `-A ${sep} -p ${p} ${comment(plan.name)}${remember} -m ${p} -j DNAT --to-destination ${endpointText(endpoint)}`,
      );
    });
  }
  serviceRules.push(
    `-A ${n.services} ${comment('k8ts service nodeports; must be the last rule of this chain')} -m addrtype --dst-type LOCAL -j ${n.nodePorts}`,
  );
  return {
    nat: { chains: natChains, rules: [...nat, ...serviceRules, ...nodePortRules, ...perService, ...perEndpoint] },
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
