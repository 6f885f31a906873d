// A pod's /etc/hosts as kubelet manages it (kubelet_pods.go): localhost lines, the pod's own IPs
// with its hostname (and its fully qualified name under a subdomain), then spec.hostAliases. The
// agent writes it in the pod's directory once the sandbox has its IP and mounts it over /etc/hosts
// in each container (hosts-file-mount.ts), as kubelet does.
import type { PodObject } from './object-types.js';

/** Kubernetes' limit of a hostname (one DNS label). */
const MAX_HOSTNAME_LENGTH = 63;

/** kubelet's hostname of a pod: spec.hostname, else its name, cut to 63 characters without a trailing `-` or `.`. */
export function podHostname(pod: PodObject): string {
  const hostname = pod.spec?.hostname || (pod.metadata?.name ?? '');
  return hostname.length <= MAX_HOSTNAME_LENGTH ? hostname : hostname.slice(0, MAX_HOSTNAME_LENGTH).replace(/[-.]+$/, '');
}

/**
 * kubelet's managed /etc/hosts of a pod. A pod with its own network gets the localhost lines and
 * one line per pod IP: `<ip>\t<hostname>`, or with spec.subdomain
 * `<ip>\t<hostname>.<subdomain>.<ns>.svc.<domain>\t<hostname>`. A host-network pod (pass
 * `nodeHosts`, the node's /etc/hosts) gets the node's file under its own header. Both end with
 * spec.hostAliases, one line per entry.
 */
export function formatPodHosts(pod: PodObject, options: {
  readonly podIPs: readonly string[];
  readonly clusterDomain: string;
  readonly nodeHosts?: string;
  /** The hostname the pod's processes see when the runtime gives them none of their own (the node's): named on the pod IP too. */
  readonly sharedHostname?: string;
}): string {
  const aliases = (pod.spec?.hostAliases ?? []).map((alias) => `${alias.ip}\t${(alias.hostnames ?? []).join('\t')}\n`);
  const aliasLines = aliases.length > 0 ? `\n# Entries added by HostAliases.\n${aliases.join('')}` : '';
  if (options.nodeHosts !== undefined) return `# Kubernetes-managed hosts file (host network).\n${options.nodeHosts}${aliasLines}`;
  const hostname = podHostname(pod);
  const subdomain = pod.spec?.subdomain;
  const own = subdomain ? `${hostname}.${subdomain}.${pod.metadata?.namespace ?? ''}.svc.${options.clusterDomain}\t${hostname}` : hostname;
  // A process asking for its own host's address gets the pod's, as it would where the pod has its own hostname.
  const shared = options.sharedHostname;
  const names = shared !== undefined && shared !== '' && shared !== hostname ? `${own}\t${shared}` : own;
  return [
    '# Kubernetes-managed hosts file.\n',
    '127.0.0.1\tlocalhost\n',
    '::1\tlocalhost ip6-localhost ip6-loopback\n',
    'fe00::0\tip6-localnet\n',
    'fe00::0\tip6-mcastprefix\n',
    'fe00::1\tip6-allnodes\n',
    'fe00::2\tip6-allrouters\n',
    ...options.podIPs.map((ip) => `${ip}\t${names}\n`),
    aliasLines,
  ].join('');
}
