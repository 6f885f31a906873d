// The mount of a pod's managed /etc/hosts (pod-hosts-file.ts) into its containers, as kubelet's
// makeMounts does: `<pod dir>/etc-hosts` is (re)written from the pod and its current IP each time a
// container is created (so, as upstream documents, edits made inside a container are lost when a
// container restarts), and mounted read-write at /etc/hosts in every container that does not mount
// something there itself.
import type { Container } from 'kubernetes-types/core/v1.js';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PodObject } from './object-types.js';
import { formatPodHosts } from './pod-hosts-file.js';
import type { Mount } from './runtime/runtime.js';

export const ETC_HOSTS = '/etc/hosts';

/** Writes the pod's hosts file (replaced whole); returns its path. */
export async function writeHostsFile(options: {
  readonly podDir: string;
  readonly pod: PodObject;
  readonly podIP: string;
  readonly clusterDomain: string;
  /** The node's hosts file, for host-network pods (kubelet's layout for them starts from it). */
  readonly nodeHostsPath?: string;
  /** The node's hostname, when the runtime gives pods none of their own (formatPodHosts). */
  readonly sharedHostname?: string;
}): Promise<string> {
  const file = path.join(options.podDir, 'etc-hosts');
  const nodeHosts = options.pod.spec?.hostNetwork === true ? await readFile(options.nodeHostsPath ?? ETC_HOSTS, 'utf8').catch(() => '') : undefined;
  const text = formatPodHosts(options.pod, {
    podIPs: [options.podIP], clusterDomain: options.clusterDomain,
    ...(nodeHosts !== undefined ? { nodeHosts } : {}),
    ...(options.sharedHostname !== undefined ? { sharedHostname: options.sharedHostname } : {}),
  });
  await mkdir(options.podDir, { recursive: true });
  await writeFile(`${file}.tmp`, text);
  await rename(`${file}.tmp`, file);
  return file;
}

/** The /etc/hosts mount of one container: none when it mounts a volume there itself. */
export function hostsFileMounts(container: Container, hostsFile: string | undefined): Mount[] {
  if (hostsFile === undefined) return [];
  if ((container.volumeMounts ?? []).some((m) => path.posix.normalize(m.mountPath).replace(/\/+$/, '') === ETC_HOSTS)) return [];
  return [{ containerPath: ETC_HOSTS, hostPath: hostsFile, readOnly: false }];
}
