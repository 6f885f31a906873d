// The DNS wire format (RFC 1035 4.1, EDNS from RFC 6891), message by message: reads the queries
// clients send and writes the answers of the cluster zone; writes the queries the server sends
// upstream itself (for the targets of external aliases) and reads the answer section of their
// responses. Forwarded answers are relayed as bytes, never parsed. Names are in dns-name.ts,
// records in dns-record-codec.ts, name compression in dns-message-writer.ts.
import { DnsFormatError, needBytes } from './dns-format-error.js';
import { MessageWriter } from './dns-message-writer.js';
import { readDnsName } from './dns-name.js';
import { readDnsRecord, readDnsRecordFrame, writeDnsRecord, type DnsRecordFrame } from './dns-record-codec.js';
import { DNS_TYPE, type DnsQuestion, type DnsRecord } from './dns-types.js';

// What the parsers here throw: callers catch it by this module's name.
export { DnsFormatError, type DnsFormatErrorCode } from './dns-format-error.js';

export const DNS_HEADER_SIZE = 12;
/** The largest UDP response without EDNS (RFC 1035 4.2.1). */
export const DNS_UDP_CLASSIC_SIZE = 512;
/**
 * The UDP size we advertise and answer with at most: DNS Flag Day 2020's value, chosen so that a
 * response never needs IP fragmentation (1280-byte IPv6 minimum MTU minus headers). Bigger answers
 * go over TCP.
 */
export const DNS_EDNS_UDP_SIZE = 1232;
export const DNS_TCP_MAX_SIZE = 65535;

export interface DnsHeader {
  readonly id: number;
  /** Set in responses: a server never answers one (that is how reflection loops start). */
  readonly qr: boolean;
  readonly opcode: number;
  readonly rd: boolean;
  /** Checking disabled (RFC 4035); copied into the response. */
  readonly cd: boolean;
}

export interface ParsedQuery {
  readonly id: number;
  readonly flags: DnsHeader;
  readonly questions: DnsQuestion[];
  /** The requestor's UDP payload size from its OPT record; absent when the query had no EDNS. */
  readonly ednsUdpSize?: number;
}

/** The header of any message of at least 12 bytes; undefined for shorter ones. */
export function peekDnsHeader(buffer: Buffer): DnsHeader | undefined {
  if (buffer.length < DNS_HEADER_SIZE) return undefined;
  const flags = buffer.readUInt16BE(2);
  return { id: buffer.readUInt16BE(0), qr: (flags & 0x8000) !== 0, opcode: (flags >> 11) & 0xf, rd: (flags & 0x0100) !== 0, cd: (flags & 0x0010) !== 0 };
}

/** Reads a query. Throws DnsFormatError for anything malformed, whatever the bytes. */
export function parseDnsQuery(buffer: Buffer): ParsedQuery {
  const { flags, counts, questions, offset: questionsEnd } = readHead(buffer);
  let offset = questionsEnd;
  let ednsUdpSize: number | undefined;
  const records = counts.answers + counts.authorities + counts.additionals;
  for (let i = 0; i < records; i++) {
    const frame = readDnsRecordFrame(buffer, offset);
    if (frame.type === DNS_TYPE.OPT && i >= counts.answers + counts.authorities) {
      // RFC 6891 6.1.1: one OPT at most, owned by the root. Its class is the UDP size.
      if (ednsUdpSize !== undefined) throw new DnsFormatError('BadOpt', 'more than one OPT record');
      if (frame.name !== '') throw new DnsFormatError('BadOpt', 'OPT record not owned by the root');
      ednsUdpSize = frame.class;
    }
    offset = frame.end;
  }
  // Bytes after the last record are ignored, as most servers do.
  return ednsUdpSize === undefined ? { id: flags.id, flags, questions } : { id: flags.id, flags, questions, ednsUdpSize };
}

export interface ParsedResponse {
  readonly id: number;
  readonly flags: DnsHeader;
  readonly rcode: number;
  /** TC: the sender left records out; over UDP, the whole answer needs TCP. */
  readonly truncated: boolean;
  readonly questions: DnsQuestion[];
  /** The answer section's records of class IN and type A, AAAA or CNAME, in message order; others are skipped. */
  readonly answers: DnsRecord[];
}

/**
 * Reads a response's header, questions and answer section (authority and additional sections
 * are not read). Throws DnsFormatError for anything malformed, whatever the bytes; only a
 * message with TC set may end inside its answer section (RFC 1035 4.2.1 truncation cuts the
 * message at the size limit): then the records before the cut are what it answers.
 */
export function parseDnsResponse(buffer: Buffer): ParsedResponse {
  const { flags, counts, questions, offset: questionsEnd } = readHead(buffer);
  const bits = buffer.readUInt16BE(2);
  const truncated = (bits & 0x0200) !== 0;
  let offset = questionsEnd;
  const answers: DnsRecord[] = [];
  for (let i = 0; i < counts.answers; i++) {
    let frame: DnsRecordFrame;
    try {
      frame = readDnsRecordFrame(buffer, offset);
    } catch (error) {
      if (truncated && error instanceof DnsFormatError && error.code === 'Truncated') break;
      throw error;
    }
    const record = readDnsRecord(buffer, frame);
    if (record !== undefined) answers.push(record);
    offset = frame.end;
  }
  return { id: flags.id, flags, rcode: bits & 0xf, truncated, questions, answers };
}

interface MessageHead {
  readonly flags: DnsHeader;
  readonly counts: { readonly answers: number; readonly authorities: number; readonly additionals: number };
  readonly questions: DnsQuestion[];
  /** Where the answer section starts. */
  readonly offset: number;
}

function readHead(buffer: Buffer): MessageHead {
  const flags = peekDnsHeader(buffer);
  if (flags === undefined) throw new DnsFormatError('ShortHeader', `message of ${buffer.length} bytes has no complete header`);
  const [qdcount, answers, authorities, additionals] = [4, 6, 8, 10].map((at) => buffer.readUInt16BE(at)) as [number, number, number, number];
  let offset = DNS_HEADER_SIZE;
  const questions: DnsQuestion[] = [];
  for (let i = 0; i < qdcount; i++) {
    const { name, end } = readDnsName(buffer, offset);
    needBytes(buffer, end, 4);
    questions.push({ name, type: buffer.readUInt16BE(end), class: buffer.readUInt16BE(end + 2) });
    offset = end + 4;
  }
  return { flags, counts: { answers, authorities, additionals }, questions, offset };
}

/** The largest UDP response a query allows: 512 without EDNS, else its size within [512, 1232]. */
export function maxUdpResponseSize(query: Pick<ParsedQuery, 'ednsUdpSize'>): number {
  if (query.ednsUdpSize === undefined) return DNS_UDP_CLASSIC_SIZE;
  // RFC 6891 6.2.5: values below 512 are treated as 512.
  return Math.min(Math.max(query.ednsUdpSize, DNS_UDP_CLASSIC_SIZE), DNS_EDNS_UDP_SIZE);
}

export interface DnsQueryOptions {
  readonly id: number;
  readonly question: DnsQuestion;
  /** Recursion desired (default true: it is what we ask a resolver for). */
  readonly rd?: boolean;
  /** Checking disabled (RFC 4035); default false. */
  readonly cd?: boolean;
  /** Adds an OPT record advertising DNS_EDNS_UDP_SIZE (default true). */
  readonly edns?: boolean;
}

/** Writes a one-question query (opcode QUERY). Throws DnsFormatError for a question name that is no name. */
export function encodeDnsQuery(options: DnsQueryOptions): Buffer {
  const { question } = options;
  const edns = options.edns ?? true;
  const writer = new MessageWriter();
  writer.u16(options.id);
  writer.u16(((options.rd ?? true) ? 0x0100 : 0) | (options.cd === true ? 0x0010 : 0));
  for (const count of [1, 0, 0, edns ? 1 : 0]) writer.u16(count);
  writer.name(question.name, false);
  writer.u16(question.type);
  writer.u16(question.class);
  if (edns) writer.raw(optRecord());
  return writer.toBuffer();
}

export interface DnsResponseOptions {
  /** Its id, opcode, RD and CD are copied, its questions echoed; an OPT is added when it had one. */
  readonly query: ParsedQuery;
  readonly rcode: number;
  /** AA: set for the names we are the authority for (the cluster zone). */
  readonly authoritative: boolean;
  readonly answers?: readonly DnsRecord[];
  readonly authorities?: readonly DnsRecord[];
  readonly additionals?: readonly DnsRecord[];
  /** See maxUdpResponseSize; DNS_TCP_MAX_SIZE over TCP. */
  readonly maxSize: number;
  /** Sets TC even when everything fits: the records given are known to be incomplete. */
  readonly truncated?: boolean;
}

/**
 * Writes a response with name compression (RFC 1035 4.1.4; it is what fits a big headless
 * Service in 512 bytes). When it does not fit in maxSize, records are dropped from the end
 * (additionals, then authorities, then answers). TC is set only when an answer or authority was
 * dropped: a missing additional is no reason to retry over TCP (RFC 2181 9). The OPT record is
 * kept even then (RFC 6891 7).
 */
export function encodeDnsResponse(options: DnsResponseOptions): Buffer {
  const { query } = options;
  if (!Number.isInteger(options.rcode) || options.rcode < 0 || options.rcode > 15) {
    throw new DnsFormatError('BadRecord', `rcode ${options.rcode} needs extended rcodes, which are not supported`);
  }
  const writer = new MessageWriter();
  writer.u16(query.id);
  writer.raw(Buffer.alloc(10)); // flags and counts, written last: TC is known only then
  for (const question of query.questions) {
    writer.name(question.name, true);
    writer.u16(question.type);
    writer.u16(question.class);
  }
  const questionsEnd = writer.length;
  const sections = [options.answers ?? [], options.authorities ?? [], options.additionals ?? []];
  const ends: number[] = []; // ends[i]: message length once record i (in section order) is written
  for (const section of sections) {
    for (const record of section) {
      writeDnsRecord(writer, record);
      ends.push(writer.length);
    }
  }
  const opt = query.ednsUdpSize === undefined ? undefined : optRecord();
  const budget = Math.min(options.maxSize, DNS_TCP_MAX_SIZE) - (opt?.length ?? 0);
  let kept = ends.length;
  while (kept > 0 && (ends[kept - 1] ?? 0) > budget) kept--;
  const [answers, authorities] = [sections[0]?.length ?? 0, sections[1]?.length ?? 0];
  // Only a query with many long questions can fill the budget by itself: then the header alone goes.
  const questionsFit = questionsEnd <= budget;
  const end = !questionsFit ? DNS_HEADER_SIZE : kept === 0 ? questionsEnd : (ends[kept - 1] ?? 0);
  const truncated = kept < answers + authorities || !questionsFit || options.truncated === true;
  const message = Buffer.concat([writer.toBuffer().subarray(0, end), opt ?? Buffer.alloc(0)]);
  message.writeUInt16BE(questionsFit ? query.questions.length : 0, 4);
  message.writeUInt16BE(flagsWord(query.flags, options.rcode, { aa: options.authoritative, tc: truncated }), 2);
  message.writeUInt16BE(Math.min(kept, answers), 6);
  message.writeUInt16BE(Math.min(Math.max(kept - answers, 0), authorities), 8);
  message.writeUInt16BE(Math.max(kept - answers - authorities, 0) + (opt === undefined ? 0 : 1), 10);
  return message;
}

/**
 * A header-only response (no question echoed) for a query that could not be read (FORMERR) or
 * whose opcode we do not serve (NOTIMP). undefined when not even the header is there.
 */
export function encodeDnsErrorResponse(query: Buffer, rcode: number): Buffer | undefined {
  const header = peekDnsHeader(query);
  if (header === undefined) return undefined;
  const message = Buffer.alloc(DNS_HEADER_SIZE);
  message.writeUInt16BE(header.id, 0);
  message.writeUInt16BE(flagsWord(header, rcode & 0xf, { aa: false, tc: false }), 2);
  return message;
}

function flagsWord(query: DnsHeader, rcode: number, set: { aa: boolean; tc: boolean }): number {
  // QR=1, opcode copied, AA, TC, RD copied, RA=1 (we recurse, through the forwarder), CD copied.
  return 0x8000 | (query.opcode << 11) | (set.aa ? 0x0400 : 0) | (set.tc ? 0x0200 : 0) | (query.rd ? 0x0100 : 0) | 0x0080 | (query.cd ? 0x0010 : 0) | rcode;
}

function optRecord(): Buffer {
  // Root owner, type OPT, class = our UDP size, TTL 0 (extended rcode 0, version 0, DO clear), no options.
  const opt = Buffer.alloc(11);
  opt.writeUInt16BE(DNS_TYPE.OPT, 1);
  opt.writeUInt16BE(DNS_EDNS_UDP_SIZE, 3);
  return opt;
}
