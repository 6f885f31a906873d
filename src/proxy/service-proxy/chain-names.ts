// Names of the proxy's iptables chains. Every chain is `K8TS-<tag>-...`, where the tag is a short
// hash of the node name: two k8ts nodes on one machine (tests run several servers at once) own
// disjoint chains, and a proxy restarted for the same node finds (and replaces) what a crashed
// predecessor left. iptables limits chain names to 28 characters:
// `K8TS-` 5 + tag 4 + `-` 1 + `SEP-` 4 + hash 12 = 26.
import { createHash } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (no padding) of a SHA-256, cut to `length` characters. */
function hash32(text: string, length: number): string {
  const digest = createHash('sha256').update(text).digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= 0xff;
    if (out.length >= length) break;
  }
  return out;
}

/** The 4-character tag of a node's chains. */
export function chainTagFor(nodeName: string): string {
  return hash32(`k8ts-proxy/${nodeName}`, 4);
}

export class ChainNames {
  readonly prefix: string;
  /** nat: entry from PREROUTING and OUTPUT; filter: rejects for cluster IPs without endpoints. */
  readonly services: string;
  readonly nodePorts: string;
  readonly postrouting: string;
  readonly markMasq: string;
  /** filter: rejects for node ports and external IPs without endpoints. */
  readonly external: string;
  readonly forward: string;
  readonly firewall: string;
  /** filter: drops LB traffic that the per-service FW chain did not let through (KUBE-PROXY-FIREWALL). */
  readonly lbFirewall: string;

  constructor(tag: string) {
    if (!/^[A-Z0-9]{1,4}$/.test(tag)) throw new RangeError(`chain tag must be 1-4 of [A-Z0-9], got ${JSON.stringify(tag)}`);
    this.prefix = `K8TS-${tag}-`;
    this.services = `${this.prefix}SERVICES`;
    this.nodePorts = `${this.prefix}NODEPORTS`;
    this.postrouting = `${this.prefix}POSTROUTING`;
    this.markMasq = `${this.prefix}MARK-MASQ`;
    this.external = `${this.prefix}EXTERNAL`;
    this.forward = `${this.prefix}FORWARD`;
    this.firewall = `${this.prefix}FIREWALL`;
    this.lbFirewall = `${this.prefix}PROXY-FIREWALL`;
  }

  /** One service port's balancing chain (kube-proxy's KUBE-SVC-<hash of name+protocol>). */
  service(portName: string, protocol: string): string {
    return `${this.prefix}SVC-${hash32(`${portName}${protocol}`, 12)}`;
  }

  /** The same, with this node's endpoints only (kube-proxy's KUBE-SVL-): traffic policy Local. */
  localService(portName: string, protocol: string): string {
    return `${this.prefix}SVL-${hash32(`${portName}${protocol}`, 12)}`;
  }

  /** loadBalancerSourceRanges: LB traffic from an admitted source goes on to EXT (KUBE-FW-). */
  firewallService(portName: string, protocol: string): string {
    return `${this.prefix}FW-${hash32(`${portName}${protocol}`, 12)}`;
  }

  /** Traffic from outside (node port, external/LB IP): marked for SNAT, then the SVC chain. */
  externalService(portName: string, protocol: string): string {
    return `${this.prefix}EXT-${hash32(`${portName}${protocol}`, 12)}`;
  }

  /** One endpoint of one service port; also the name of its `recent` list for affinity. */
  endpoint(portName: string, protocol: string, endpoint: string): string {
    return `${this.prefix}SEP-${hash32(`${portName}${protocol}${endpoint}`, 12)}`;
  }

  owns(chain: string): boolean {
    return chain.startsWith(this.prefix);
  }
}
