// Builds the heads the proxy writes: the request head for the upstream and the response head for
// the client, applying HTTPRoute filters (RequestHeaderModifier, ResponseHeaderModifier,
// URLRewrite), X-Forwarded-For/Proto and hop-by-hop removal (RFC 9110 §7.6.1). The common case
// (no filter, nothing hop-by-hop) reuses the raw header block unchanged.

// Imported rather than the global: a module binding avoids a global lookup on every use.
import { Buffer } from 'node:buffer';
import type { RequestHead } from './request-head.js';
import type { ResponseHead, ResponseHeaders } from './response-head.js';
import type { CompiledMatch, HeaderModifier, RedirectFilter } from './route-table.js';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade']);

/**
 * Heads are written as latin1 (one byte per char): text from the client was decoded that way.
 * Text from the route spec is a JS string: a non-ASCII value goes out as its UTF-8 bytes.
 */
export function specText(value: string): string {
  for (let i = 0; i < value.length; i++) {
    if (value.charCodeAt(i) > 0x7f) return Buffer.from(value, 'utf8').toString('latin1');
  }
  return value;
}

/**
 * Per client connection: the forwarding headers we add (built once per connection, not per
 * request). `scheme` is the client's: https on an HTTPS listener.
 */
export function forwardedLines(clientIp: string, scheme: 'http' | 'https' = 'http'): string {
  return `x-forwarded-for: ${clientIp}\r\nx-forwarded-proto: ${scheme}\r\n`;
}

/** Heads up to this many bytes are copied byte by byte (see rawUpstreamHead). */
const SMALL_COPY = 512;

/** The forwarding lines and the head's closing empty line as bytes (once per connection). */
export function forwardedTail(clientIp: string, scheme: 'http' | 'https' = 'http'): Buffer {
  return Buffer.from(`${forwardedLines(clientIp, scheme)}\r\n`, 'latin1');
}

/** No filter touches this request's head: rawUpstreamHead() may be used instead of buildUpstreamHead(). */
export function canForwardRawRequest(head: RequestHead, targetRewritten: boolean, hostOverride: string | undefined, modifier: HeaderModifier | undefined): boolean {
  return !head.needsRewrite && !targetRewritten && hostOverride === undefined && modifier === undefined;
}

/**
 * The upstream head of a request no filter touches, as bytes: the client's request line and
 * header lines exactly as received (`buf` is the buffer the head was parsed from), then `tail`
 * (forwardedTail()). Byte for byte what buildUpstreamHead() gives in that case, without decoding
 * the head into a string and encoding it back (the write of a string flattens and copies it).
 */
export function rawUpstreamHead(buf: Buffer, head: RequestHead, tail: Buffer): Buffer {
  const start = head.headStart;
  const length = head.headBytes - 2 - start;
  const out = Buffer.allocUnsafe(length + tail.length);
  // A typical head is tens of bytes: a JS loop beats Buffer#copy, which validates its arguments
  // and creates a view of the source range before copying.
  if (length <= SMALL_COPY) for (let i = 0; i < length; i++) out[i] = buf[start + i] ?? 0;
  else out.set(buf.subarray(start, start + length));
  out.set(tail, length);
  return out;
}

/**
 * The path after an HTTPRoute URLRewrite/RequestRedirect path modifier (Gateway API semantics:
 * ReplacePrefixMatch swaps the matched prefix element-wise; `/foo` + `/foo/bar` -> `/xyz/bar`,
 * and an empty result is `/`).
 */
export function rewritePath(
  path: string,
  modifier: { readonly type: 'ReplaceFullPath' | 'ReplacePrefixMatch'; readonly value: string },
  match: CompiledMatch | undefined,
): string {
  if (modifier.type === 'ReplaceFullPath') return modifier.value === '' ? '/' : specText(modifier.value);
  const prefix = match?.path?.type === 'PathPrefix' ? stripSlash(specText(match.path.value)) : '';
  const remainder = path.slice(Math.min(prefix.length, path.length));
  const result = stripSlash(specText(modifier.value)) + remainder;
  return result === '' ? '/' : result;
}

function stripSlash(value: string): string {
  return value.endsWith('/') ? value.slice(0, -1) : value;
}

function lowerNames(list: readonly { readonly name: string }[]): Set<string> {
  const names = new Set<string>();
  for (const entry of list) names.add(entry.name.toLowerCase());
  return names;
}

/**
 * The upstream request head. `target` is the (possibly rewritten) request target; `hostOverride`
 * the URLRewrite hostname. HTTP/1.0 clients are forwarded as HTTP/1.0 so that the upstream answers
 * in a form they can read (no chunked coding). `upgrade` (the request's Upgrade value, '' for
 * none) keeps a protocol switch: hop-by-hop headers go as usual and `connection: upgrade` plus
 * the Upgrade header come back in, since the switch is between the client and the upstream.
 */
export function buildUpstreamHead(
  head: RequestHead,
  target: string,
  hostOverride: string | undefined,
  modifier: HeaderModifier | undefined,
  forwarded: string,
  clientIp: string,
  upgrade = '',
): string {
  const version = head.httpMinor === 1 ? ' HTTP/1.1\r\n' : ' HTTP/1.0\r\n';
  if (!head.needsRewrite && modifier === undefined && hostOverride === undefined) {
    return `${head.method} ${target}${version}${head.rawHeaders}${forwarded}\r\n`;
  }
  const drop = modifier ? lowerNames(modifier.set) : undefined;
  const remove = modifier ? new Set(modifier.remove.map((name) => name.toLowerCase())) : undefined;
  let out = `${head.method} ${target}${version}`;
  let xff = '';
  for (let i = 0; i < head.names.length; i++) {
    const name = head.names[i] ?? '';
    const value = head.values[i] ?? '';
    if (HOP_BY_HOP.has(name) || head.connectionTokens.includes(name) || name === 'x-forwarded-proto') continue;
    if (name === 'x-forwarded-for') {
      xff = xff === '' ? value : `${xff}, ${value}`;
      continue;
    }
    if (drop?.has(name) || remove?.has(name)) continue;
    if (name === 'host' && hostOverride !== undefined) continue;
    out += `${name}: ${value}\r\n`;
  }
  if (hostOverride !== undefined) out += `host: ${specText(hostOverride)}\r\n`;
  if (modifier) out += modifierLines(modifier, remove);
  // With an incoming X-Forwarded-For we append to it; the proto line is the second of `forwarded`.
  out += xff === '' ? forwarded : `x-forwarded-for: ${xff}, ${clientIp}\r\n${forwarded.slice(forwarded.indexOf('\r\n') + 2)}`;
  if (upgrade !== '') out += `connection: upgrade\r\nupgrade: ${upgrade}\r\n`;
  else if (head.httpMinor === 0) out += 'connection: close\r\n';
  return `${out}\r\n`;
}

/** The response head may be written to the client byte for byte. */
export function canForwardRawResponse(res: ResponseHead, modifier: HeaderModifier | undefined, clientHttpMinor: number, closeClient: boolean): boolean {
  return !res.hasHopByHop && !res.connectionClose && modifier === undefined && !closeClient && clientHttpMinor === 1 && res.bodyMode !== 'close';
}

/** A rebuilt response head: hop-by-hop headers out, the modifier applied, our Connection header in. */
export function buildClientHead(res: ResponseHeaders, modifier: HeaderModifier | undefined, clientHttpMinor: number, closeClient: boolean): string {
  let out = `HTTP/1.1${res.statusLine.slice(8)}\r\n`;
  const drop = modifier ? lowerNames(modifier.set) : undefined;
  const remove = modifier ? new Set(modifier.remove.map((name) => name.toLowerCase())) : undefined;
  const nominated = connectionTokens(res);
  for (let i = 0; i < res.names.length; i++) {
    const name = res.names[i] ?? '';
    if (HOP_BY_HOP.has(name) || nominated.has(name)) continue;
    if (drop?.has(name) || remove?.has(name)) continue;
    out += `${name}: ${res.values[i] ?? ''}\r\n`;
  }
  if (modifier) out += modifierLines(modifier, remove);
  if (closeClient) out += 'connection: close\r\n';
  else if (clientHttpMinor === 0) out += 'connection: keep-alive\r\n';
  return `${out}\r\n`;
}

/**
 * The 101 head for the client when a ResponseHeaderModifier applies: rebuilt like any other, with
 * the switch's Connection and Upgrade headers kept (they are the answer to the client's Upgrade).
 */
export function buildSwitchHead(res: ResponseHeaders, modifier: HeaderModifier): string {
  const head = buildClientHead(res, modifier, 1, false);
  const index = res.names.indexOf('upgrade');
  const upgrade = index < 0 ? '' : `upgrade: ${res.values[index] ?? ''}\r\n`;
  return `${head.slice(0, -2)}connection: upgrade\r\n${upgrade}\r\n`;
}

/** The header lines a modifier sets and adds (minus the removed names). */
function modifierLines(modifier: HeaderModifier, remove: ReadonlySet<string> | undefined): string {
  let out = '';
  for (const { name, value } of modifier.set) if (!remove?.has(name.toLowerCase())) out += `${name}: ${specText(value)}\r\n`;
  for (const { name, value } of modifier.add) if (!remove?.has(name.toLowerCase())) out += `${name}: ${specText(value)}\r\n`;
  return out;
}

function connectionTokens(res: ResponseHeaders): Set<string> {
  const tokens = new Set<string>();
  for (let i = 0; i < res.names.length; i++) {
    if (res.names[i] !== 'connection') continue;
    for (const token of (res.values[i] ?? '').toLowerCase().split(',')) tokens.add(token.trim());
  }
  return tokens;
}

const REASONS: Readonly<Record<number, string>> = {
  301: 'Moved Permanently', 302: 'Found', 400: 'Bad Request', 404: 'Not Found', 408: 'Request Timeout', 431: 'Request Header Fields Too Large',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout', 505: 'HTTP Version Not Supported',
};

/** A response the gateway answers itself (errors and redirects): small text body. */
export function localResponse(status: number, body: string, close: boolean, extraHeaders = ''): string {
  return (
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Unknown'}\r\ncontent-type: text/plain; charset=utf-8\r\n` +
    `content-length: ${Buffer.byteLength(body)}\r\n${extraHeaders}${close ? 'connection: close\r\n' : ''}\r\n${body}`
  );
}

/**
 * The Location of a RequestRedirect (Gateway API): scheme, hostname and port default to the
 * request's; with only a scheme given the port is that scheme's well-known port; the port is
 * omitted when it is the scheme's default. The query is kept.
 */
export function redirectLocation(
  head: RequestHead, redirect: RedirectFilter, match: CompiledMatch | undefined, listenerPort: number, requestScheme: 'http' | 'https' = 'http',
): string {
  const scheme = redirect.scheme ?? requestScheme;
  const hostname = redirect.hostname !== undefined ? specText(redirect.hostname) : hostWithoutPort(head.host);
  const port = redirect.port ?? (redirect.scheme !== undefined ? (scheme === 'https' ? 443 : 80) : listenerPort);
  const defaultPort = (scheme === 'http' && port === 80) || (scheme === 'https' && port === 443);
  const path = redirect.path ? rewritePath(head.path, redirect.path, match) : head.path;
  const query = head.query === '' ? '' : `?${head.query}`;
  return `${scheme}://${hostname}${defaultPort ? '' : `:${port}`}${path}${query}`;
}

function hostWithoutPort(host: string): string {
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    return close < 0 ? host : host.slice(0, close + 1);
  }
  const colon = host.indexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}
