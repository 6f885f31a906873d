// The rules the proxy adds to the built-in chains: the only places it touches what it does not
// own. They are checked (`-C`) and inserted at the top (`-I`) rather than restored in the batch,
// because `iptables-restore --noflush` cannot say "add unless present", and they are deleted
// (`-D`) when the proxy stops.
import type { ChainNames } from './chain-names.js';
import type { TableName } from './iptables-ruleset.js';

export interface BaseJump {
  readonly table: TableName;
  readonly chain: 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';
  /** The rule without `-A CHAIN`, as argv. */
  readonly spec: readonly string[];
}

const NEW = ['-m', 'conntrack', '--ctstate', 'NEW'];

function note(text: string): string[] {
  return ['-m', 'comment', '--comment', text];
}

export function baseJumps(names: ChainNames): BaseJump[] {
  const portals = [...note('k8ts service portals'), '-j', names.services];
  const external = [...NEW, ...note('k8ts externally-visible service portals'), '-j', names.external];
  // loadBalancerSourceRanges: checked for new connections to this node, through it and from it.
  const lbFirewall = [...NEW, ...note('k8ts load balancer firewall'), '-j', names.lbFirewall];
  return [
    { table: 'nat', chain: 'PREROUTING', spec: portals },
    { table: 'nat', chain: 'OUTPUT', spec: portals },
    { table: 'nat', chain: 'POSTROUTING', spec: [...note('k8ts postrouting rules'), '-j', names.postrouting] },
    { table: 'filter', chain: 'INPUT', spec: external },
    { table: 'filter', chain: 'INPUT', spec: [...note('k8ts localnet firewall'), '-j', names.firewall] },
    { table: 'filter', chain: 'FORWARD', spec: [...NEW, ...portals] },
    { table: 'filter', chain: 'FORWARD', spec: external },
    { table: 'filter', chain: 'FORWARD', spec: [...note('k8ts forwarding rules'), '-j', names.forward] },
    { table: 'filter', chain: 'OUTPUT', spec: [...NEW, ...portals] },
    { table: 'filter', chain: 'INPUT', spec: lbFirewall },
    { table: 'filter', chain: 'FORWARD', spec: lbFirewall },
    { table: 'filter', chain: 'OUTPUT', spec: lbFirewall },
  ];
}
