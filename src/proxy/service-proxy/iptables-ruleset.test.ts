import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChainNames, chainTagFor } from './chain-names.js';
import { deleteChainsText, probability, renderRuleset, restoreText } from './iptables-ruleset.js';
import type { ServicePortPlan } from './service-port-plan.js';

const names = new ChainNames('T1');
const base: ServicePortPlan = {
  name: 'default/web:http', protocol: 'TCP', clusterIP: '10.43.0.10', port: 80, nodePort: 0, externalIPs: [],
  endpoints: [{ ip: '10.88.1.2', port: 8080 }, { ip: '10.88.1.3', port: 8080 }, { ip: '10.88.1.4', port: 8080 }],
};
const svcChain = names.service(base.name, 'TCP');
const sepChains = base.endpoints.map((e) => names.endpoint(base.name, 'TCP', `${e.ip}:${e.port}`));
const rulesOf = (chain: string, rules: readonly string[]) => rules.filter((r) => r.startsWith(`-A ${chain} `));

describe('iptables ruleset', () => {
  it('1/n, 1/(n-1), ... then an unconditional jump: every endpoint gets an equal share', () => {
    assert.equal(probability(3), '0.3333333333');
    assert.equal(probability(2), '0.5000000000');
    const { nat } = renderRuleset([base], { names });
    const svcRules = rulesOf(svcChain, nat.rules).filter((r) => r.includes('-j K8TS-T1-SEP-'));
    assert.deepEqual(svcRules.map((r) => /--probability (\S+)/.exec(r)?.[1]), ['0.3333333333', '0.5000000000', undefined]);
    assert.deepEqual(svcRules.map((r) => r.split(' -j ')[1]), sepChains);
    // Shares: 1/3, then 1/2 of the remaining 2/3, then what is left.
    let left = 1;
    const shares = svcRules.map((r) => {
      const p = Number(/--probability (\S+)/.exec(r)?.[1] ?? '1');
      const share = left * p;
      left -= share;
      return share;
    });
    for (const share of shares) assert.ok(Math.abs(share - 1 / 3) < 1e-9);
  });

  it('routes the cluster IP to the service chain, DNATs each endpoint and masquerades hairpin traffic', () => {
    const { nat } = renderRuleset([base], { names, clusterCidr: '10.88.1.0/24' });
    assert.ok(nat.rules.includes(`-A ${names.services} -d 10.43.0.10/32 -m comment --comment "default/web:http cluster IP" -p tcp -m tcp --dport 80 -j ${svcChain}`));
    assert.deepEqual(rulesOf(sepChains[0] ?? '', nat.rules), [
      `-A ${sepChains[0]} -s 10.88.1.2/32 -m comment --comment "default/web:http" -j ${names.markMasq}`,
      `-A ${sepChains[0]} -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.88.1.2:8080`,
    ]);
    // traffic from outside the pod CIDR (the host itself) is masqueraded
    assert.equal(rulesOf(svcChain, nat.rules)[0], `-A ${svcChain} ! -s 10.88.1.0/24 -d 10.43.0.10/32 -m comment --comment "default/web:http cluster IP" -p tcp -m tcp --dport 80 -j ${names.markMasq}`);
    // without a cluster CIDR: all of it
    assert.match(rulesOf(svcChain, renderRuleset([base], { names }).nat.rules)[0] ?? '', new RegExp(`^-A ${svcChain} -d 10.43.0.10/32 .* -j ${names.markMasq}$`));
    assert.ok(nat.rules.includes(`-A ${names.postrouting} -m comment --comment "k8ts service traffic requiring SNAT" -j MASQUERADE --random-fully`));
  });

  it('ClientIP affinity: a recent check per endpoint before the random pick, and a recent set before DNAT', () => {
    const { nat } = renderRuleset([{ ...base, affinityTimeoutSeconds: 10_800 }], { names });
    const svcRules = rulesOf(svcChain, nat.rules).filter((r) => r.includes('-j K8TS-T1-SEP-'));
    assert.equal(svcRules.length, 6);
    sepChains.forEach((sep, i) => {
      assert.match(svcRules[i] ?? '', new RegExp(`-m recent --name ${sep} --mask 255.255.255.255 --rsource --rcheck --seconds 10800 --reap -j ${sep}$`));
      assert.match(rulesOf(sep, nat.rules)[1] ?? '', new RegExp(`-m recent --name ${sep} --mask 255.255.255.255 --rsource --set -m tcp -j DNAT`));
    });
    assert.ok(svcRules.slice(3).every((r) => !r.includes('recent')));
  });

  it('a service without endpoints: REJECT in filter for its cluster IP, node port and external IPs, no nat chain', () => {
    const empty = { ...base, endpoints: [], nodePort: 30080, externalIPs: ['127.0.0.1'], protocol: 'UDP' as const };
    const { nat, filter } = renderRuleset([empty], { names });
    assert.ok(!nat.chains.some((c) => c.includes('-SVC-') || c.includes('-SEP-')));
    assert.deepEqual(filter.rules.filter((r) => r.includes('REJECT')), [
      `-A ${names.services} -d 10.43.0.10/32 -m comment --comment "default/web:http has no endpoints" -p udp -m udp --dport 80 -j REJECT --reject-with icmp-port-unreachable`,
      `-A ${names.external} -d 127.0.0.1/32 -m comment --comment "default/web:http has no endpoints" -p udp -m udp --dport 80 -j REJECT --reject-with icmp-port-unreachable`,
      `-A ${names.external} -m addrtype --dst-type LOCAL -m comment --comment "default/web:http has no endpoints" -p udp -m udp --dport 30080 -j REJECT --reject-with icmp-port-unreachable`,
    ]);
  });

  it('node ports and external (LB) IPs go through the EXT chain, which marks for SNAT then balances', () => {
    const { nat } = renderRuleset([{ ...base, nodePort: 30080, externalIPs: ['127.0.0.1'] }], { names });
    const ext = names.externalService(base.name, 'TCP');
    assert.ok(nat.rules.includes(`-A ${names.nodePorts} -m comment --comment "default/web:http" -p tcp -m tcp --dport 30080 -j ${ext}`));
    assert.ok(nat.rules.includes(`-A ${names.services} -d 127.0.0.1/32 -m comment --comment "default/web:http external IP" -p tcp -m tcp --dport 80 -j ${ext}`));
    assert.deepEqual(rulesOf(ext, nat.rules), [
      `-A ${ext} -m comment --comment "masquerade traffic from outside the node" -j ${names.markMasq}`,
      `-A ${ext} -j ${svcChain}`,
    ]);
    // the node-port dispatch is the last rule of SERVICES, so cluster and external IPs match first
    const services = rulesOf(names.services, nat.rules);
    assert.match(services.at(-1) ?? '', /-m addrtype --dst-type LOCAL -j K8TS-T1-NODEPORTS$/);
  });

  it('internalTrafficPolicy Local: the cluster IP goes to SVL (local endpoints only, with the SNAT rule); no SVC chain', () => {
    const local = [{ ip: '10.88.1.3', port: 8080 }];
    const { nat, filter } = renderRuleset([{ ...base, internalLocal: true, localEndpoints: local }], { names, clusterCidr: '10.88.1.0/24' });
    const svl = names.localService(base.name, 'TCP');
    assert.ok(nat.rules.includes(`-A ${names.services} -d 10.43.0.10/32 -m comment --comment "default/web:http cluster IP" -p tcp -m tcp --dport 80 -j ${svl}`));
    assert.deepEqual(rulesOf(svl, nat.rules), [
      `-A ${svl} ! -s 10.88.1.0/24 -d 10.43.0.10/32 -m comment --comment "default/web:http cluster IP" -p tcp -m tcp --dport 80 -j ${names.markMasq}`,
      `-A ${svl} -m comment --comment "default/web:http -> 10.88.1.3:8080" -j ${sepChains[1]}`,
    ]);
    assert.ok(!nat.chains.includes(svcChain) && !nat.chains.includes(sepChains[0] ?? ''), 'only the local endpoint chain exists');
    assert.ok(!filter.rules.some((r) => r.includes('DROP') && r.includes('10.43.0.10')));
  });

  it('internalTrafficPolicy Local without a local endpoint: DROP in filter (not REJECT), no nat jump for the cluster IP', () => {
    const { nat, filter } = renderRuleset([{ ...base, internalLocal: true, localEndpoints: [] }], { names });
    assert.ok(!nat.rules.some((r) => r.includes('-d 10.43.0.10/32') && r.startsWith(`-A ${names.services} `)));
    assert.deepEqual(filter.rules.filter((r) => r.includes('10.43.0.10')), [
      `-A ${names.services} -d 10.43.0.10/32 -m comment --comment "default/web:http has no local endpoints" -p tcp -m tcp --dport 80 -j DROP`,
    ]);
  });

  it('externalTrafficPolicy Local: EXT short-circuits pod and node traffic to SVC, the rest goes unmasqueraded to SVL', () => {
    const local = [{ ip: '10.88.1.4', port: 8080 }];
    const plan = { ...base, nodePort: 30080, loadBalancerIPs: ['192.0.2.2'], externalLocal: true, localEndpoints: local };
    const { nat, filter } = renderRuleset([plan], { names, clusterCidr: '10.88.1.0/24' });
    const ext = names.externalService(base.name, 'TCP');
    const svl = names.localService(base.name, 'TCP');
    assert.deepEqual(rulesOf(ext, nat.rules), [
      `-A ${ext} -s 10.88.1.0/24 -m comment --comment "pod traffic for default/web:http external destinations" -j ${svcChain}`,
      `-A ${ext} -m comment --comment "masquerade LOCAL traffic for default/web:http external destinations" -m addrtype --src-type LOCAL -j ${names.markMasq}`,
      `-A ${ext} -m comment --comment "route LOCAL traffic for default/web:http external destinations" -m addrtype --src-type LOCAL -j ${svcChain}`,
      `-A ${ext} -j ${svl}`,
    ]);
    assert.ok(!rulesOf(ext, nat.rules).some((r) => !r.includes('--src-type LOCAL') && r.endsWith(names.markMasq)), 'outside clients keep their address');
    // the cluster IP still uses every endpoint; SVL holds only the local one, without the cluster-IP SNAT rule
    assert.equal(rulesOf(svcChain, nat.rules).filter((r) => r.includes('-SEP-')).length, 3);
    assert.deepEqual(rulesOf(svl, nat.rules), [`-A ${svl} -m comment --comment "default/web:http -> 10.88.1.4:8080" -j ${sepChains[2]}`]);
    assert.ok(nat.rules.includes(`-A ${names.services} -d 192.0.2.2/32 -m comment --comment "default/web:http loadbalancer IP" -p tcp -m tcp --dport 80 -j ${ext}`));
    assert.deepEqual(filter.rules.filter((r) => r.includes('DROP') && !r.includes('127.0.0.0/8')), []);
    // the health check node port (one per Service, whatever its port count) is let in
    const withHealth = renderRuleset([{ ...plan, healthCheckNodePort: 30099 }, { ...plan, name: 'default/web:https', healthCheckNodePort: 30099 }], { names });
    assert.deepEqual(withHealth.filter.rules.filter((r) => r.includes('30099')), [
      `-A ${names.external} -m addrtype --dst-type LOCAL -m comment --comment "default/web health check node port" -p tcp -m tcp --dport 30099 -j ACCEPT`,
    ]);
  });

  it('externalTrafficPolicy Local without a local endpoint: EXT keeps only the short-circuits, filter DROPs node port and LB IP', () => {
    const plan = { ...base, nodePort: 30080, loadBalancerIPs: ['192.0.2.2'], externalIPs: ['192.0.2.9'], externalLocal: true, localEndpoints: [] };
    const { nat, filter } = renderRuleset([plan], { names });
    const ext = names.externalService(base.name, 'TCP');
    assert.deepEqual(rulesOf(ext, nat.rules).map((r) => r.split(' -j ')[1]), [names.markMasq, svcChain]);
    assert.ok(!nat.chains.includes(names.localService(base.name, 'TCP')));
    assert.ok(nat.rules.includes(`-A ${names.nodePorts} -m comment --comment "default/web:http" -p tcp -m tcp --dport 30080 -j ${ext}`));
    const why = '-m comment --comment "default/web:http has no local endpoints"';
    assert.deepEqual(filter.rules.filter((r) => r.startsWith(`-A ${names.external} `)), [
      `-A ${names.external} -d 192.0.2.9/32 ${why} -p tcp -m tcp --dport 80 -j DROP`,
      `-A ${names.external} -d 192.0.2.2/32 ${why} -p tcp -m tcp --dport 80 -j DROP`,
      `-A ${names.external} -m addrtype --dst-type LOCAL ${why} -p tcp -m tcp --dport 30080 -j DROP`,
    ]);
  });

  it('loadBalancerSourceRanges: LB IP -> FW chain admitting each range to EXT; the rest dropped by PROXY-FIREWALL', () => {
    const plan = { ...base, nodePort: 30080, loadBalancerIPs: ['192.0.2.2'], loadBalancerSourceRanges: ['198.51.100.0/24', '203.0.113.9/32'] };
    const ext = names.externalService(base.name, 'TCP');
    const fw = names.firewallService(base.name, 'TCP');
    const { nat, filter } = renderRuleset([plan], { names });
    assert.ok(nat.rules.includes(`-A ${names.services} -d 192.0.2.2/32 -m comment --comment "default/web:http loadbalancer IP" -p tcp -m tcp --dport 80 -j ${fw}`));
    assert.deepEqual(rulesOf(fw, nat.rules), [
      `-A ${fw} -s 198.51.100.0/24 -m comment --comment "default/web:http loadbalancer IP" -j ${ext}`,
      `-A ${fw} -s 203.0.113.9/32 -m comment --comment "default/web:http loadbalancer IP" -j ${ext}`,
      `-A ${fw} -m comment --comment "other traffic to default/web:http will be dropped by ${names.lbFirewall}"`,
    ]);
    assert.deepEqual(filter.rules.filter((r) => r.startsWith(`-A ${names.lbFirewall} `)), [
      `-A ${names.lbFirewall} -d 192.0.2.2/32 -m comment --comment "default/web:http traffic not accepted by ${fw}" -p tcp -m tcp --dport 80 -j DROP`,
    ]);
    assert.ok(filter.chains.includes(names.lbFirewall));
    // node ports are not subject to the ranges (as upstream)
    assert.ok(nat.rules.includes(`-A ${names.nodePorts} -m comment --comment "default/web:http" -p tcp -m tcp --dport 30080 -j ${ext}`));
    // a range holding the node's address also admits the LB IP itself as source (a node reaching its own VIP)
    const fromNode = renderRuleset([{ ...plan, sourceRangesAllowNode: true }], { names }).nat.rules;
    assert.ok(fromNode.includes(`-A ${fw} -s 192.0.2.2/32 -m comment --comment "default/web:http loadbalancer IP" -j ${ext}`));
    // without endpoints there is no FW chain: REJECT as before
    const empty = renderRuleset([{ ...plan, endpoints: [] }], { names });
    assert.ok(!empty.nat.chains.includes(fw));
    assert.ok(!empty.filter.rules.some((r) => r.startsWith(`-A ${names.lbFirewall} `)));
  });

  it('restore text declares every chain, then rules, then deletes stale chains of ours', () => {
    const ruleset = renderRuleset([base], { names });
    const text = restoreText(ruleset, { nat: new Set([svcChain, 'K8TS-T1-SVC-GONE']), filter: new Set() });
    const lines = text.trimEnd().split('\n');
    const natAt = lines.indexOf('*nat');
    assert.deepEqual(lines.slice(0, 1), ['*filter']);
    assert.ok(lines.includes(`:${svcChain} - [0:0]`));
    assert.ok(lines.includes(':K8TS-T1-SVC-GONE - [0:0]'));
    assert.equal(lines.at(-2), '-X K8TS-T1-SVC-GONE');
    assert.equal(lines.at(-1), 'COMMIT');
    assert.ok(natAt > 0 && lines.filter((l) => l === 'COMMIT').length === 2);
    assert.ok(!lines.some((l) => l.startsWith('-A ') && !l.startsWith('-A K8TS-T1-')), 'only our chains are written');
    assert.equal(deleteChainsText({ nat: new Set(), filter: new Set() }), '');
    assert.equal(deleteChainsText({ nat: new Set(['K8TS-T1-B', 'K8TS-T1-A']), filter: new Set() }), '*nat\n:K8TS-T1-A - [0:0]\n:K8TS-T1-B - [0:0]\n-X K8TS-T1-A\n-X K8TS-T1-B\nCOMMIT\n');
  });
});

describe('chain names', () => {
  it('fit iptables\' 28 characters, are stable, and differ per node, service port and endpoint', () => {
    const tag = chainTagFor('node-a');
    assert.match(tag, /^[A-Z2-7]{4}$/);
    assert.equal(chainTagFor('node-a'), tag);
    assert.notEqual(chainTagFor('node-b'), tag);
    const n = new ChainNames(tag);
    const sep = n.endpoint('a-very-long-namespace/a-very-long-service-name:http', 'TCP', '10.88.1.2:8080');
    assert.ok(sep.length <= 28, sep);
    assert.notEqual(n.service('default/web:http', 'TCP'), n.service('default/web:http', 'UDP'));
    assert.notEqual(sep, n.endpoint('a-very-long-namespace/a-very-long-service-name:http', 'TCP', '10.88.1.3:8080'));
    assert.ok(n.owns(sep) && !n.owns('K8TS-XXXX-SERVICES') && !n.owns('KUBE-SERVICES'));
    assert.throws(() => new ChainNames('lower'), RangeError);
  });
});
