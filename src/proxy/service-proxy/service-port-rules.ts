// The rules of one service port, kube-proxy's iptables mode chain for chain (see iptables-ruleset.ts
// for the tables' layout). With traffic policies and source ranges:
//
//   SVC-x  every usable endpoint ("Cluster")      SVL-x  this node's endpoints only ("Local")
//   cluster IP   -> SVL-x when internalTrafficPolicy is Local, else SVC-x; Local without a local
//                   endpoint: DROP in filter (REJECT is kept for "no endpoints at all")
//   EXT-x        Cluster: MARK-MASQ, then SVC-x.
//                Local: pod traffic (cluster CIDR) and the node's own traffic short-circuit to
//                SVC-x (the node's masqueraded: its source is a local address the endpoint may not
//                route back to); everything else -> SVL-x, keeping the client's source address.
//                No local endpoint: nothing else matches, and filter DROPs what was not DNATed.
//   LB IP        -> FW-x when loadBalancerSourceRanges are set: each range -> EXT-x (and the LB
//                   IPs themselves when a range holds this node's address: a node reaching its own
//                   VIP loops back with the VIP as source); the rest falls through undNATed and
//                   filter's PROXY-FIREWALL drops it.
import type { ChainNames } from './chain-names.js';
import type { ProxyEndpoint, ServicePortPlan } from './service-port-plan.js';

/** Where each kind of rule goes; iptables-ruleset.ts concatenates them in this order per table. */
export interface RuleBuckets {
  readonly natChains: string[];
  /** nat SERVICES (cluster, external and LB IPs). */
  readonly services: string[];
  readonly nodePorts: string[];
  readonly perService: string[];
  readonly perEndpoint: string[];
  readonly filter: string[];
}

export interface PortRulesContext {
  readonly names: ChainNames;
  readonly clusterCidr?: string;
}

export function comment(text: string): string {
  return `-m comment --comment "${text.replace(/["\\]/g, '')}"`;
}

export function portMatch(protocol: string, port: number): string {
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

const REJECT = '-j REJECT --reject-with icmp-port-unreachable';

export function renderServicePort(plan: ServicePortPlan, ctx: PortRulesContext, out: RuleBuckets): void {
  const n = ctx.names;
  const match = portMatch(plan.protocol, plan.port);
  const lbIPs = plan.loadBalancerIPs ?? [];
  const ranges = plan.loadBalancerSourceRanges ?? [];
  const local = plan.localEndpoints ?? [];
  const hasEndpoints = plan.endpoints.length > 0;
  const hasInternal = hasEndpoints && (plan.internalLocal !== true || local.length > 0);
  const hasExternal = hasEndpoints && (plan.externalLocal !== true || local.length > 0);
  const externallyAccessible = plan.nodePort > 0 || plan.externalIPs.length > 0 || lbIPs.length > 0;
  const usesFirewall = hasEndpoints && lbIPs.length > 0 && ranges.length > 0;
  // Nothing at all: REJECT (the client hears at once); Local without a local endpoint: DROP, as kube-proxy.
  const why = comment(hasEndpoints ? `${plan.name} has no local endpoints` : `${plan.name} has no endpoints`);
  const target = hasEndpoints ? '-j DROP' : REJECT;
  const svc = n.service(plan.name, plan.protocol);
  const svl = n.localService(plan.name, plan.protocol);
  const ext = n.externalService(plan.name, plan.protocol);
  const fw = n.firewallService(plan.name, plan.protocol);
  const internalChain = plan.internalLocal === true ? svl : svc;

  if (hasInternal) out.services.push(`-A ${n.services} -d ${plan.clusterIP}/32 ${comment(`${plan.name} cluster IP`)} ${match} -j ${internalChain}`);
  else out.filter.push(`-A ${n.services} -d ${plan.clusterIP}/32 ${why} ${match} ${target}`);
  for (const ip of plan.externalIPs) {
    if (hasEndpoints) out.services.push(`-A ${n.services} -d ${ip}/32 ${comment(`${plan.name} external IP`)} ${match} -j ${ext}`);
    if (!hasExternal) out.filter.push(`-A ${n.external} -d ${ip}/32 ${why} ${match} ${target}`);
  }
  for (const ip of lbIPs) {
    if (hasEndpoints) out.services.push(`-A ${n.services} -d ${ip}/32 ${comment(`${plan.name} loadbalancer IP`)} ${match} -j ${usesFirewall ? fw : ext}`);
    if (usesFirewall) out.filter.push(`-A ${n.lbFirewall} -d ${ip}/32 ${comment(`${plan.name} traffic not accepted by ${fw}`)} ${match} -j DROP`);
  }
  if (!hasExternal) for (const ip of lbIPs) out.filter.push(`-A ${n.external} -d ${ip}/32 ${why} ${match} ${target}`);
  if (plan.nodePort > 0) {
    const nodePortMatch = portMatch(plan.protocol, plan.nodePort);
    if (hasEndpoints) out.nodePorts.push(`-A ${n.nodePorts} ${comment(plan.name)} ${nodePortMatch} -j ${ext}`);
    if (!hasExternal) out.filter.push(`-A ${n.external} -m addrtype --dst-type LOCAL ${why} ${nodePortMatch} ${target}`);
  }
  if (!hasEndpoints) return;

  if (externallyAccessible) {
    out.natChains.push(ext);
    if (plan.externalLocal !== true) {
      out.perService.push(`-A ${ext} ${comment('masquerade traffic from outside the node')} -j ${n.markMasq}`, `-A ${ext} -j ${svc}`);
    } else {
      if (ctx.clusterCidr !== undefined) {
        out.perService.push(`-A ${ext} -s ${ctx.clusterCidr} ${comment(`pod traffic for ${plan.name} external destinations`)} -j ${svc}`);
      }
      out.perService.push(
        `-A ${ext} ${comment(`masquerade LOCAL traffic for ${plan.name} external destinations`)} -m addrtype --src-type LOCAL -j ${n.markMasq}`,
        `-A ${ext} ${comment(`route LOCAL traffic for ${plan.name} external destinations`)} -m addrtype --src-type LOCAL -j ${svc}`,
      );
      if (hasExternal) out.perService.push(`-A ${ext} -j ${svl}`);
    }
  }
  if (usesFirewall) {
    out.natChains.push(fw);
    const note = comment(`${plan.name} loadbalancer IP`);
    for (const cidr of ranges) out.perService.push(`-A ${fw} -s ${cidr} ${note} -j ${ext}`);
    if (plan.sourceRangesAllowNode === true) for (const ip of lbIPs) out.perService.push(`-A ${fw} -s ${ip}/32 ${note} -j ${ext}`);
    out.perService.push(`-A ${fw} ${comment(`other traffic to ${plan.name} will be dropped by ${n.lbFirewall}`)}`);
  }
  // SVC-x serves Cluster policies and the local-origin short-circuit of external Local.
  const usesCluster = plan.internalLocal !== true || externallyAccessible;
  const usesLocal = local.length > 0 && (plan.internalLocal === true || (plan.externalLocal === true && externallyAccessible));
  const endpointChains = new Map<string, ProxyEndpoint>();
  const balance = (chain: string, endpoints: readonly ProxyEndpoint[]): void => {
    out.natChains.push(chain);
    if (chain === internalChain) {
      // Traffic from outside the pod CIDR (the node, other hosts routing to the cluster IP) is SNATed.
      const from = ctx.clusterCidr === undefined ? '' : `! -s ${ctx.clusterCidr} `;
      out.perService.push(`-A ${chain} ${from}-d ${plan.clusterIP}/32 ${comment(`${plan.name} cluster IP`)} ${match} -j ${n.markMasq}`);
    }
    const seps = endpoints.map((endpoint) => n.endpoint(plan.name, plan.protocol, endpointText(endpoint)));
    if (plan.affinityTimeoutSeconds !== undefined) {
      endpoints.forEach((endpoint, i) => {
        out.perService.push(
          `-A ${chain} ${comment(`${plan.name} -> ${endpointText(endpoint)}`)} -m recent --name ${seps[i]} --mask 255.255.255.255 ` +
            `--rsource --rcheck --seconds ${plan.affinityTimeoutSeconds} --reap -j ${seps[i]}`,
        );
      });
    }
    endpoints.forEach((endpoint, i) => {
      const sep = seps[i] ?? '';
      const remaining = endpoints.length - i;
      const pick = remaining > 1 ? `-m statistic --mode random --probability ${probability(remaining)} ` : '';
      out.perService.push(`-A ${chain} ${comment(`${plan.name} -> ${endpointText(endpoint)}`)} ${pick}-j ${sep}`);
      endpointChains.set(sep, endpoint);
    });
  };
  if (usesCluster) balance(svc, plan.endpoints);
  if (usesLocal) balance(svl, local);
  for (const [sep, endpoint] of endpointChains) {
    out.natChains.push(sep);
    const remember = plan.affinityTimeoutSeconds !== undefined ? ` -m recent --name ${sep} --mask 255.255.255.255 --rsource --set` : '';
    const p = plan.protocol.toLowerCase();
    out.perEndpoint.push(
      `-A ${sep} -s ${endpoint.ip}/32 ${comment(plan.name)} -j ${n.markMasq}`,
      `-A ${sep} -p ${p} ${comment(plan.name)}${remember} -m ${p} -j DNAT --to-destination ${endpointText(endpoint)}`,
    );
  }
}
