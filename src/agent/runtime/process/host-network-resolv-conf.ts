// The resolv.conf of a container sharing the host's network (a hostNetwork pod, or every pod when
// the runtime has no pod network). There is no /etc/netns file for it (it runs outside any pod
// namespace) but, as root, it runs in a mount namespace of its own with its volumes bind-mounted
// (command-line.ts): so when the pod's DNS config is not the node's own resolv.conf (dnsPolicy
// ClusterFirstWithHostNet or None, or a dnsConfig), the container gets a file of its own mounted
// over /etc/resolv.conf, as containerd does for such a sandbox. When it is the node's file, nothing
// is mounted: a container start runs no program it does not need.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatResolvConf, parseResolvConf } from '../../pod-dns-config.js';
import type { Mount, SandboxDnsConfig } from '../runtime.js';

export const RESOLV_CONF = '/etc/resolv.conf';

export async function hostNetworkResolvConfMounts(options: {
  readonly dnsConfig: SandboxDnsConfig | undefined;
  /** Where the container's own file goes (its state directory). */
  readonly containerDir: string;
  /** The node's resolv.conf (default /etc/resolv.conf). */
  readonly nodeResolvConf?: string;
}): Promise<Mount[]> {
  if (options.dnsConfig === undefined) return [];
  const node = parseResolvConf(await readFile(options.nodeResolvConf ?? RESOLV_CONF, 'utf8').catch(() => ''));
  // Compared as resolvers read them: the node's file may order, space and comment its lines its own way.
  const { servers, searches, options: dnsOptions } = options.dnsConfig;
  if (same(servers, node.nameservers) && same(searches, node.searches) && same(dnsOptions, node.options)) return [];
  const file = join(options.containerDir, 'resolv.conf');
  await writeFile(file, formatResolvConf(options.dnsConfig));
  return [{ containerPath: RESOLV_CONF, hostPath: file, readOnly: true }];
}

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
