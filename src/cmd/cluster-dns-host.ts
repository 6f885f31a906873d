// Whether and how a node agent serves cluster DNS, decided once at start: served when the agent
// runs as root (port 53, an address on lo) with a runtime that gives pods their own network and
// --cluster-dns is not "". The pods of the node are then told to ask it (ClusterFirst); otherwise
// they keep the node's resolver, as a kubelet without --cluster-dns does.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseResolvConf, type PodDnsSettings, type ResolvConf } from '../agent/pod-dns-config.js';
import type { ContainerRuntime } from '../agent/runtime/runtime.js';
import type { InformerFactory } from '../client/informer/informer.js';
import { execRunner } from '../lib/command-runner.js';
import type { Logger } from '../lib/logger.js';
import { componentLogger } from '../lib/logger.js';
import { ClusterDns } from '../dns/cluster-dns.js';
import { DnsAddress } from '../dns/dns-address.js';
import type { NodeAgentFlags } from './node-flags.js';

/** kubelet's --resolv-conf default: the node's resolver, for Default pods and names outside the cluster. */
const HOST_RESOLV_CONF = '/etc/resolv.conf';

export async function readHostResolvConf(path = HOST_RESOLV_CONF): Promise<ResolvConf> {
  return parseResolvConf(await readFile(path, 'utf8').catch(() => ''));
}

/**
 * What this agent's pods are told (see the header). Hollow pods (fake runtime) are told the
 * address, as kubemark's hollow kubelets are configured with one, though nothing serves it: they
 * resolve nothing, and a fallback Warning event per pod would only load a scale test.
 */
export async function nodeDnsSettings(flags: NodeAgentFlags, runtime: ContainerRuntime, uid: number | undefined): Promise<PodDnsSettings> {
  const told = flags.clusterDns !== undefined && (runtime.name === 'fake' || servesClusterDns(flags, runtime, uid));
  return {
    clusterDns: told && flags.clusterDns !== undefined ? [flags.clusterDns] : [],
    clusterDomain: flags.clusterDomain,
    host: await readHostResolvConf(),
  };
}

export function servesClusterDns(flags: NodeAgentFlags, runtime: ContainerRuntime, uid: number | undefined): boolean {
  return flags.clusterDns !== undefined && uid === 0 && runtime.name !== 'fake' && runtime.capabilities.podNetworking;
}

/** Serves the node's cluster DNS until `signal` aborts (nothing when `served` is false). */
export function startClusterDns(options: {
  readonly served: boolean;
  readonly settings: PodDnsSettings;
  readonly informers: InformerFactory;
  /** The agent's state directory (the lo address's ownership marker lives there). */
  readonly stateDir: string;
  readonly logger: Logger;
  readonly signal: AbortSignal;
}): Promise<void> {
  const address = options.settings.clusterDns[0];
  if (!options.served || address === undefined) return Promise.resolve();
  const logger = componentLogger(options.logger, 'cluster-dns');
  const dns = new ClusterDns({
    informers: options.informers,
    address: new DnsAddress({ address, runner: execRunner(), markerPath: join(options.stateDir, 'dns', `lo-address-${address}`) }),
    zone: options.settings.clusterDomain,
    upstreams: options.settings.host.nameservers.map((host) => ({ host, port: 53 })),
    logger,
  });
  return dns.run(options.signal).catch((error: unknown) => logger.error({ err: error }, 'cluster DNS failed'));
}
