// The cluster DNS's data model, shared by the wire codec (dns-message.ts), the server
// (dns-server.ts) and what answers for the cluster zone (cluster-records.ts). RFC 1035 names:
// absolute, written without the trailing dot, compared case-insensitively.

/** Record types the cluster zone answers for (RFC 1035, 2782, 3596); other numbers pass through as is. */
export const DNS_TYPE = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  OPT: 41,
  ANY: 255,
} as const;

export const DNS_CLASS_IN = 1;

/** Response codes (RFC 1035 4.1.1). */
export const DNS_RCODE = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
} as const;

export interface DnsQuestion {
  /** As the client wrote it (case kept), without the trailing dot; '' is the root. */
  readonly name: string;
  readonly type: number;
  readonly class: number;
}

export type DnsRecordData =
  | { readonly type: 'A'; readonly address: string }
  | { readonly type: 'AAAA'; readonly address: string }
  | { readonly type: 'CNAME'; readonly target: string }
  | { readonly type: 'PTR'; readonly target: string }
  | { readonly type: 'NS'; readonly target: string }
  | { readonly type: 'TXT'; readonly texts: readonly string[] }
  | { readonly type: 'SRV'; readonly priority: number; readonly weight: number; readonly port: number; readonly target: string }
  | {
    readonly type: 'SOA';
    readonly mname: string;
    readonly rname: string;
    readonly serial: number;
    readonly refresh: number;
    readonly retry: number;
    readonly expire: number;
    readonly minimum: number;
  };

/** A resource record of class IN. */
export interface DnsRecord {
  readonly name: string;
  readonly ttl: number;
  readonly data: DnsRecordData;
}

/** What the cluster zone answers to one question. */
export interface DnsAnswer {
  readonly rcode: number;
  readonly answers: readonly DnsRecord[];
  /** SOA of the zone for NXDOMAIN and NODATA (lets resolvers cache the negative answer). */
  readonly authorities: readonly DnsRecord[];
  /** E.g. the A records of SRV targets. */
  readonly additionals: readonly DnsRecord[];
}

/** Answers questions about names it is authoritative for. */
export interface DnsResolver {
  /** undefined: not a name of ours (the server forwards the query to the upstream resolvers). */
  answer(question: DnsQuestion): DnsAnswer | undefined;
}
