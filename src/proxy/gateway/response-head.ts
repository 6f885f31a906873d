// HTTP/1.1 response heads from upstreams, parsed only as far as the proxy needs: the status, how
// the body is framed (RFC 9112 §6.3), whether the connection can be reused, and whether the head
// can be passed to the client byte for byte (the common case) or must be rebuilt.
//
// This runs once per proxied request, so it scans bytes instead of decoding the head to a string:
// header names are recognised by length and case-folded bytes, and only the values that matter
// (Content-Length, Transfer-Encoding, Connection) are read. The full header list is decoded only
// when the head must be rebuilt (decodeResponseHeaders).
import { MAX_HEAD_BYTES } from './request-head.js';

export type BodyMode = 'none' | 'length' | 'chunked' | 'close';

export interface ResponseHead {
  readonly status: number;
  readonly httpMinor: number;
  /** Bytes of the head including the final CRLFCRLF. */
  readonly headBytes: number;
  readonly bodyMode: BodyMode;
  /** For bodyMode 'length'. */
  readonly contentLength: number;
  /** The upstream lets us send another request on this connection. */
  readonly keepAlive: boolean;
  /**
   * A hop-by-hop header other than `Connection: keep-alive`/`close` and `Transfer-Encoding:
   * chunked` (which stay true when forwarded unchanged to a keep-alive HTTP/1.1 client) is present.
   */
  readonly hasHopByHop: boolean;
  /** A `Connection: close` header is present (the head must be rebuilt for a keep-alive client). */
  readonly connectionClose: boolean;
}

/** The decoded header list, for rebuilding a head. */
export interface ResponseHeaders {
  /** The status line without CRLF. */
  readonly statusLine: string;
  /** Header names lower-cased; `values[i]` belongs to `names[i]`. */
  readonly names: readonly string[];
  readonly values: readonly string[];
}

export type ResponseParseResult =
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'error'; readonly reason: string }
  | { readonly kind: 'head'; readonly head: ResponseHead };

const INCOMPLETE: ResponseParseResult = { kind: 'incomplete' };

function fail(reason: string): ResponseParseResult {
  return { kind: 'error', reason };
}

/** Whether buf[at..at+name.length) equals `name` (lower-case letters and '-') ignoring case. */
function nameIs(buf: Buffer, at: number, name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    if (((buf[at + i] ?? 0) | 0x20) !== name.charCodeAt(i)) return false;
  }
  return true;
}

function skipSpaces(buf: Buffer, from: number, to: number): number {
  let i = from;
  while (i < to && (buf[i] === 32 || buf[i] === 9)) i++;
  return i;
}

function trimEnd(buf: Buffer, from: number, to: number): number {
  let i = to;
  while (i > from && (buf[i - 1] === 32 || buf[i - 1] === 9)) i--;
  return i;
}

/**
 * Parses the response head at `buf[start..]`. `requestMethod` decides framing (a HEAD response has
 * no body whatever its headers say).
 */
export function parseResponseHead(buf: Buffer, start: number, requestMethod: string): ResponseParseResult {
  const firstEol = buf.indexOf(13, start);
  if (firstEol < 0) return buf.length - start > MAX_HEAD_BYTES ? fail('response head too large') : INCOMPLETE;
  // `HTTP/1.1 200 OK`: the reason phrase may be empty or absent.
  if (firstEol + 1 < buf.length && buf[firstEol + 1] !== 10) return fail('malformed status line');
  if (firstEol - start < 12 || !nameIs(buf, start, 'http/1.') || buf[start + 8] !== 32) return fail('malformed status line');
  const minor = (buf[start + 7] ?? 0) - 48;
  if (minor !== 0 && minor !== 1) return fail('unsupported HTTP version');
  const d0 = (buf[start + 9] ?? 0) - 48;
  const d1 = (buf[start + 10] ?? 0) - 48;
  const d2 = (buf[start + 11] ?? 0) - 48;
  if (d0 < 1 || d0 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return fail('malformed status code');
  const status = d0 * 100 + d1 * 10 + d2;
  let pos = firstEol + 2;
  let contentLength = -1;
  let transferEncoding: string | undefined;
  let keepAlive = minor === 1;
  let connectionClose = false;
  let hasHopByHop = false;
  // Line by line, one byte loop per line finding the colon and then the CR (header lines are
  // short: a JS loop beats a Buffer.indexOf call per line); an empty line ends the head. A head
  // split across reads is parsed again when more arrives.
  const length = buf.length;
  let end = -1;
  for (;;) {
    let colon = pos;
    while (colon < length && buf[colon] !== 58 && buf[colon] !== 13) colon++;
    let eol = colon;
    while (eol < length && buf[eol] !== 13) eol++;
    if (eol + 1 >= length) return length - start > MAX_HEAD_BYTES ? fail('response head too large') : INCOMPLETE;
    if (buf[eol + 1] !== 10) return fail('malformed header line');
    if (eol === pos) {
      end = eol - 2;
      break;
    }
    if (eol - start > MAX_HEAD_BYTES) return fail('response head too large');
    if (colon === pos || colon === eol) return fail('malformed header line');
    if (buf[pos] === 32 || buf[pos] === 9) return fail('obsolete line folding');
    const nameLength = colon - pos;
    const valueStart = skipSpaces(buf, colon + 1, eol);
    const valueEnd = trimEnd(buf, valueStart, eol);
    switch (nameLength) {
      case 14:
        if (nameIs(buf, pos, 'content-length')) {
          if (valueEnd === valueStart || valueEnd - valueStart > 15) return fail('invalid Content-Length');
          let length = 0;
          for (let i = valueStart; i < valueEnd; i++) {
            const digit = (buf[i] ?? 0) - 48;
            if (digit < 0 || digit > 9) return fail('invalid Content-Length');
            length = length * 10 + digit;
          }
          if (contentLength >= 0 && contentLength !== length) return fail('conflicting Content-Length headers');
          contentLength = length;
        }
        break;
      case 17:
        if (nameIs(buf, pos, 'transfer-encoding')) {
          const value = buf.toString('latin1', valueStart, valueEnd);
          transferEncoding = transferEncoding === undefined ? value : `${transferEncoding}, ${value}`;
        }
        break;
      case 10:
        if (nameIs(buf, pos, 'connection')) {
          if (valueEnd - valueStart === 10 && nameIs(buf, valueStart, 'keep-alive')) keepAlive = true;
          else if (valueEnd - valueStart === 5 && nameIs(buf, valueStart, 'close')) {
            keepAlive = false;
            connectionClose = true;
          } else {
            for (const raw of buf.toString('latin1', valueStart, valueEnd).toLowerCase().split(',')) {
              const token = raw.trim();
              if (token === 'close') {
                keepAlive = false;
                connectionClose = true;
              } else if (token === 'keep-alive') keepAlive = true;
              else if (token !== '') hasHopByHop = true;
            }
          }
        } else if (nameIs(buf, pos, 'keep-alive')) hasHopByHop = true;
        break;
      case 16:
        if (nameIs(buf, pos, 'proxy-connection')) hasHopByHop = true;
        break;
      case 2:
        if (nameIs(buf, pos, 'te')) hasHopByHop = true;
        break;
      case 7:
        if (nameIs(buf, pos, 'trailer') || nameIs(buf, pos, 'upgrade')) hasHopByHop = true;
        break;
      default:
        break;
    }
    pos = eol + 2;
  }
  let bodyMode: BodyMode;
  if (requestMethod === 'HEAD' || status < 200 || status === 204 || status === 304) bodyMode = 'none';
  else if (transferEncoding !== undefined) {
    const codings = transferEncoding.toLowerCase().split(',');
    // RFC 9112 §6.3: chunked last means chunked framing; any other final coding means "until close".
    bodyMode = codings[codings.length - 1]?.trim() === 'chunked' ? 'chunked' : 'close';
    if (bodyMode === 'close' || codings.length > 1) hasHopByHop = true;
  } else if (contentLength >= 0) bodyMode = 'length';
  else bodyMode = 'close';
  if (bodyMode === 'close') keepAlive = false;
  return {
    kind: 'head',
    head: {
      status, httpMinor: minor, headBytes: end + 4 - start, bodyMode,
      contentLength: Math.max(contentLength, 0), keepAlive, hasHopByHop, connectionClose,
    },
  };
}

/** The status line and header list of a parsed head at buf[start..] (for rebuilding it). */
export function decodeResponseHeaders(buf: Buffer, start: number, head: ResponseHead): ResponseHeaders {
  const text = buf.toString('latin1', start, start + head.headBytes - 2);
  const lineEnd = text.indexOf('\r\n');
  const names: string[] = [];
  const values: string[] = [];
  let pos = lineEnd + 2;
  while (pos < text.length) {
    const eol = text.indexOf('\r\n', pos);
    const colon = text.indexOf(':', pos);
    names.push(text.slice(pos, colon).toLowerCase());
    values.push(text.slice(colon + 1, eol).trim());
    pos = eol + 2;
  }
  return { statusLine: text.slice(0, lineEnd), names, values };
}
