// Domain names on the wire (RFC 1035 3.1 and 4.1.4): reading them, compression pointers
// included, and turning our strings back into labels.
//
// Names are strings without the trailing dot, case kept. A label byte that is not printable ASCII,
// and '.' or '\' inside a label, is written RFC 1035 style (\DDD, \., \\) when read, and read back
// the same way when written: any label is legal DNS (underscores, binary), so nothing is rejected
// for its bytes; such a name is simply not one of ours and gets forwarded.
import { DnsFormatError, needBytes } from './dns-format-error.js';

/** The longest name on the wire, length bytes and the root's 0 included (RFC 1035 2.3.4). */
const MAX_NAME_WIRE_LENGTH = 255;
const MAX_LABEL_LENGTH = 63;

/** Reads the name at `start`; `end` is where the message goes on after it (after its first pointer). */
export function readDnsName(buffer: Buffer, start: number): { name: string; end: number } {
  const labels: string[] = [];
  let at = start;
  let end: number | undefined;
  // Loop guard: each pointer must go strictly below everything read so far for this name, so
  // jumps only ever go backwards and a crafted message cannot make us loop.
  let floor = start;
  let wireLength = 1;
  for (;;) {
    needBytes(buffer, at, 1);
    const length = buffer.readUInt8(at);
    if (length === 0) break;
    if ((length & 0xc0) === 0xc0) {
      needBytes(buffer, at, 2);
      const target = buffer.readUInt16BE(at) & 0x3fff;
      end ??= at + 2;
      if (target >= floor) throw new DnsFormatError('BadPointer', `compression pointer at ${at} to ${target} does not point backwards`);
      floor = target;
      at = target;
      continue;
    }
    // 0x40 and 0x80 are the extended/reserved label types (RFC 6891 5); nobody sends them.
    if ((length & 0xc0) !== 0) throw new DnsFormatError('BadLabel', `label type 0x${length.toString(16)} at ${at}`);
    needBytes(buffer, at + 1, length);
    wireLength += length + 1;
    if (wireLength > MAX_NAME_WIRE_LENGTH) throw new DnsFormatError('NameTooLong', `name at ${start} is longer than 255 bytes`);
    labels.push(escapeLabel(buffer.subarray(at + 1, at + 1 + length)));
    at += 1 + length;
  }
  return { name: labels.join('.'), end: end ?? at + 1 };
}

function escapeLabel(bytes: Buffer): string {
  let text = '';
  for (const byte of bytes) {
    if (byte === 0x2e || byte === 0x5c) text += `\\${String.fromCharCode(byte)}`;
    else if (byte < 0x21 || byte > 0x7e) text += `\\${byte.toString().padStart(3, '0')}`;
    else text += String.fromCharCode(byte);
  }
  return text;
}

/** A name's labels as bytes; reverses escapeLabel. A trailing dot is allowed. */
export function nameToLabels(name: string): Buffer[] {
  if (name === '' || name === '.') return [];
  const labels: Buffer[] = [];
  let current: number[] = [];
  let endsInDot = false; // "a.b." is "a.b": a last dot ends the name, not an empty label
  // Tokens: \DDD, \X, a dot, any other character (written as UTF-8).
  for (const [token] of name.matchAll(/\\[0-9]{3}|\\[^]|\\$|[^]/gu)) {
    endsInDot = token === '.';
    if (token === '.') {
      labels.push(Buffer.from(current));
      current = [];
    } else if (token === '\\' || /^\\[0-9]{3}$/.test(token)) {
      const byte = Number(token.slice(1));
      if (token === '\\' || byte > 255) throw new DnsFormatError('BadName', `name ${JSON.stringify(name)} has a bad escape ${token}`);
      current.push(byte);
    } else {
      current.push(...Buffer.from(token.startsWith('\\') ? token.slice(1) : token, 'utf8'));
    }
  }
  if (!endsInDot) labels.push(Buffer.from(current));
  let wireLength = 1;
  for (const label of labels) {
    if (label.length === 0 || label.length > MAX_LABEL_LENGTH) throw new DnsFormatError('BadName', `name ${JSON.stringify(name)} has a label of ${label.length} bytes`);
    wireLength += label.length + 1;
  }
  if (wireLength > MAX_NAME_WIRE_LENGTH) throw new DnsFormatError('BadName', `name ${JSON.stringify(name)} is longer than 255 bytes`);
  return labels;
}

/**
 * A key of a name's labels (nameToLabels) that is equal for the same name however it is written:
 * names compare byte for byte except for ASCII case (RFC 4343), so "A.b", "a.B." and "\097.b" are
 * one name. Also the keys of name compression (a suffix of the key is the key of the suffix).
 */
export function dnsNameKey(labels: readonly Buffer[]): string {
  return labels.map((label) => String.fromCharCode(label.length) + asciiLower(label)).join('');
}

/** dnsNameKey of a name written as a string; undefined when the string is no name. */
export function dnsNameKeyOf(name: string): string | undefined {
  try {
    return dnsNameKey(nameToLabels(name));
  } catch (error) {
    if (error instanceof DnsFormatError) return undefined;
    throw error;
  }
}

/** Whether two strings are the same name; false when either is no name. */
export function sameDnsName(a: string, b: string): boolean {
  const key = dnsNameKeyOf(a);
  return key !== undefined && key === dnsNameKeyOf(b);
}

function asciiLower(bytes: Buffer): string {
  return Array.from(bytes, (byte) => String.fromCharCode(byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte)).join('');
}
