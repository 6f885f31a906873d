// One client connection of the gateway: reads HTTP/1.1 requests, routes each through the current
// table, forwards it over a pooled upstream connection and streams the response back. One exchange
// at a time per connection (pipelined requests wait in `pending`, with reading paused).
//
// Reliability rules (issue 5 §4):
// - An exchange keeps the rule, backend and endpoint it started with, so a table swap never
//   disturbs it; the next request on the connection sees the new table.
// - A request without a body whose upstream connection fails before any response byte is retried
//   once: on a connection that never connected (refused, unreachable: the endpoint just went away)
//   on another endpoint of the same backend; on a reused pooled connection that the upstream had
//   closed (stale), on a fresh connection. After the connection was up, only idempotent methods.
// - Errors the client can still be told about become 502/504; once the response has started, the
//   client connection is cut (there is no other honest signal).
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../../lib/logger.js';
import { cohortBucket, type BackendPicker } from './backend-picker.js';
import type { BackendMetricsRecorder } from './backend-metrics.js';
import { BodyFramer } from './body-framer.js';
import {
  buildClientHead,
  buildUpstreamHead,
  canForwardRawRequest,
  canForwardRawResponse,
  forwardedLines,
  forwardedTail,
  localResponse,
  rawUpstreamHead,
  redirectLocation,
  rewritePath,
} from './header-rewrite.js';
import { hasRequestBody, parseRequestHead, type RequestHead } from './request-head.js';
import { decodeResponseHeaders, parseResponseHead, type ResponseHead } from './response-head.js';
import type { ListenerMatcher, RouteMatch } from './route-matcher.js';
import type { GatewayEndpoint, WeightedBackend } from './route-table.js';
import type { EndpointPool, UpstreamConnection, UpstreamHandler } from './upstream-pool.js';

/** The routing of one listener in one table version. */
export interface ListenerRouting {
  readonly matcher: ListenerMatcher;
}

/** What the worker gives every connection. */
export interface ProxyContext {
  routing(port: number): ListenerRouting | undefined;
  poolFor(endpoint: GatewayEndpoint): EndpointPool;
  readonly picker: BackendPicker;
  readonly metrics: BackendMetricsRecorder;
  readonly logger: Logger;
  /** Counts exchanges in progress (for graceful shutdown). */
  exchangeStarted(): void;
  exchangeEnded(): void;
}

/** Constant for the process: read once, not through the getter on every request. */
const TIME_ORIGIN = performance.timeOrigin;
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);
/** Pipelined bytes we hold before we stop reading the client. */
const MAX_PENDING = 64 * 1024;

export class ProxyConnection implements UpstreamHandler {
  private readonly socket: Socket;
  private readonly ctx: ProxyContext;
  private readonly port: number;
  private readonly clientIp: string;
  private readonly forwarded: string;
  private readonly forwardedBytes: Buffer;
  private pending: Buffer | undefined;
  private processing = false;
  private closed = false;
  private clientEnded = false;
  // The exchange in progress (valid while inExchange).
  private inExchange = false;
  private head: RequestHead | undefined;
  private found: RouteMatch | undefined;
  private backend: WeightedBackend | undefined;
  private endpoint: GatewayEndpoint | undefined;
  private upstream: UpstreamConnection | undefined;
  /** A Buffer in the common case (the client's bytes plus ours), else a latin1 string. */
  private upstreamHead: Buffer | string = '';
  private readonly reqFramer = new BodyFramer();
  private reqDone = true;
  private readonly resFramer = new BodyFramer();
  private resBuf: Buffer | undefined;
  private resHead: ResponseHead | undefined;
  private resStarted = false;
  private gotResponseByte = false;
  private reuseUpstream = false;
  private closeAfter = false;
  private retriedStale = false;
  private retriedConnect = false;
  private startedAt = 0;
  /** performance.now() by which the response head must have come (HTTPRoute timeouts.request); Infinity: none. */
  private deadline = Infinity;
  private status = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(socket: Socket, port: number, ctx: ProxyContext) {
    this.socket = socket;
    this.port = port;
    this.ctx = ctx;
    this.clientIp = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    this.forwarded = forwardedLines(this.clientIp);
    this.forwardedBytes = forwardedTail(this.clientIp);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onClientData(chunk));
    socket.on('end', () => this.onClientEnd());
    socket.on('drain', () => {
      if (this.upstream && this.resStarted) this.upstream.socket.resume();
    });
    socket.on('error', () => this.onClientClose());
    socket.on('close', () => this.onClientClose());
  }

  private onClientData(chunk: Buffer): void {
    if (this.closed) return;
    if (this.inExchange && !this.reqDone) {
      this.forwardRequestBody(chunk);
      return;
    }
    this.pending = this.pending === undefined ? chunk : Buffer.concat([this.pending, chunk]);
    if (this.inExchange) {
      if (this.pending.length > MAX_PENDING) this.socket.pause();
      return;
    }
    this.processPending();
  }

  private processPending(): void {
    if (this.processing) return;
    this.processing = true;
    try {
      while (!this.inExchange && !this.closed && this.pending !== undefined) {
        const result = parseRequestHead(this.pending);
        if (result.kind === 'incomplete') break;
        if (result.kind === 'error') {
          this.pending = undefined;
          this.socket.end(localResponse(result.status, `${result.reason}\n`, true), 'latin1');
          this.closed = true;
          break;
        }
        const head = result.head;
        const rest = head.headBytes < this.pending.length ? this.pending.subarray(head.headBytes) : undefined;
        const headBuf = this.pending;
        this.pending = undefined;
        this.startExchange(head, headBuf);
        if (rest === undefined) break;
        if (this.inExchange && !this.reqDone) this.forwardRequestBody(rest);
        else this.pending = rest;
      }
      if (!this.inExchange && this.pending === undefined && this.clientEnded && !this.closed) this.endClient();
      if (this.inExchange && this.reqDone && this.pending !== undefined) this.socket.pause();
    } finally {
      this.processing = false;
    }
  }

  /** `buf` holds the head's bytes (from offset 0). */
  private startExchange(head: RequestHead, buf: Buffer): void {
    this.inExchange = true;
    this.ctx.exchangeStarted();
    this.head = head;
    this.startedAt = performance.now();
    this.status = 0;
    this.closeAfter = !head.keepAlive;
    this.resStarted = false;
    this.retriedStale = false;
    this.retriedConnect = false;
    this.found = undefined;
    this.backend = undefined;
    this.endpoint = undefined;
    this.reqFramer.reset(head.chunked ? 'chunked' : head.contentLength > 0 ? 'length' : 'none', head.contentLength);
    this.reqDone = this.reqFramer.done;
    const routing = this.ctx.routing(this.port);
    const found = routing?.matcher.match(head);
    if (found === undefined) {
      this.respondLocally(404, 'route not found\n');
      return;
    }
    this.found = found;
    const rule = found.rule;
    if (rule.redirect) {
      const location = redirectLocation(head, rule.redirect, found.match, this.port);
      this.respondLocally(rule.redirect.statusCode, '', `location: ${location}\r\n`);
      return;
    }
    // Only a cohort rule reads the header list (which the parser decodes on first use).
    const bucket = rule.cohort === undefined ? -1 : cohortBucket(rule.cohort, head.names, head.values);
    const backend = this.ctx.picker.pickBackend(rule, bucket);
    this.backend = backend;
    if (backend === undefined || backend.invalid !== undefined) {
      this.respondLocally(500, 'no valid backend\n');
      return;
    }
    const endpoint = this.ctx.picker.pickEndpoint(backend);
    if (endpoint === undefined) {
      this.respondLocally(503, 'no healthy upstream\n');
      return;
    }
    this.endpoint = endpoint;
    const rewrite = rule.rewrite;
    if (canForwardRawRequest(head, rewrite?.path !== undefined, rewrite?.hostname, rule.requestHeaders)) {
      this.upstreamHead = rawUpstreamHead(buf, head, this.forwardedBytes);
    } else {
      const target = rewrite?.path ? rewritePath(head.path, rewrite.path, found.match) + (head.query === '' ? '' : `?${head.query}`) : head.target;
      this.upstreamHead = buildUpstreamHead(head, target, rewrite?.hostname, rule.requestHeaders, this.forwarded, this.clientIp);
    }
    const timeout = rule.requestTimeoutMs ?? 0;
    this.deadline = timeout > 0 ? this.startedAt + timeout : Infinity;
    this.sendUpstream(false);
  }

  /**
   * Starts (or restarts) the upstream attempt for the current exchange. Its time limit is the
   * nearer of the request deadline and timeouts.backendRequest (per attempt).
   */
  private sendUpstream(fresh: boolean): void {
    const endpoint = this.endpoint;
    if (endpoint === undefined) return;
    const conn = this.ctx.poolFor(endpoint).acquire(this, fresh);
    this.upstream = conn;
    this.gotResponseByte = false;
    this.resBuf = undefined;
    this.resHead = undefined;
    this.reuseUpstream = false;
    const backendTimeout = this.found?.rule.backendRequestTimeoutMs ?? 0;
    // No clock read unless some timeout applies (the common case has none).
    const limit = this.deadline === Infinity && backendTimeout <= 0 ? Infinity : Math.min(this.deadline - performance.now(), backendTimeout > 0 ? backendTimeout : Infinity);
    if (limit !== Infinity) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.onTimeout(), Math.max(0, limit));
    }
    // A string head is latin1: it was decoded from the client's bytes as latin1, so this writes
    // them back unchanged (obs-text included). A Buffer head ignores the encoding.
    conn.socket.write(this.upstreamHead, 'latin1');
  }

  private forwardRequestBody(chunk: Buffer): void {
    const taken = this.reqFramer.consume(chunk, 0, chunk.length);
    if (this.reqFramer.failed) {
      this.abort();
      return;
    }
    if (taken > 0 && this.upstream !== undefined) {
      const ok = this.upstream.socket.write(taken === chunk.length ? chunk : chunk.subarray(0, taken));
      if (!ok) this.socket.pause();
    }
    if (this.reqFramer.done) {
      this.reqDone = true;
      if (taken < chunk.length) {
        this.pending = chunk.subarray(taken);
        this.socket.pause();
      }
    }
  }

  onUpstreamDrain(conn: UpstreamConnection): void {
    if (conn === this.upstream && !this.reqDone) this.socket.resume();
  }

  onUpstreamData(conn: UpstreamConnection, chunk: Buffer): void {
    if (conn !== this.upstream || this.closed) return;
    this.gotResponseByte = true;
    if (this.resHead !== undefined) {
      this.forwardResponseBody(chunk, 0);
      return;
    }
    const buf = this.resBuf === undefined ? chunk : Buffer.concat([this.resBuf, chunk]);
    this.resBuf = undefined;
    const head = this.head;
    if (head === undefined) return;
    let offset = 0;
    for (;;) {
      const result = parseResponseHead(buf, offset, head.method);
      if (result.kind === 'incomplete') {
        // Keep a copy: `chunk` is a view of the upstream connection's reusable read buffer.
        this.resBuf = Buffer.from(offset === 0 ? buf : buf.subarray(offset));
        return;
      }
      if (result.kind === 'error') {
        this.upstreamFailed(502, 'invalid response from upstream\n');
        return;
      }
      const res = result.head;
      if (res.status >= 100 && res.status < 200) {
        // 101 would switch protocols, which we never ask for (Upgrade is stripped).
        if (res.status === 101) {
          this.upstreamFailed(502, 'unexpected protocol switch\n');
          return;
        }
        if (head.httpMinor === 1) this.writeBorrowed(buf.subarray(offset, offset + res.headBytes));
        offset += res.headBytes;
        continue;
      }
      this.startResponse(res, buf, offset);
      return;
    }
  }

  private startResponse(res: ResponseHead, buf: Buffer, offset: number): void {
    const head = this.head;
    if (head === undefined) return;
    this.resHead = res;
    this.status = res.status;
    this.resStarted = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.reuseUpstream = res.keepAlive && head.httpMinor === 1;
    if (res.bodyMode === 'close' || this.clientEnded) this.closeAfter = true;
    const modifier = this.found?.rule.responseHeaders;
    this.resFramer.reset(res.bodyMode, res.contentLength);
    const bodyStart = offset + res.headBytes;
    if (canForwardRawResponse(res, modifier, head.httpMinor, this.closeAfter)) {
      // The common case: the upstream's bytes go to the client as they are, often in one write.
      const taken = this.resFramer.consume(buf, bodyStart, buf.length);
      const end = bodyStart + taken;
      const ok = this.writeBorrowed(offset === 0 && end === buf.length ? buf : buf.subarray(offset, end));
      this.afterResponseBytes(ok, end < buf.length);
      return;
    }
    this.socket.write(buildClientHead(decodeResponseHeaders(buf, offset, res), modifier, head.httpMinor, this.closeAfter), 'latin1');
    this.forwardResponseBody(buf, bodyStart);
  }

  private forwardResponseBody(buf: Buffer, start: number): void {
    if (start >= buf.length) {
      this.afterResponseBytes(true, false);
      return;
    }
    const taken = this.resFramer.consume(buf, start, buf.length);
    const end = start + taken;
    const ok = taken === 0 ? true : this.writeBorrowed(start === 0 && end === buf.length ? buf : buf.subarray(start, end));
    this.afterResponseBytes(ok, end < buf.length);
  }

  /**
   * Writes bytes that live in the upstream connection's read buffer. A write that did not complete
   * at once still points into that buffer, so the connection must read into a new one.
   */
  private writeBorrowed(bytes: Buffer): boolean {
    const ok = this.socket.write(bytes);
    if (this.socket.writableLength > 0) this.upstream?.lend();
    return ok;
  }

  private afterResponseBytes(written: boolean, extraBytes: boolean): void {
    if (this.resFramer.failed) {
      this.abort();
      return;
    }
    // Bytes after the response end: the upstream is confused; never reuse that connection.
    if (extraBytes) this.reuseUpstream = false;
    if (this.resFramer.done) this.finishExchange();
    else if (!written) this.upstream?.socket.pause();
  }

  onUpstreamGone(conn: UpstreamConnection, error: NodeJS.ErrnoException | undefined): void {
    if (conn !== this.upstream) return;
    this.upstream = undefined;
    if (this.closed) return;
    if (this.resHead !== undefined) {
      // A body delimited by the connection's end is complete now; any other is truncated.
      if (this.resFramer.untilClose && error === undefined) {
        this.reuseUpstream = false;
        this.finishExchange();
      } else this.abort();
      return;
    }
    const head = this.head;
    if (head === undefined || this.gotResponseByte) {
      this.upstreamFailed(502, 'upstream closed the connection\n');
      return;
    }
    const replayable = !hasRequestBody(head);
    if (replayable && !conn.connected && !this.retriedConnect && this.backend !== undefined) {
      // Refused / unreachable: this endpoint is gone (a rolling update); try another one.
      this.retriedConnect = true;
      const other = this.ctx.picker.pickEndpoint(this.backend, this.endpoint);
      if (other !== undefined) {
        this.endpoint = other;
        this.sendUpstream(false);
        return;
      }
    } else if (replayable && conn.connected && IDEMPOTENT.has(head.method) && !this.retriedStale) {
      // A pooled connection the upstream closed while idle (or a reset before any answer).
      this.retriedStale = true;
      this.sendUpstream(true);
      return;
    }
    this.ctx.logger.debug({ err: error, endpoint: `${this.endpoint?.address}:${this.endpoint?.port}` }, 'upstream request failed');
    this.upstreamFailed(502, 'upstream connect error\n');
  }

  private onTimeout(): void {
    this.timer = undefined;
    if (!this.inExchange || this.resStarted) return;
    this.upstreamFailed(504, 'upstream request timeout\n');
  }

  /** The upstream attempt failed before a response: answer `status` (the upstream connection is not reused). */
  private upstreamFailed(status: number, body: string): void {
    const conn = this.upstream;
    this.upstream = undefined;
    if (conn) conn.pool.release(conn, false);
    if (this.resStarted) {
      this.abort();
      return;
    }
    this.respondLocally(status, body);
  }

  private respondLocally(status: number, body: string, extraHeaders = ''): void {
    // An unread request body would be taken for the next request: close after answering.
    if (!this.reqDone) this.closeAfter = true;
    this.status = status;
    this.resStarted = true;
    this.reuseUpstream = false;
    this.socket.write(localResponse(status, body, this.closeAfter, extraHeaders), 'latin1');
    this.finishExchange();
  }

  private finishExchange(): void {
    if (!this.inExchange) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    const now = performance.now();
    const route = this.found?.rule.route ?? '';
    // Wall-clock time from the monotonic reading we already have: one clock read per request less.
    this.ctx.metrics.record(route, this.backend?.service ?? '', this.endpoint?.revision ?? '', this.status, now - this.startedAt, TIME_ORIGIN + now);
    if (this.endpoint) this.ctx.picker.release(this.endpoint);
    const conn = this.upstream;
    this.upstream = undefined;
    if (conn) conn.pool.release(conn, this.reuseUpstream && this.reqDone && this.resFramer.done, now);
    this.inExchange = false;
    this.ctx.exchangeEnded();
    this.head = undefined;
    this.resHead = undefined;
    this.resBuf = undefined;
    if (this.closeAfter || !this.reqDone) {
      this.endClient();
      return;
    }
    this.socket.resume();
    if (this.pending !== undefined || this.clientEnded) this.processPending();
  }

  private onClientEnd(): void {
    this.clientEnded = true;
    if (this.closed) return;
    if (!this.inExchange) {
      if (!this.processing) this.processPending();
      if (!this.inExchange && !this.closed) this.endClient();
    } else if (!this.reqDone) this.abort();
    else this.closeAfter = true;
  }

  private endClient(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = undefined;
    this.socket.end();
  }

  /** Cuts both sides: the only honest signal once a response has started. */
  private abort(): void {
    const conn = this.upstream;
    this.upstream = undefined;
    if (conn) conn.pool.release(conn, false);
    if (this.inExchange) {
      if (this.status === 0) this.status = 502;
      this.closeAfter = true;
      clearTimeout(this.timer);
      this.timer = undefined;
      this.inExchange = false;
      this.ctx.exchangeEnded();
    }
    this.closed = true;
    this.socket.destroy();
  }

  private onClientClose(): void {
    if (this.inExchange) {
      const conn = this.upstream;
      this.upstream = undefined;
      if (conn) conn.pool.release(conn, false);
      clearTimeout(this.timer);
      this.timer = undefined;
      this.inExchange = false;
      this.ctx.exchangeEnded();
    }
    this.closed = true;
    this.socket.destroy();
  }
}
