// A pod's own /etc files (its resolv.conf) through iproute2's per-namespace /etc: `ip netns exec
// NAME` bind-mounts every file of /etc/netns/NAME over the file of the same name in /etc, inside
// the command's private mount namespace. Every process of a pod (containers, exec, probes) starts
// under `ip netns exec`, so writing /etc/netns/<pod netns>/resolv.conf is how a pod gets its
// resolver without touching the host's: the process runtime's equivalent of the resolv.conf
// containerd writes for a sandbox from CRI's DNSConfig.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatResolvConf } from '../../pod-dns-config.js';
import type { SandboxDnsConfig } from '../runtime.js';

/** iproute2's NETNS_ETC_DIR (compiled in). */
export const NETNS_ETC_DIR = '/etc/netns';

/** Writes the namespace's resolv.conf (replaced whole: a reader never sees half of it). */
export async function writeNetnsResolvConf(etcDir: string, netns: string, config: SandboxDnsConfig): Promise<void> {
  const dir = join(etcDir, netns);
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'resolv.conf');
  await writeFile(`${file}.tmp`, formatResolvConf(config));
  await rename(`${file}.tmp`, file);
}

/** Removes the namespace's /etc directory, if any. */
export async function removeNetnsEtc(etcDir: string, netns: string): Promise<void> {
  await rm(join(etcDir, netns), { recursive: true, force: true });
}
