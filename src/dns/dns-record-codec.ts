// Resource records on the wire (RFC 1035 3.2 and 4.1.3, RFC 3596 for AAAA): every type of
// DnsRecordData written, and the frame (owner, type, class, TTL, data) of any record read, with the
// data of the types a response is read for (A, AAAA, CNAME).
import { isIPv4, isIPv6 } from 'node:net';
import { DnsFormatError, needBytes } from './dns-format-error.js';
import type { MessageWriter } from './dns-message-writer.js';
import { readDnsName } from './dns-name.js';
import { DNS_CLASS_IN, DNS_TYPE, type DnsRecord, type DnsRecordData } from './dns-types.js';

/** Longest character-string in TXT data (a length byte in front). */
const MAX_CHARACTER_STRING = 255;

export function writeDnsRecord(writer: MessageWriter, record: DnsRecord): void {
  const { data } = record;
  writer.name(record.name, true);
  writer.u16(DNS_TYPE[data.type]);
  writer.u16(DNS_CLASS_IN);
  writer.u32(record.ttl);
  const rdlength = writer.u16(0);
  const rdataStart = writer.length;
  switch (data.type) {
    case 'A':
      if (!isIPv4(data.address)) throw new DnsFormatError('BadRecord', `A record of ${record.name}: ${data.address} is not IPv4`);
      writer.raw(Buffer.from(data.address.split('.').map(Number)));
      break;
    case 'AAAA':
      writer.raw(ipv6Bytes(data.address, record.name));
      break;
    case 'CNAME':
    case 'PTR':
    case 'NS':
      writer.name(data.target, true);
      break;
    case 'TXT': {
      // Character-strings hold 255 bytes: longer texts are split (what zone files do).
      const strings = (data.texts.length === 0 ? [''] : data.texts).flatMap((text) => chunk(Buffer.from(text, 'utf8'), MAX_CHARACTER_STRING));
      for (const string of strings) writer.raw(Buffer.concat([Buffer.from([string.length]), string]));
      break;
    }
    case 'SRV':
      writer.u16(data.priority);
      writer.u16(data.weight);
      writer.u16(data.port);
      writer.name(data.target, false); // RFC 2782: the target is never compressed
      break;
    case 'SOA':
      writer.name(data.mname, true);
      writer.name(data.rname, true);
      for (const value of [data.serial, data.refresh, data.retry, data.expire, data.minimum]) writer.u32(value);
      break;
  }
  if (writer.length - rdataStart > 0xffff) throw new DnsFormatError('BadRecord', `record data of ${record.name} is over 65535 bytes`);
  rdlength.writeUInt16BE(writer.length - rdataStart);
}

/** A record as read, its data not yet decoded. */
export interface DnsRecordFrame {
  readonly name: string;
  readonly type: number;
  readonly class: number;
  /** As sent, 32 bits unsigned (see readDnsRecord for what a TTL over 2^31-1 means). */
  readonly ttl: number;
  /** Where the data starts in the message, and its length. */
  readonly rdata: number;
  readonly rdlength: number;
  /** Where the next record starts. */
  readonly end: number;
}

/** Reads the record at `offset`. Throws DnsFormatError when the message ends inside it. */
export function readDnsRecordFrame(buffer: Buffer, offset: number): DnsRecordFrame {
  const { name, end } = readDnsName(buffer, offset);
  needBytes(buffer, end, 10);
  const rdlength = buffer.readUInt16BE(end + 8);
  needBytes(buffer, end + 10, rdlength);
  return {
    name,
    type: buffer.readUInt16BE(end),
    class: buffer.readUInt16BE(end + 2),
    ttl: buffer.readUInt32BE(end + 4),
    rdata: end + 10,
    rdlength,
    end: end + 10 + rdlength,
  };
}

/**
 * The record of a frame of class IN and type A, AAAA or CNAME; undefined for any other (nothing
 * reads them yet). Throws DnsFormatError when its data does not fit its type.
 */
export function readDnsRecord(buffer: Buffer, frame: DnsRecordFrame): DnsRecord | undefined {
  if (frame.class !== DNS_CLASS_IN) return undefined;
  const data = readData(buffer, frame);
  if (data === undefined) return undefined;
  // RFC 2181 8: a TTL with the top bit set is treated as zero.
  return { name: frame.name, ttl: frame.ttl > 0x7fffffff ? 0 : frame.ttl, data };
}

function readData(buffer: Buffer, frame: DnsRecordFrame): DnsRecordData | undefined {
  const bytes = buffer.subarray(frame.rdata, frame.rdata + frame.rdlength);
  const badLength = (): DnsFormatError => new DnsFormatError('BadRecord', `record of ${frame.name}, type ${frame.type}, has ${frame.rdlength} bytes of data`);
  switch (frame.type) {
    case DNS_TYPE.A:
      if (bytes.length !== 4) throw badLength();
      return { type: 'A', address: Array.from(bytes).join('.') };
    case DNS_TYPE.AAAA:
      if (bytes.length !== 16) throw badLength();
      return { type: 'AAAA', address: ipv6Text(bytes) };
    case DNS_TYPE.CNAME: {
      // The name may point back into the message, but its own bytes must be exactly the data.
      const { name, end } = readDnsName(buffer, frame.rdata);
      if (end !== frame.end) throw badLength();
      return { type: 'CNAME', target: name };
    }
    default:
      return undefined;
  }
}

function chunk(bytes: Buffer, size: number): Buffer[] {
  if (bytes.length === 0) return [bytes];
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return chunks;
}

function ipv6Bytes(address: string, owner: string): Buffer {
  if (!isIPv6(address)) throw new DnsFormatError('BadRecord', `AAAA record of ${owner}: ${address} is not IPv6`);
  const text = address.split('%')[0] ?? '';
  const toGroups = (part: string): number[] =>
    part === '' ? [] : part.split(':').flatMap((group) => {
      if (!group.includes('.')) return [parseInt(group, 16)];
      const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
      return [(a << 8) | b, (c << 8) | d];
    });
  const [head = '', tail] = text.split('::');
  const headGroups = toGroups(head);
  const tailGroups = tail === undefined ? [] : toGroups(tail);
  const groups = [...headGroups, ...new Array<number>(8 - headGroups.length - tailGroups.length).fill(0), ...tailGroups];
  const bytes = Buffer.alloc(16);
  groups.forEach((group, i) => bytes.writeUInt16BE(group, i * 2));
  return bytes;
}

/**
 * RFC 5952 text of 16 address bytes, the form node's own resolver gives: lower-case hex without
 * leading zeros, the first longest run of two or more zero groups written as '::'.
 */
function ipv6Text(bytes: Buffer): string {
  const groups = Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2));
  let best = { start: -1, length: 1 }; // a single zero group stays '0'
  for (let i = 0; i < 8; i++) {
    let length = 0;
    while (i + length < 8 && groups[i + length] === 0) length++;
    if (length > best.length) best = { start: i, length };
  }
  const hex = (part: number[]): string => part.map((group) => group.toString(16)).join(':');
  if (best.start < 0) return hex(groups);
  return `${hex(groups.slice(0, best.start))}::${hex(groups.slice(best.start + best.length))}`;
}
