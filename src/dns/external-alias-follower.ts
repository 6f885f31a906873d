// Completes an answer that ends in an alias pointing outside the cluster: an ExternalName Service
// `my-db` -> `db.example.com` gives only `my-db... CNAME db.example.com` from the cluster zone,
// and stub resolvers (glibc, musl) do not look a CNAME target up themselves: they expect the
// recursive server they asked to have done it. So, as CoreDNS's kubernetes plugin does
// (plugin/backend_lookup.go with plugin/pkg/upstream), the target is asked of the upstream
// resolvers and their answer records are appended after the CNAME.
//
// Choices, and why:
// - A and AAAA only: what getaddrinfo asks. CoreDNS does not complete ANY either; ANY answers
//   may be minimal (RFC 8482) and a sub-query for one is an amplification vector.
// - The upstream failing (no answer, SERVFAIL, garbage) or saying NXDOMAIN leaves the bare CNAME,
//   NOERROR: the alias exists, its target does not resolve. That is CoreDNS's answer too.
// - The upstream's TTLs are kept: TTLs belong to RRsets (RFC 2181 5.2), and a cache that stores
//   the whole answer under the question uses the smallest TTL in it anyway, our CNAME's 5 s, so
//   a changed alias is seen as fast either way. CoreDNS also appends the records unchanged.
// - Only records on the chain from the target (its CNAMEs, and records of the asked type owned
//   by a name on the chain) are appended: anything else in the upstream's answer is data about
//   names we were not asked, which a cache downstream would take on our word.
// - A truncated UDP answer from the upstream: what came back is appended and our answer gets TC,
//   as CoreDNS does. The client retries over TCP, and the sub-query then goes over TCP too (same
//   transport as the client's). Retrying over TCP here instead would rarely help: the sub-query
//   advertises 1232 bytes, our largest UDP answer, so an upstream answer that needed truncating
//   would not fit the client's UDP answer either. Musl before 1.2.4 never retries over TCP and
//   uses the records of a truncated answer: keeping them gives it some addresses.
import { randomInt } from 'node:crypto';
import type { Logger } from '../lib/logger.js';
import type { DnsTransport } from './dns-forwarder.js';
import { DnsFormatError, encodeDnsQuery, parseDnsResponse, type ParsedResponse } from './dns-message.js';
import { dnsNameKeyOf, sameDnsName } from './dns-name.js';
import { DNS_CLASS_IN, DNS_RCODE, DNS_TYPE, type DnsAnswer, type DnsQuestion, type DnsRecord, type DnsRecordData, type DnsResolver } from './dns-types.js';

/** Sends a raw query upstream; undefined when no upstream answered. Never rejects. */
export type ForwardQuery = (query: Buffer, transport: DnsTransport) => Promise<Buffer | undefined>;

export interface ExternalAliasFollowerOptions {
  /** Tells names of the cluster (an answer, even NXDOMAIN) from outside ones (undefined). */
  readonly resolver: DnsResolver;
  readonly forward: ForwardQuery;
  readonly logger: Logger;
}

export interface FollowedAnswer {
  readonly answer: DnsAnswer;
  /** The upstream's part came truncated: the response should have TC set. */
  readonly truncated: boolean;
}

/** The longest CNAME chain followed: a bound on the work a crafted answer can cause; real chains have a few links. */
const MAX_CHAIN = 16;

export class ExternalAliasFollower {
  readonly #options: ExternalAliasFollowerOptions;

  constructor(options: ExternalAliasFollowerOptions) {
    this.#options = options;
  }

  /**
   * The resolver's answer to `question`, completed with the records of its external CNAME target
   * when it has one; else the answer unchanged. Never rejects for anything the network sends.
   */
  async follow(question: DnsQuestion, answer: DnsAnswer, request: { transport: DnsTransport; cd: boolean }): Promise<FollowedAnswer> {
    const unchanged: FollowedAnswer = { answer, truncated: false };
    const { type } = question;
    if ((type !== DNS_TYPE.A && type !== DNS_TYPE.AAAA) || answer.rcode !== DNS_RCODE.NOERROR) return unchanged;
    const target = chainEnd(question.name, answer.answers);
    if (target === undefined || answer.answers.some((record) => DNS_TYPE[record.data.type] === type && sameDnsName(record.name, target))) return unchanged;
    if (!this.#isExternal(target, type)) return unchanged;
    const response = await this.#ask({ name: target, type, class: DNS_CLASS_IN }, request);
    if (response === undefined) return unchanged;
    const appended = recordsOnChain(target, type, response.answers);
    this.#options.logger.debug({ name: question.name, target, type, rcode: response.rcode, records: appended.length }, 'external alias target resolved');
    return {
      answer: { ...answer, answers: [...answer.answers, ...appended] },
      truncated: response.truncated && request.transport === 'udp',
    };
  }

  #isExternal(name: string, type: number): boolean {
    try {
      return this.#options.resolver.answer({ name, type, class: DNS_CLASS_IN }) === undefined;
    } catch (error) {
      // The resolver fails for that name: asking outside for it would not be right either.
      this.#options.logger.warn({ err: error, name, type }, 'cluster DNS cannot answer for an alias target');
      return false;
    }
  }

  /** The upstream's NOERROR or NXDOMAIN response to the question; undefined for anything else. */
  async #ask(question: DnsQuestion, request: { transport: DnsTransport; cd: boolean }): Promise<ParsedResponse | undefined> {
    const { logger } = this.#options;
    // A fresh random id: the forwarder matches responses by id, and the client's id is not ours to reuse.
    const id = randomInt(0x10000);
    let query: Buffer;
    try {
      query = encodeDnsQuery({ id, question, cd: request.cd });
    } catch (error) {
      if (!(error instanceof DnsFormatError)) throw error;
      return undefined; // a target that is no name (the resolver gave it as is): nothing to ask
    }
    const raw = await this.#options.forward(query, request.transport);
    if (raw === undefined) {
      logger.debug({ name: question.name, type: question.type }, 'external alias target not resolved: no upstream answer');
      return undefined;
    }
    let response: ParsedResponse;
    try {
      response = parseDnsResponse(raw);
    } catch (error) {
      if (!(error instanceof DnsFormatError)) throw error;
      logger.debug({ name: question.name, code: error.code }, 'external alias target not resolved: malformed upstream answer');
      return undefined;
    }
    const [echoed] = response.questions;
    const matches = response.id === id && response.flags.qr && response.questions.length === 1
      && echoed !== undefined && echoed.type === question.type && sameDnsName(echoed.name, question.name);
    if (!matches) {
      logger.debug({ name: question.name }, 'external alias target not resolved: upstream answered another question');
      return undefined;
    }
    // SERVFAIL, REFUSED and the like carry no answer worth relaying; NXDOMAIN may carry CNAMEs.
    if (response.rcode !== DNS_RCODE.NOERROR && response.rcode !== DNS_RCODE.NXDOMAIN) return undefined;
    return response;
  }
}

type CnameRecord = DnsRecord & { readonly data: Extract<DnsRecordData, { type: 'CNAME' }> };

/** The last target of the CNAME chain that starts at `name`; undefined without a CNAME or for a loop. */
function chainEnd(name: string, records: readonly DnsRecord[]): string | undefined {
  const links = chainFrom(name, records);
  const last = links.at(-1);
  if (last === undefined || links.length > MAX_CHAIN) return undefined;
  const { target } = last.data;
  // A target already on the chain is a loop: nothing to complete.
  return links.some((link) => sameDnsName(link.name, target)) ? undefined : target;
}

/** The records of the upstream answer on the chain from `target`, in the upstream's order. */
function recordsOnChain(target: string, type: number, records: readonly DnsRecord[]): DnsRecord[] {
  const links = chainFrom(target, records);
  const linked = new Set<DnsRecord>(links);
  const owners = new Set([target, ...links.map((link) => link.data.target)].map(dnsNameKeyOf));
  owners.delete(undefined);
  return records.filter((record) => linked.has(record) || (DNS_TYPE[record.data.type] === type && owners.has(dnsNameKeyOf(record.name))));
}

/**
 * The CNAME records of the chain from `name`, in chain order: the CNAME owned by `name`, then
 * the one owned by its target, and so on, each name's first CNAME only (a name has one at most,
 * RFC 2181 10.1). Stops at a name seen before, and after MAX_CHAIN + 1 links.
 */
function chainFrom(name: string, records: readonly DnsRecord[]): CnameRecord[] {
  const cnames = records.filter((record): record is CnameRecord => record.data.type === 'CNAME');
  const links: CnameRecord[] = [];
  const seen = new Set<string>();
  let key = dnsNameKeyOf(name);
  while (key !== undefined && !seen.has(key) && links.length <= MAX_CHAIN) {
    seen.add(key);
    const owner = key;
    const link = cnames.find((record) => dnsNameKeyOf(record.name) === owner);
    if (link === undefined) break;
    links.push(link);
    key = dnsNameKeyOf(link.data.target);
  }
  return links;
}
