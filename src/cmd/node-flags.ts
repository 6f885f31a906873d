// Flags of a node agent, shared by `k8ts agent` and the agent embedded in `k8ts server`.
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { tryParseQuantity } from '../api/quantity.js';
import { DEFAULT_SYSTEM_RESERVED } from '../agent/node-allocatable.js';
import { parseDurationMs } from './duration-flag.js';
import { UsageError } from './usage-error.js';

/** auto: containerd when a CRI socket answers, else process (resolved at start, runtime-choice.ts). */
export type RuntimeKind = 'auto' | 'containerd' | 'process' | 'fake';

/** auto: own network namespace and IP per pod (CNI bridge) when root with the plugins; host: none. */
export type PodNetworkMode = 'auto' | 'host';

/** iptables: the node's service proxy programs iptables rules; none: no service proxy. */
export type ProxyMode = 'iptables' | 'none';

export interface NodeAgentFlags {
  readonly nodeName: string;
  readonly runtime: RuntimeKind;
  /** containerd's CRI socket (--cri-socket); absent: the default sockets are tried. */
  readonly criSocket?: string;
  /** kubelet --node-lease-duration-seconds (40); the lease is renewed every quarter of it. */
  readonly nodeLeaseDurationSeconds: number;
  /** kubelet --node-status-update-frequency (10 s). */
  readonly nodeStatusUpdateFrequencyMs: number;
  /**
   * On SIGTERM, stop and remove every pod sandbox of this node before exiting. Off by default:
   * like the kubelet, a stopping agent leaves containers running for the next one to re-adopt.
   * Tests turn it on so that no process outlives them.
   */
  readonly stopPodsOnExit: boolean;
  readonly podNetwork: PodNetworkMode;
  /** This node's pod CIDR (host-local IPAM range for the CNI bridge). */
  readonly podCidr: string;
  /** The process runtime's CNI bridge; two agents on one machine need different ones. */
  readonly podBridge: string;
  /** kubelet --system-reserved: kept back from pods (allocatable = capacity - this - hard eviction). */
  readonly systemReserved: Readonly<Record<string, string>>;
  /** --proxy-mode; absent: iptables when running as root, else none (see resolveProxyMode). */
  readonly proxyMode?: ProxyMode;
  /** --proxy-healthz-address (kube-proxy's --healthz-bind-address, 0.0.0.0:10256); absent: not served. */
  readonly proxyHealthzAddress?: HostPort;
  /** --volume-resync-period: configMap/secret/downwardAPI/projected volumes re-rendered (kubelet's syncFrequency, 1m); 0: never. */
  readonly volumeResyncPeriodMs: number;
  /** kubelet --cluster-dns: where this node serves cluster DNS and what ClusterFirst pods ask; absent: no cluster DNS. */
  readonly clusterDns?: string;
  /** kubelet --cluster-domain (cluster.local). */
  readonly clusterDomain: string;
}

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export const DEFAULT_PROXY_HEALTHZ_ADDRESS = '0.0.0.0:10256';

/** NodeLocal DNSCache's well-known link-local address: reachable from every pod through its default route. */
export const DEFAULT_CLUSTER_DNS = '169.254.20.10';

/** Lower-case RFC 1123 labels joined by dots. */
const DNS_DOMAIN = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;

export const NODE_AGENT_OPTIONS = {
  'node-name': { type: 'string' },
  runtime: { type: 'string' },
  'cri-socket': { type: 'string' },
  'node-lease-duration-seconds': { type: 'string' },
  'node-status-update-frequency': { type: 'string' },
  'stop-pods-on-exit': { type: 'boolean' },
  'pod-network': { type: 'string' },
  'pod-cidr': { type: 'string' },
  'pod-bridge': { type: 'string' },
  'system-reserved': { type: 'string' },
  'proxy-mode': { type: 'string' },
  'proxy-healthz-address': { type: 'string' },
  'volume-resync-period': { type: 'string' },
  'cluster-dns': { type: 'string' },
  'cluster-domain': { type: 'string' },
} as const;

export const NODE_AGENT_USAGE = `  --node-name NAME          the Node this agent registers (default: the host name, lower-cased)
  --runtime auto|containerd|process|fake
                            containerd: real containers through containerd's CRI socket;
                            process: containers run as host processes;
                            fake: hollow containers without processes (scale tests);
                            auto (default): containerd when a CRI socket answers, else process
  --cri-socket PATH         containerd's CRI socket (default: /run/k8ts/containerd/containerd.sock,
                            then /run/containerd/containerd.sock; scripts/setup-node.sh sets one up)
  --node-lease-duration-seconds N
                            heartbeat Lease duration; renewed every N/4 s (default 40)
  --node-status-update-frequency DURATION
                            how often the Node status is posted (default 10s)
  --stop-pods-on-exit       stop every pod of this node on SIGTERM (default: leave them running
                            for the next agent to re-adopt, as the kubelet does)
  --pod-network auto|host   auto (default): as root with the CNI plugins, each pod gets its own
                            network namespace and IP on a bridge; host: pods share the host network
  --pod-cidr CIDR           this node's pod address range (default 10.88.1.0/24; give every node
                            of a cluster its own)
  --pod-bridge NAME         the process runtime's CNI bridge (default k8ts0; agents sharing a
                            machine need their own bridge and pod CIDR)
  --system-reserved cpu=Q,memory=Q[,ephemeral-storage=Q]
                            resources kept back from pods: allocatable is capacity minus this
                            minus the hard eviction threshold memory.available 100Mi (default
                            cpu=100m,memory=256Mi; "none" reserves nothing)
  --proxy-mode iptables|none
                            iptables: a service proxy programs this node's iptables rules for
                            ClusterIP, NodePort and LoadBalancer Services (needs root);
                            none: no service proxy (default: iptables as root, else none)
  --proxy-healthz-address IP:PORT
                            where the service proxy serves /healthz and /livez, as kube-proxy's
                            --healthz-bind-address (default 0.0.0.0:10256; "" turns it off)
  --volume-resync-period DURATION
                            how often a running pod's configMap, secret, downwardAPI and projected
                            volumes are rewritten from their sources, plus up to 50% jitter
                            (default 1m, as the kubelet's sync; labels and annotations reach
                            downwardAPI files at once; 0 never)
  --cluster-dns IP          the address this node serves cluster DNS on (added to lo as a /32
                            when missing, as NodeLocal DNSCache does) and that pods with
                            dnsPolicy ClusterFirst get as their nameserver (default
                            169.254.20.10; "" turns cluster DNS off). Needs root and a pod network
  --cluster-domain DOMAIN   the cluster's DNS domain (default cluster.local)
`;

/** RFC 1123 subdomain, as Node names must be. */
const NODE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function parseNodeAgentFlags(values: {
  readonly 'node-name'?: string | undefined;
  readonly runtime?: string | undefined;
  readonly 'cri-socket'?: string | undefined;
  readonly 'node-lease-duration-seconds'?: string | undefined;
  readonly 'node-status-update-frequency'?: string | undefined;
  readonly 'stop-pods-on-exit'?: boolean | undefined;
  readonly 'pod-network'?: string | undefined;
  readonly 'pod-cidr'?: string | undefined;
  readonly 'pod-bridge'?: string | undefined;
  readonly 'system-reserved'?: string | undefined;
  readonly 'proxy-mode'?: string | undefined;
  readonly 'proxy-healthz-address'?: string | undefined;
  readonly 'volume-resync-period'?: string | undefined;
  readonly 'cluster-dns'?: string | undefined;
  readonly 'cluster-domain'?: string | undefined;
}): NodeAgentFlags {
  const nodeName = values['node-name'] ?? hostname().toLowerCase();
  if (nodeName.length > 253 || !NODE_NAME.test(nodeName)) {
    throw new UsageError(`invalid --node-name ${JSON.stringify(nodeName)}: must be a lower-case RFC 1123 subdomain`);
  }
  const runtime = values.runtime ?? 'auto';
  if (runtime !== 'auto' && runtime !== 'containerd' && runtime !== 'process' && runtime !== 'fake') {
    throw new UsageError(`invalid --runtime ${JSON.stringify(runtime)}: use auto, containerd, process or fake`);
  }
  const criSocket = values['cri-socket'];
  if (criSocket !== undefined && !criSocket.startsWith('/')) throw new UsageError(`invalid --cri-socket ${JSON.stringify(criSocket)}: must be an absolute path`);
  const leaseText = values['node-lease-duration-seconds'] ?? '40';
  const lease = Number(leaseText);
  if (!Number.isInteger(lease) || lease < 1) throw new UsageError(`invalid --node-lease-duration-seconds ${JSON.stringify(leaseText)}: must be a positive integer`);
  const statusEvery = parseDurationMs('--node-status-update-frequency', values['node-status-update-frequency'] ?? '10s');
  if (statusEvery <= 0) throw new UsageError('invalid --node-status-update-frequency: must be positive');
  const podNetwork = values['pod-network'] ?? 'auto';
  if (podNetwork !== 'auto' && podNetwork !== 'host') throw new UsageError(`invalid --pod-network ${JSON.stringify(podNetwork)}: use auto or host`);
  const podCidr = values['pod-cidr'] ?? '10.88.1.0/24';
  const podBridge = values['pod-bridge'] ?? 'k8ts0';
  // Linux interface names: at most 15 bytes; the netns names append `-<sandbox id>`.
  if (!/^[a-zA-Z0-9_]{1,10}$/.test(podBridge)) throw new UsageError(`invalid --pod-bridge ${JSON.stringify(podBridge)}: use 1-10 letters, digits or _`);
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(podCidr)) throw new UsageError(`invalid --pod-cidr ${JSON.stringify(podCidr)}: use an IPv4 CIDR such as 10.88.1.0/24`);
  const systemReserved = parseSystemReserved(values['system-reserved']);
  const proxyMode = values['proxy-mode'];
  if (proxyMode !== undefined && proxyMode !== 'iptables' && proxyMode !== 'none') {
    throw new UsageError(`invalid --proxy-mode ${JSON.stringify(proxyMode)}: use iptables or none`);
  }
  const healthzText = values['proxy-healthz-address'] ?? DEFAULT_PROXY_HEALTHZ_ADDRESS;
  const proxyHealthzAddress = healthzText === '' ? undefined : parseHostPort('--proxy-healthz-address', healthzText);
  const volumeResyncPeriodMs = parseDurationMs('--volume-resync-period', values['volume-resync-period'] ?? '1m');
  const clusterDns = values['cluster-dns'] ?? DEFAULT_CLUSTER_DNS;
  if (clusterDns !== '' && isIP(clusterDns) !== 4) {
    throw new UsageError(`invalid --cluster-dns ${JSON.stringify(clusterDns)}: use an IPv4 address such as ${DEFAULT_CLUSTER_DNS}, or "" to turn cluster DNS off`);
  }
  const clusterDomain = (values['cluster-domain'] ?? 'cluster.local').replace(/\.$/, '').toLowerCase();
  if (!DNS_DOMAIN.test(clusterDomain)) throw new UsageError(`invalid --cluster-domain ${JSON.stringify(values['cluster-domain'])}: use a DNS domain such as cluster.local`);
  return {
    ...(clusterDns !== '' ? { clusterDns } : {}),
    clusterDomain,
    ...(proxyMode !== undefined ? { proxyMode } : {}),
    ...(proxyHealthzAddress !== undefined ? { proxyHealthzAddress } : {}),
    volumeResyncPeriodMs,
    systemReserved,
    nodeName,
    runtime,
    ...(criSocket !== undefined ? { criSocket } : {}),
    podNetwork,
    podCidr,
    podBridge,
    nodeLeaseDurationSeconds: lease,
    nodeStatusUpdateFrequencyMs: statusEvery,
    stopPodsOnExit: values['stop-pods-on-exit'] === true,
  };
}

/** The proxy mode in effect: the flag, else iptables for root (uid 0) and none otherwise. */
export function resolveProxyMode(flag: ProxyMode | undefined, uid: number | undefined): ProxyMode {
  return flag ?? (uid === 0 ? 'iptables' : 'none');
}

/** `IP:PORT`, `[IPv6]:PORT`; port 0 picks a free one. */
export function parseHostPort(flag: string, text: string): HostPort {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  const host = match?.[1] ?? match?.[2] ?? '';
  const port = Number(match?.[3] ?? NaN);
  if (isIP(host) === 0 || !(port >= 0 && port <= 65535)) throw new UsageError(`invalid ${flag} ${JSON.stringify(text)}: use IP:PORT such as 0.0.0.0:10256, or "" to turn it off`);
  return { host, port };
}

const RESERVABLE = new Set(['cpu', 'memory', 'ephemeral-storage', 'pid']);

/** `cpu=100m,memory=256Mi` (kubelet's mapStringString flag syntax); `none` or empty: nothing. */
export function parseSystemReserved(text: string | undefined): Readonly<Record<string, string>> {
  if (text === undefined) return DEFAULT_SYSTEM_RESERVED;
  const out: Record<string, string> = {};
  if (text.trim() === '' || text.trim() === 'none') return out;
  for (const pair of text.split(',')) {
    const eq = pair.indexOf('=');
    const key = (eq < 0 ? pair : pair.slice(0, eq)).trim();
    const value = eq < 0 ? '' : pair.slice(eq + 1).trim();
    if (!RESERVABLE.has(key)) throw new UsageError(`invalid --system-reserved ${JSON.stringify(text)}: unknown resource ${JSON.stringify(key)} (use cpu, memory, ephemeral-storage, pid)`);
    const amount = tryParseQuantity(value);
    if (amount === undefined || amount < 0) throw new UsageError(`invalid --system-reserved ${JSON.stringify(text)}: ${JSON.stringify(value)} is not a quantity for ${key}`);
    out[key] = value;
  }
  return out;
}
