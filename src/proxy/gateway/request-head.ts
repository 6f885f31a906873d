// HTTP/1.1 request heads as the gateway's client side reads them: a small hand-written parser
// instead of node:http, because the proxy's hot path must not build IncomingMessage objects, header
// dictionaries or URL objects per request (issue 5 §8). It parses exactly what routing and framing
// need and remembers the raw header block, so that a request needing no header change is forwarded
// with one string concatenation.
//
// Strictness follows RFC 9112 where leniency would allow request smuggling between us and the
// upstream: obs-fold, whitespace before the colon, Content-Length together with Transfer-Encoding,
// conflicting Content-Lengths and a non-chunked final transfer coding are all rejected with 400.

/** Largest head we accept (nginx's large_client_header_buffers is 4 x 8k; Node's is 16k). */
export const MAX_HEAD_BYTES = 32 * 1024;

export interface RequestHead {
  readonly method: string;
  /** The request-target as sent (`/a/b?x=1`). */
  readonly target: string;
  /** The target's path (before `?`). */
  readonly path: string;
  /** The target's query without the `?`; '' when none. */
  readonly query: string;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  readonly httpMinor: number;
  /** Header names lower-cased, in order; `values[i]` belongs to `names[i]`. */
  readonly names: readonly string[];
  readonly values: readonly string[];
  /** The header lines exactly as received, each ending in CRLF (without the final empty line). */
  readonly rawHeaders: string;
  /** The Host header ('' when absent). */
  readonly host: string;
  /** -1 when no Content-Length. */
  readonly contentLength: number;
  readonly chunked: boolean;
  /** The client wants the connection kept open after this exchange. */
  readonly keepAlive: boolean;
  /**
   * Some header must not be forwarded as is: a hop-by-hop header (Connection and what it names,
   * Keep-Alive, Proxy-Connection, TE, Trailer, Upgrade), an X-Forwarded-For we must append to, or
   * an X-Forwarded-Proto we replace.
   */
  readonly needsRewrite: boolean;
  /** Lower-cased header names the Connection header nominates as hop-by-hop. */
  readonly connectionTokens: readonly string[];
  /** Bytes of the head including the final CRLFCRLF. */
  readonly headBytes: number;
}

export type ParseResult =
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'error'; readonly status: 400 | 431 | 505; readonly reason: string }
  | { readonly kind: 'head'; readonly head: RequestHead };

const INCOMPLETE: ParseResult = { kind: 'incomplete' };
const NO_TOKENS: readonly string[] = [];

function fail(status: 400 | 431 | 505, reason: string): ParseResult {
  return { kind: 'error', status, reason };
}

/** Lower-case names whose presence forces the slow (rewriting) path. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade', 'x-forwarded-for', 'x-forwarded-proto']);

/** tchar (RFC 9110 §5.6.2) lookup: 1 for token characters. */
const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") TCHAR[c.charCodeAt(0)] = 1;

function isToken(text: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || TCHAR[c] === 0) return false;
  }
  return true;
}

function hasUpper(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) return true;
  }
  return false;
}

/** Content-Length value: 1-15 digits, else -1. */
function parseLength(value: string): number {
  if (value.length === 0 || value.length > 15) return -1;
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const digit = value.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}

/** Parses the head at the start of `buf` (leading empty lines are skipped, RFC 9112 §2.2). */
export function parseRequestHead(buf: Buffer): ParseResult {
  let start = 0;
  while (start + 1 < buf.length && buf[start] === 13 && buf[start + 1] === 10) start += 2;
  // Find the empty line with memchr per line: far cheaper than a CRLFCRLF substring search.
  let end = -1;
  for (let pos = start; ;) {
    const eol = buf.indexOf(13, pos);
    if (eol < 0 || eol + 1 >= buf.length) return buf.length > MAX_HEAD_BYTES ? fail(431, 'request head too large') : INCOMPLETE;
    if (buf[eol + 1] !== 10) return fail(400, 'bare CR in request head');
    if (eol === pos && pos !== start) {
      end = eol - 2;
      break;
    }
    if (eol - start > MAX_HEAD_BYTES) return fail(431, 'request head too large');
    pos = eol + 2;
  }
  const text = buf.toString('latin1', start, end + 2);
  const lineEnd = text.indexOf('\r\n');
  const sp1 = text.indexOf(' ');
  const sp2 = text.lastIndexOf(' ', lineEnd);
  if (sp1 <= 0 || sp1 > lineEnd || sp2 === sp1) return fail(400, 'malformed request line');
  if (!isToken(text, 0, sp1)) return fail(400, 'malformed method');
  const method = text.slice(0, sp1);
  const target = text.slice(sp1 + 1, sp2);
  if (target.length === 0 || target.includes(' ')) return fail(400, 'malformed request target');
  let httpMinor: number;
  if (lineEnd - sp2 === 9 && text.startsWith('HTTP/1.', sp2 + 1) && (text.charCodeAt(sp2 + 8) === 49 || text.charCodeAt(sp2 + 8) === 48)) {
    httpMinor = text.charCodeAt(sp2 + 8) - 48;
  } else if (text.startsWith('HTTP/', sp2 + 1)) return fail(505, 'unsupported HTTP version');
  else return fail(400, 'malformed request line');

  const names: string[] = [];
  const values: string[] = [];
  let host = '';
  let hostSeen = false;
  let contentLength = -1;
  let transferEncoding: string | undefined;
  let needsRewrite = false;
  let connection = '';
  let pos = lineEnd + 2;
  while (pos < text.length) {
    const eol = text.indexOf('\r\n', pos);
    const first = text.charCodeAt(pos);
    if (first === 32 || first === 9) return fail(400, 'obsolete line folding');
    const colon = text.indexOf(':', pos);
    if (colon < 0 || colon > eol || colon === pos) return fail(400, 'malformed header line');
    if (!isToken(text, pos, colon)) return fail(400, 'malformed header name');
    const rawName = text.slice(pos, colon);
    const name = hasUpper(rawName) ? rawName.toLowerCase() : rawName;
    const value = text.slice(colon + 1, eol).trim();
    names.push(name);
    values.push(value);
    pos = eol + 2;
    switch (name) {
      case 'host':
        if (hostSeen) return fail(400, 'more than one Host header');
        hostSeen = true;
        host = value;
        break;
      case 'content-length': {
        const length = parseLength(value);
        if (length < 0) return fail(400, 'invalid Content-Length');
        if (contentLength >= 0 && contentLength !== length) return fail(400, 'conflicting Content-Length headers');
        contentLength = length;
        break;
      }
      case 'transfer-encoding':
        transferEncoding = transferEncoding === undefined ? value : `${transferEncoding}, ${value}`;
        break;
      case 'connection':
        connection = connection === '' ? value.toLowerCase() : `${connection},${value.toLowerCase()}`;
        needsRewrite = true;
        break;
      default:
        if (HOP_BY_HOP.has(name)) needsRewrite = true;
    }
  }
  if (httpMinor === 1 && !hostSeen) return fail(400, 'missing Host header');
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
  const query = target.indexOf('?');
  return {
    kind: 'head',
    head: {
      method,
      target,
      path: query < 0 ? target : target.slice(0, query),
      query: query < 0 ? '' : target.slice(query + 1),
      httpMinor,
      names,
      values,
      rawHeaders: text.slice(lineEnd + 2),
      host,
      contentLength,
      chunked,
      keepAlive,
      needsRewrite,
      connectionTokens,
      headBytes: end + 4,
    },
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
