// HTTP/1.1 request heads as the gateway's client side reads them: a small hand-written parser
// instead of node:http, because the proxy's hot path must not build IncomingMessage objects, header
// dictionaries or URL objects per request (issue 5 §8). It parses exactly what routing and framing
// need and remembers the raw header block, so that a request needing no header change is forwarded
// with one string concatenation.
//
// Strictness follows RFC 9112 where leniency would allow request smuggling between us and the
// upstream: obs-fold, whitespace before the colon, Content-Length together with Transfer-Encoding,
// conflicting Content-Lengths and a non-chunked final transfer coding are all rejected with 400.

import { ParsedRequestHead, type RequestHead } from './parsed-request-head.js';

export type { RequestHead } from './parsed-request-head.js';

/** Largest head we accept (nginx's large_client_header_buffers is 4 x 8k; Node's is 16k). */
export const MAX_HEAD_BYTES = 32 * 1024;

export type ParseResult =
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'error'; readonly status: 400 | 431 | 505; readonly reason: string }
  | { readonly kind: 'head'; readonly head: RequestHead };

const INCOMPLETE: ParseResult = { kind: 'incomplete' };
const NO_TOKENS: readonly string[] = [];

function fail(status: 400 | 431 | 505, reason: string): ParseResult {
  return { kind: 'error', status, reason };
}

/** tchar (RFC 9110 §5.6.2) lookup: 1 for token characters (the table covers all 256 byte values). */
const TCHAR = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") TCHAR[c.charCodeAt(0)] = 1;

/**
 * Bytes a field value may not contain: CTLs other than HTAB, and DEL (RFC 9110 §5.5). A bare LF in
 * particular must not pass: an upstream that accepts LF as a line end would see a header we did
 * not (request smuggling). obs-text (0x80-0xff) is allowed and forwarded unchanged.
 */
const BAD_VALUE_BYTE = new Uint8Array(256);
for (let c = 0; c < 32; c++) if (c !== 9) BAD_VALUE_BYTE[c] = 1;
BAD_VALUE_BYTE[127] = 1;

/** Whether buf[at..at+name.length) equals `name` (lower-case letters and '-') ignoring ASCII case. */
function nameIs(buf: Buffer, at: number, name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    if (((buf[at + i] ?? 0) | 0x20) !== name.charCodeAt(i)) return false;
  }
  return true;
}

/** Whether buf[at..at+text.length) is exactly `text` (ASCII). */
function bytesAre(buf: Buffer, at: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (buf[at + i] !== text.charCodeAt(i)) return false;
  }
  return true;
}

/** Content-Length value in buf[from..to): 1-15 digits, else -1. */
function parseLength(buf: Buffer, from: number, to: number): number {
  if (to === from || to - from > 15) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const digit = (buf[i] ?? 0) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}

function tooLargeOrIncomplete(buf: Buffer, start: number): ParseResult {
  return buf.length - start > MAX_HEAD_BYTES ? fail(431, 'request head too large') : INCOMPLETE;
}

/**
 * Parses the head at the start of `buf` (leading empty lines are skipped, RFC 9112 §2.2). One pass
 * over the bytes: header names are validated and recognised by length and case-folded bytes, and
 * only the values that matter (Host, Content-Length, Transfer-Encoding, Connection) are decoded.
 */
export function parseRequestHead(buf: Buffer): ParseResult {
  const length = buf.length;
  let start = 0;
  while (start + 1 < length && buf[start] === 13 && buf[start + 1] === 10) start += 2;
  const lineEnd = buf.indexOf(13, start);
  if (lineEnd < 0 || lineEnd + 1 >= length) return tooLargeOrIncomplete(buf, start);
  if (buf[lineEnd + 1] !== 10) return fail(400, 'bare CR in request head');
  if (lineEnd - start > MAX_HEAD_BYTES) return fail(431, 'request head too large');
  // The request line: method SP request-target SP HTTP-version, no control characters. Located
  // on the bytes; the strings are cut from one decode of the whole head at the end.
  let sp1 = -1;
  let sp2 = -1;
  for (let i = start; i < lineEnd; i++) {
    const c = buf[i] ?? 0;
    if (c === 32) {
      if (sp1 < 0) sp1 = i;
      sp2 = i;
    } else if (c < 32 || c === 127) return fail(400, 'malformed request line');
  }
  if (sp1 <= start || sp2 === sp1) return fail(400, 'malformed request line');
  for (let i = start; i < sp1; i++) {
    if (TCHAR[buf[i] ?? 0] === 0) return fail(400, 'malformed method');
  }
  if (sp2 === sp1 + 1) return fail(400, 'malformed request target');
  for (let i = sp1 + 1; i < sp2; i++) if (buf[i] === 32) return fail(400, 'malformed request target');
  let httpMinor: number;
  const minorDigit = buf[sp2 + 8] ?? 0;
  if (lineEnd - sp2 === 9 && bytesAre(buf, sp2 + 1, 'HTTP/1.') && (minorDigit === 49 || minorDigit === 48)) {
    httpMinor = minorDigit - 48;
  } else if (lineEnd - sp2 > 5 && bytesAre(buf, sp2 + 1, 'HTTP/')) return fail(505, 'unsupported HTTP version');
  else return fail(400, 'malformed request line');

  let hostStart = -1;
  let hostEnd = -1;
  let upgradeStart = -1;
  let upgradeEnd = -1;
  let contentLength = -1;
  let transferEncoding: string | undefined;
  let needsRewrite = false;
  let connection = '';
  const headersStart = lineEnd + 2;
  let pos = headersStart;
  for (;;) {
    if (pos >= length) return tooLargeOrIncomplete(buf, start);
    const first = buf[pos] ?? 0;
    if (first === 13) {
      if (pos + 1 >= length) return tooLargeOrIncomplete(buf, start);
      if (buf[pos + 1] !== 10) return fail(400, 'bare CR in request head');
      break;
    }
    if (first === 32 || first === 9) return fail(400, 'obsolete line folding');
    let colon = pos;
    while (colon < length && TCHAR[buf[colon] ?? 0] === 1) colon++;
    if (colon >= length) return tooLargeOrIncomplete(buf, start);
    const stop = buf[colon];
    if (stop !== 58) return fail(400, stop === 13 || stop === 10 ? 'malformed header line' : 'malformed header name');
    if (colon === pos) return fail(400, 'malformed header line');
    let eol = colon + 1;
    while (eol < length) {
      const c = buf[eol] ?? 0;
      if (BAD_VALUE_BYTE[c] === 1) break;
      eol++;
    }
    if (eol >= length) return tooLargeOrIncomplete(buf, start);
    if (buf[eol] !== 13) return fail(400, 'invalid character in header value');
    if (eol + 1 >= length) return tooLargeOrIncomplete(buf, start);
    if (buf[eol + 1] !== 10) return fail(400, 'bare CR in request head');
    if (eol - start > MAX_HEAD_BYTES) return fail(431, 'request head too large');
    let vs = colon + 1;
    while (vs < eol && (buf[vs] === 32 || buf[vs] === 9)) vs++;
    let ve = eol;
    while (ve > vs && (buf[ve - 1] === 32 || buf[ve - 1] === 9)) ve--;
    switch (colon - pos) {
      case 4:
        if (nameIs(buf, pos, 'host')) {
          if (hostStart >= 0) return fail(400, 'more than one Host header');
          hostStart = vs;
          hostEnd = ve;
        }
        break;
      case 14:
        if (nameIs(buf, pos, 'content-length')) {
          const n = parseLength(buf, vs, ve);
          if (n < 0) return fail(400, 'invalid Content-Length');
          if (contentLength >= 0 && contentLength !== n) return fail(400, 'conflicting Content-Length headers');
          contentLength = n;
        }
        break;
      case 17:
        if (nameIs(buf, pos, 'transfer-encoding')) {
          const value = buf.toString('latin1', vs, ve);
          transferEncoding = transferEncoding === undefined ? value : `${transferEncoding}, ${value}`;
        } else if (nameIs(buf, pos, 'x-forwarded-proto')) needsRewrite = true;
        break;
      case 10:
        if (nameIs(buf, pos, 'connection')) {
          const value = buf.toString('latin1', vs, ve).toLowerCase();
          connection = connection === '' ? value : `${connection},${value}`;
          needsRewrite = true;
        } else if (nameIs(buf, pos, 'keep-alive')) needsRewrite = true;
        break;
      case 16:
        if (nameIs(buf, pos, 'proxy-connection')) needsRewrite = true;
        break;
      case 15:
        if (nameIs(buf, pos, 'x-forwarded-for')) needsRewrite = true;
        break;
      case 7:
        if (nameIs(buf, pos, 'upgrade')) {
          needsRewrite = true;
          if (upgradeStart < 0) {
            upgradeStart = vs;
            upgradeEnd = ve;
          }
        } else if (nameIs(buf, pos, 'trailer')) needsRewrite = true;
        break;
      case 2:
        if (nameIs(buf, pos, 'te')) needsRewrite = true;
        break;
      default:
        break;
    }
    pos = eol + 2;
  }
  if (httpMinor === 1 && hostStart < 0) return fail(400, 'missing Host header');
  let chunked = false;
  if (transferEncoding !== undefined) {
    if (contentLength >= 0) return fail(400, 'both Content-Length and Transfer-Encoding');
    if (httpMinor === 0) return fail(400, 'Transfer-Encoding in an HTTP/1.0 request');
    const codings = transferEncoding.toLowerCase().split(',').map((coding) => coding.trim());
    // Only `chunked` (alone) can be forwarded unchanged; anything else we cannot frame.
    if (codings.length !== 1 || codings[0] !== 'chunked') return fail(400, 'unsupported Transfer-Encoding');
    chunked = true;
  }
  const connectionTokens = connection === '' ? NO_TOKENS : connection.split(',').map((token) => token.trim()).filter((token) => token !== '');
  const keepAlive = httpMinor === 1 ? !connectionTokens.includes('close') : connectionTokens.includes('keep-alive');
  // One decode of the head; every string below is a slice of it.
  const text = buf.toString('latin1', start, pos);
  const target = text.slice(sp1 + 1 - start, sp2 - start);
  const query = target.indexOf('?');
  const headersOffset = headersStart - start;
  return {
    kind: 'head',
    head: new ParsedRequestHead({
      method: text.slice(0, sp1 - start),
      target,
      path: query < 0 ? target : target.slice(0, query),
      query: query < 0 ? '' : target.slice(query + 1),
      httpMinor,
      rawHeaders: pos === headersStart ? '' : text.slice(headersOffset),
      host: hostStart < 0 ? '' : text.slice(hostStart - start, hostEnd - start),
      contentLength,
      chunked,
      keepAlive,
      needsRewrite,
      connectionTokens,
      // Only an HTTP/1.1 request that names `upgrade` in Connection asks for a switch (RFC 9110 §7.8).
      upgrade: upgradeStart >= 0 && upgradeEnd > upgradeStart && httpMinor === 1 && connectionTokens.includes('upgrade') ? text.slice(upgradeStart - start, upgradeEnd - start) : '',
      headStart: start,
      headBytes: pos + 2,
    }),
  };
}

/** The first value of a header (name lower-cased), or undefined. */
export function headerValue(head: { readonly names: readonly string[]; readonly values: readonly string[] }, name: string): string | undefined {
  const index = head.names.indexOf(name);
  return index < 0 ? undefined : head.values[index];
}

/** Whether the request carries a body (so it cannot be replayed once sent). */
export function hasRequestBody(head: RequestHead): boolean {
  return head.chunked || head.contentLength > 0;
}
