// The cluster zone's answers (DnsResolver): the Kubernetes DNS-Based Service Discovery spec as
// CoreDNS's kubernetes plugin serves it (plugin/kubernetes + plugin/backend_lookup.go), IPv4 only.
// Which names exist and what they stand for is cluster-name-lookup.ts; this file answers one
// question about them: records of the asked type, NODATA (NOERROR, no answers, the zone's SOA) for
// a name that exists without such records, NXDOMAIN (+ SOA) for a name that does not exist.
// Reverse names (in-addr.arpa) are answered only for PTR of a cluster IP or endpoint address we
// know; anything else there is undefined, so the server forwards it (CoreDNS's
// `fallthrough in-addr.arpa`). answer() reads listers through indexes only and does no I/O.
import type { Lister } from '../client/informer/informer.js';
import { ClusterNameLookup, type NameEntry } from './cluster-name-lookup.js';
import type { DnsEndpointSliceObject, DnsServiceObject } from './dns-object-types.js';
import { DNS_RCODE, DNS_TYPE, type DnsAnswer, type DnsQuestion, type DnsRecord, type DnsRecordData, type DnsResolver } from './dns-types.js';
import { REVERSE_ZONE, ipv4FromReverseLabels } from './ipv4-labels.js';

export { clusterRecordIndexers, type ClusterRecordIndexers } from './cluster-record-indexers.js';

/** The schema version dns-version.<zone> TXT reports (CoreDNS's DNSSchemaVersion). */
export const DNS_SCHEMA_VERSION = '1.1.0';
/** TTL of the dns-version TXT record (the spec's example and CoreDNS). */
const DNS_VERSION_TTL = 28_800;
/** CoreDNS's SOA timers (plugin/backend_lookup.go); the SOA's own TTL is min(ttl, 300). */
const SOA_TIMERS = { refresh: 7200, retry: 1800, expire: 86_400 } as const;
/** How many in-zone CNAMEs an answer follows (CoreDNS's maxCnameChainLength). */
const MAX_CNAME_CHAIN = 10;

export interface ClusterRecordsOptions {
  /** The cluster domain, e.g. `cluster.local` (any case, trailing dot optional). */
  readonly zone: string;
  /** With clusterRecordIndexers().services registered. */
  readonly services: Lister<DnsServiceObject>;
  /** With clusterRecordIndexers().slices registered. */
  readonly slices: Lister<DnsEndpointSliceObject>;
  /** TTL of every record and the SOA minimum (default 5, CoreDNS's kubernetes plugin default). */
  readonly ttlSeconds?: number;
  /** Addresses of `ns.dns.<zone>`, the name the zone's NS record gives (this server's own); default none. */
  readonly nameServerAddresses?: readonly string[];
  /**
   * SOA serial (default: the construction time in Unix seconds). CoreDNS uses the time of the last
   * change it saw; nothing here transfers the zone, so a serial that never moves is enough.
   */
  readonly serial?: number;
}

interface Section {
  readonly answers: DnsRecord[];
  readonly additionals: DnsRecord[];
}

export class ClusterRecords implements DnsResolver {
  readonly #zone: string;
  readonly #ttl: number;
  readonly #serial: number;
  readonly #nameServers: readonly string[];
  readonly #names: ClusterNameLookup;

  constructor(options: ClusterRecordsOptions) {
    this.#zone = normalizedName(options.zone);
    this.#ttl = options.ttlSeconds ?? 5;
    this.#serial = (options.serial ?? Math.floor(Date.now() / 1000)) >>> 0;
    this.#nameServers = options.nameServerAddresses ?? [];
    this.#names = new ClusterNameLookup({ zone: this.#zone, services: options.services, slices: options.slices });
  }

  answer(question: DnsQuestion): DnsAnswer | undefined {
    const written = question.name.replace(/\.$/, '');
    const name = written.toLowerCase();
    if (isUnder(name, REVERSE_ZONE)) return this.#reverse(question.type, written, name);
    if (!isUnder(name, this.#zone)) return undefined;
    const labels = name === this.#zone ? [] : name.slice(0, -this.#zone.length - 1).split('.');
    // The SOA is owned by the zone as the client wrote it, as CoreDNS does.
    const soa = this.#soa(written.slice(written.length - this.#zone.length));
    const section = this.#forward(question.type, written, labels);
    if (section === undefined) return { rcode: DNS_RCODE.NXDOMAIN, answers: [], authorities: [soa], additionals: [] };
    if (section.answers.length === 0) return { rcode: DNS_RCODE.NOERROR, answers: [], authorities: [soa], additionals: [] };
    return { rcode: DNS_RCODE.NOERROR, answers: section.answers, authorities: [], additionals: section.additionals };
  }

  /** undefined: no such name; empty answers: NODATA. */
  #forward(type: number, owner: string, labels: readonly string[]): Section | undefined {
    const [first, second] = labels;
    if (labels.length === 0) return this.#apex(type, owner);
    if (labels.length === 1 && first === 'dns-version') {
      const txt = this.#record(owner, { type: 'TXT', texts: [DNS_SCHEMA_VERSION] }, DNS_VERSION_TTL);
      return section(type === DNS_TYPE.TXT || type === DNS_TYPE.ANY ? [txt] : []);
    }
    if (labels.length === 1 && first === 'dns') return section([]);
    if (labels.length === 2 && first === 'ns' && second === 'dns') {
      const wantsA = type === DNS_TYPE.A || type === DNS_TYPE.ANY;
      return section(wantsA ? this.#nameServers.map((address) => this.#record(owner, { type: 'A', address })) : []);
    }
    const entries = this.#names.lookup(labels);
    if (entries === undefined) return undefined;
    // Names already on the CNAME chain (x CNAME x, or a loop through other Services, ends there).
    const followed = new Set([owner.toLowerCase()]);
    switch (type) {
      case DNS_TYPE.A:
        return section(this.#chase(owner, entries, true, followed));
      case DNS_TYPE.AAAA:
        // IPv4-only cluster: no AAAA, but an alias is still an alias (the client follows it).
        return section(this.#chase(owner, entries, false, followed));
      case DNS_TYPE.CNAME:
        return section(entries.filter((e) => e.kind === 'alias').slice(0, 1).map((e) => this.#record(owner, { type: 'CNAME', target: e.host })));
      case DNS_TYPE.SRV:
        return this.#srv(owner, entries);
      case DNS_TYPE.ANY: {
        const srv = this.#srv(owner, entries);
        return { answers: [...this.#chase(owner, entries, true, followed), ...srv.answers], additionals: srv.additionals };
      }
      default:
        return section([]);
    }
  }

  #apex(type: number, owner: string): Section {
    const nsName = `ns.dns.${this.#zone}`;
    const soa = this.#soa(owner);
    const ns = this.#record(owner, { type: 'NS', target: nsName });
    const glue = this.#nameServers.map((address) => this.#record(nsName, { type: 'A', address }));
    if (type === DNS_TYPE.SOA) return section([soa]);
    if (type === DNS_TYPE.NS) return { answers: [ns], additionals: glue };
    if (type === DNS_TYPE.ANY) return { answers: [soa, ns], additionals: glue };
    return section([]);
  }

  /**
   * A records of the addresses, a CNAME per alias; an alias whose target is in the zone is
   * followed here (CoreDNS does the same; targets outside the zone are the client's to resolve).
   */
  #chase(owner: string, entries: readonly NameEntry[], withAddresses: boolean, followed: Set<string>): DnsRecord[] {
    const records: DnsRecord[] = [];
    const seen = new Set<string>();
    for (const entry of entries) {
      if (entry.kind === 'address') {
        if (withAddresses && !seen.has(entry.host)) records.push(this.#record(owner, { type: 'A', address: entry.host }));
        seen.add(entry.host);
        continue;
      }
      records.push(this.#record(owner, { type: 'CNAME', target: entry.host }));
      const target = entry.host.toLowerCase();
      if (!isUnder(target, this.#zone) || target === this.#zone || followed.has(target) || followed.size > MAX_CNAME_CHAIN) continue;
      followed.add(target);
      const next = this.#names.lookup(target.slice(0, -this.#zone.length - 1).split('.'));
      if (next) records.push(...this.#chase(entry.host, next, withAddresses, followed));
    }
    return records;
  }

  /**
   * One SRV per (target, port), priority 0 and weight 100/n as CoreDNS (n records of equal
   * priority, at least 1); the A record of each target in additionals. Aliases have no SRV.
   */
  #srv(owner: string, entries: readonly NameEntry[]): Section {
    const withPort = entries.filter((e) => e.kind === 'address' && e.port !== undefined);
    const weight = Math.max(1, Math.floor(100 / withPort.length));
    const answers: DnsRecord[] = [];
    const additionals: DnsRecord[] = [];
    const seen = new Set<string>();
    for (const entry of withPort) {
      const srvKey = `srv ${entry.target} ${entry.port}`;
      if (!seen.has(srvKey)) answers.push(this.#record(owner, { type: 'SRV', priority: 0, weight, port: entry.port ?? 0, target: entry.target }));
      const aKey = `a ${entry.target} ${entry.host}`;
      if (!seen.has(aKey)) additionals.push(this.#record(entry.target, { type: 'A', address: entry.host }));
      seen.add(srvKey).add(aKey);
    }
    return { answers, additionals };
  }

  #reverse(type: number, owner: string, name: string): DnsAnswer | undefined {
    if (type !== DNS_TYPE.PTR) return undefined;
    const address = ipv4FromReverseLabels(name.slice(0, -REVERSE_ZONE.length - 1).split('.'));
    const names = address === undefined ? [] : this.#names.namesOf(address);
    if (names.length === 0) return undefined;
    return {
      rcode: DNS_RCODE.NOERROR,
      answers: names.map((target) => this.#record(owner, { type: 'PTR', target })),
      authorities: [],
      additionals: [],
    };
  }

  #soa(owner: string): DnsRecord {
    return this.#record(owner, {
      type: 'SOA', mname: `ns.dns.${this.#zone}`, rname: `hostmaster.${this.#zone}`, serial: this.#serial, ...SOA_TIMERS, minimum: this.#ttl,
    }, Math.min(this.#ttl, 300));
  }

  #record(name: string, data: DnsRecordData, ttl = this.#ttl): DnsRecord {
    return { name, ttl, data };
  }
}

function section(answers: DnsRecord[]): Section {
  return { answers, additionals: [] };
}

function isUnder(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

function normalizedName(name: string): string {
  return name.replace(/\.$/, '').toLowerCase();
}
