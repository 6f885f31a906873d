// A pod's resolv.conf as kubelet makes it (pkg/kubelet/network/dns): from the pod's dnsPolicy and
// dnsConfig, the node's resolv.conf and the cluster DNS settings. Pure functions: the caller reads
// the node's file and the runtime writes the pod's (pod-hosts-file.ts does the /etc/hosts).
import type { PodObject } from './object-types.js';

/** The parts of a resolv.conf kubelet reads. */
export interface ResolvConf {
  readonly nameservers: readonly string[];
  readonly searches: readonly string[];
  readonly options: readonly string[];
}

/** The node's DNS settings (kubelet's --cluster-dns, --cluster-domain and parsed --resolv-conf). */
export interface PodDnsSettings {
  /** The nameservers ClusterFirst pods get; empty: no cluster DNS (they fall back to Default). */
  readonly clusterDns: readonly string[];
  readonly clusterDomain: string;
  /** The node's resolv.conf: what Default pods get, and the search domains ClusterFirst pods keep. */
  readonly host: ResolvConf;
}

/** CRI's DNSConfig: the lines of the pod's resolv.conf. */
export interface PodResolvConfig {
  servers: string[];
  searches: string[];
  /** `ndots:5`, `edns0`, ... */
  options: string[];
}

/** A problem kubelet reports as a Warning event of the pod (the pod still starts). */
export interface PodDnsWarning {
  readonly reason: 'MissingClusterDNS' | 'DNSConfigForming';
  readonly message: string;
}

/** kubelet's validation limits (ExpandedDNSConfig, GA in 1.28: 32 domains, 2048 characters; glibc's 3 nameservers). */
export const MAX_DNS_NAMESERVERS = 3;
export const MAX_DNS_SEARCH_PATHS = 32;
export const MAX_DNS_SEARCH_LIST_CHARS = 2048;
/** Longer search domains are dropped: some glibc versions abort() on them (kubelet says so too). */
const MAX_SEARCH_DOMAIN_LENGTH = 253;
const DEFAULT_CLUSTER_OPTIONS = ['ndots:5'];

/**
 * The nameserver, search/domain and options lines of a resolv.conf, as kubelet reads the node's:
 * nameservers accumulate, the last search line wins (trailing dots trimmed), the last options
 * line wins. Beyond kubelet, and as glibc: `;` starts a comment too, and a `domain` line is a
 * search list of that one domain (search and domain replace each other, the last one wins).
 */
export function parseResolvConf(text: string): { nameservers: string[]; searches: string[]; options: string[] } {
  const parsed = { nameservers: [] as string[], searches: [] as string[], options: [] as string[] };
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const [keyword, ...values] = trimmed.split(/\s+/);
    if (keyword === 'nameserver' && values[0] !== undefined) parsed.nameservers.push(values[0]);
    else if (keyword === 'search') parsed.searches = values.map(trimDot);
    else if (keyword === 'domain' && values[0] !== undefined) parsed.searches = [trimDot(values[0])];
    else if (keyword === 'options') parsed.options = values;
  }
  return parsed;
}

/**
 * The pod's resolv.conf (kubelet's GetPodDNS): the base its dnsPolicy selects, then its dnsConfig
 * appended, then cut to the limits. ClusterFirst (the default) on a pod with its own network and
 * ClusterFirstWithHostNet on any pod ask the cluster DNS with the cluster's search domains
 * before the node's and only `ndots:5` (the node's options are not kept); ClusterFirst on a
 * host-network pod is Default (the node's resolv.conf); None starts empty.
 */
export function podDnsConfig(pod: PodObject, settings: PodDnsSettings): { config: PodResolvConfig; warnings: PodDnsWarning[] } {
  const warnings: PodDnsWarning[] = [];
  const spec = pod.spec;
  const policy = spec?.dnsPolicy ?? 'ClusterFirst';
  let base: 'cluster' | 'host' | 'none';
  if (policy === 'None') base = 'none';
  else if (policy === 'Default' || (policy === 'ClusterFirst' && spec?.hostNetwork === true)) base = 'host';
  // ClusterFirstWithHostNet, ClusterFirst, and (as kubelet, which logs it) an unknown policy.
  else base = 'cluster';

  if (base === 'cluster' && settings.clusterDns.length === 0) {
    // kubelet's event text (also sent to the node); format.Pod names the pod name_namespace(uid).
    const meta = pod.metadata;
    warnings.push({
      reason: 'MissingClusterDNS',
      message: `pod: "${meta?.name ?? ''}_${meta?.namespace ?? ''}(${meta?.uid ?? ''})". kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.`,
    });
    base = 'host';
  }

  const host = settings.host;
  let config: PodResolvConfig;
  if (base === 'none') config = { servers: [], searches: [], options: [] };
  else if (base === 'host') config = { servers: [...host.nameservers], searches: [...host.searches], options: [...host.options] };
  else config = { servers: [...settings.clusterDns], searches: clusterSearches(pod, settings), options: [...DEFAULT_CLUSTER_OPTIONS] };

  const extra = spec?.dnsConfig;
  if (extra) {
    config = {
      servers: unique([...config.servers, ...(extra.nameservers ?? [])]),
      searches: unique([...config.searches, ...(extra.searches ?? [])]),
      options: mergeOptions(config.options, extra.options ?? []),
    };
  }
  return { config: fitLimits(config, warnings), warnings };
}

/** resolv.conf text as containerd writes it from CRI's DNSConfig: search, nameserver and options lines, leaving out empty ones. */
export function formatResolvConf(config: { readonly servers: readonly string[]; readonly searches: readonly string[]; readonly options: readonly string[] }): string {
  const lines = [
    ...(config.searches.length > 0 ? [`search ${config.searches.join(' ')}`] : []),
    ...config.servers.map((server) => `nameserver ${server}`),
    ...(config.options.length > 0 ? [`options ${config.options.join(' ')}`] : []),
  ];
  return lines.map((line) => `${line}\n`).join('');
}

/** `<ns>.svc.<domain> svc.<domain> <domain>` before the node's search domains (none without a cluster domain). */
function clusterSearches(pod: PodObject, settings: PodDnsSettings): string[] {
  const domain = settings.clusterDomain;
  if (domain === '') return [...settings.host.searches];
  const namespace = pod.metadata?.namespace ?? '';
  return unique([`${namespace}.svc.${domain}`, `svc.${domain}`, domain, ...settings.host.searches]);
}

/**
 * Options by name, the pod's value replacing the base's in place (`ndots:2` for `ndots:5`), new
 * names after; an option without a value is its bare name. (kubelet merges through a Go map, so
 * its order is random; this keeps the base's order.)
 */
function mergeOptions(base: readonly string[], podOptions: readonly { readonly name?: string; readonly value?: string }[]): string[] {
  const merged = new Map<string, string>();
  for (const option of base) {
    const colon = option.indexOf(':');
    if (colon < 0) merged.set(option, '');
    else merged.set(option.slice(0, colon), option.slice(colon + 1));
  }
  for (const option of podOptions) merged.set(option.name ?? '', option.value ?? '');
  merged.delete('');
  return [...merged].map(([name, value]) => (value === '' ? name : `${name}:${value}`));
}

/** kubelet's formDNSConfigFitsLimits: keep the first nameservers and search domains that fit, say what was applied. */
function fitLimits(config: PodResolvConfig, warnings: PodDnsWarning[]): PodResolvConfig {
  let { servers, searches } = config;
  if (servers.length > MAX_DNS_NAMESERVERS) {
    servers = servers.slice(0, MAX_DNS_NAMESERVERS);
    warnings.push({
      reason: 'DNSConfigForming',
      message: `Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${servers.join(' ')}`,
    });
  }
  let cut = searches.length > MAX_DNS_SEARCH_PATHS;
  searches = searches.slice(0, MAX_DNS_SEARCH_PATHS);
  const fitting = searches.filter((search) => search.length <= MAX_SEARCH_DOMAIN_LENGTH);
  cut ||= fitting.length < searches.length;
  searches = fitting;
  // Whole domains come off the end until the line fits.
  while (searches.join(' ').length > MAX_DNS_SEARCH_LIST_CHARS) {
    searches = searches.slice(0, -1);
    cut = true;
  }
  if (cut) {
    warnings.push({
      reason: 'DNSConfigForming',
      message: `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${searches.join(' ')}`,
    });
  }
  return { servers, searches, options: config.options };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function trimDot(domain: string): string {
  return domain.endsWith('.') ? domain.slice(0, -1) : domain;
}
