// The gateway's request head as request-head.ts parses it: the fields routing and framing need,
// and the header list decoded lazily from the raw block.

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
  /**
   * The Upgrade header's value when the request asks to switch protocols (HTTP/1.1, an Upgrade
   * header and `upgrade` among the Connection tokens), e.g. `websocket`; '' otherwise.
   */
  readonly upgrade: string;
  /** Offset of the request line in the parsed buffer (after leading empty lines). */
  readonly headStart: number;
  /** Bytes of the head including the final CRLFCRLF. */
  readonly headBytes: number;
}

/**
 * A parsed head. The header list (`names`/`values`) is decoded from `rawHeaders` only when asked
 * for: forwarding a request needs just the raw block and the few headers the parser picks out,
 * so most requests never pay for one string per header.
 */
export class ParsedRequestHead implements RequestHead {
  readonly method: string;
  readonly target: string;
  readonly path: string;
  readonly query: string;
  readonly httpMinor: number;
  readonly rawHeaders: string;
  readonly host: string;
  readonly contentLength: number;
  readonly chunked: boolean;
  readonly keepAlive: boolean;
  readonly needsRewrite: boolean;
  readonly connectionTokens: readonly string[];
  readonly upgrade: string;
  readonly headStart: number;
  readonly headBytes: number;
  #names: string[] | undefined;
  #values: string[] | undefined;

  constructor(fields: Omit<RequestHead, 'names' | 'values'>) {
    this.method = fields.method;
    this.target = fields.target;
    this.path = fields.path;
    this.query = fields.query;
    this.httpMinor = fields.httpMinor;
    this.rawHeaders = fields.rawHeaders;
    this.host = fields.host;
    this.contentLength = fields.contentLength;
    this.chunked = fields.chunked;
    this.keepAlive = fields.keepAlive;
    this.needsRewrite = fields.needsRewrite;
    this.connectionTokens = fields.connectionTokens;
    this.upgrade = fields.upgrade;
    this.headStart = fields.headStart;
    this.headBytes = fields.headBytes;
  }

  get names(): readonly string[] {
    if (this.#names === undefined) this.decode();
    return this.#names ?? [];
  }

  get values(): readonly string[] {
    if (this.#values === undefined) this.decode();
    return this.#values ?? [];
  }

  /** The parser validated every line: each has a non-empty token name and a colon. */
  private decode(): void {
    const text = this.rawHeaders;
    const names: string[] = [];
    const values: string[] = [];
    let pos = 0;
    while (pos < text.length) {
      const eol = text.indexOf('\r\n', pos);
      const colon = text.indexOf(':', pos);
      names.push(text.slice(pos, colon).toLowerCase());
      let vs = colon + 1;
      let ve = eol;
      while (vs < ve && (text.charCodeAt(vs) === 32 || text.charCodeAt(vs) === 9)) vs++;
      while (ve > vs && (text.charCodeAt(ve - 1) === 32 || text.charCodeAt(ve - 1) === 9)) ve--;
      values.push(text.slice(vs, ve));
      pos = eol + 2;
    }
    this.#names = names;
    this.#values = values;
  }
}
