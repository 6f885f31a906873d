// The exchange in progress on a gateway connection, from a parsed request head to its end: routes
// the request through the current table (404, redirects), picks the backend and endpoint (500, 503),
// builds the head sent upstream, makes the upstream attempt and its retry, enforces the route's
// timeouts (504), answers upstream failures (502), and when the exchange ends records its metrics
// and releases the endpoint and the upstream connection. The response itself is relayed by the
// subclass, ProxyConnection (proxy-connection.ts); the client side is ClientConnection.
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
import { cohortBucket } from './backend-picker.js';
import { BodyFramer } from './body-framer.js';
import { ClientConnection } from './client-connection.js';
import {
  buildUpstreamHead,
  canForwardRawRequest,
  forwardedLines,
  forwardedTail,
  localResponse,
  rawUpstreamHead,
  redirectLocation,
  rewritePath,
} from './header-rewrite.js';
import type { ProxyContext } from './proxy-context.js';
import { hasRequestBody, type RequestHead } from './request-head.js';
import type { ResponseHead } from './response-head.js';
import type { RouteMatch } from './route-matcher.js';
import type { GatewayEndpoint, WeightedBackend } from './route-table.js';
import type { UpstreamConnection, UpstreamHandler } from './upstream-pool.js';

/** Constant for the process: read once, not through the getter on every request. */
const TIME_ORIGIN = performance.timeOrigin;
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

export abstract class UpstreamExchange extends ClientConnection implements UpstreamHandler {
  private readonly clientIp: string;
  private readonly forwarded: string;
  private readonly forwardedBytes: Buffer;
  // The exchange in progress (valid while inExchange).
  protected head: RequestHead | undefined;
  protected found: RouteMatch | undefined;
  private backend: WeightedBackend | undefined;
  private endpoint: GatewayEndpoint | undefined;
  /** A Buffer in the common case (the client's bytes plus ours), else a latin1 string. */
  private upstreamHead: Buffer | string = '';
  // The response, relayed by the subclass; here because retries and the end of the exchange read it.
  protected readonly resFramer = new BodyFramer();
  protected resBuf: Buffer | undefined;
  protected resHead: ResponseHead | undefined;
  protected resStarted = false;
  protected gotResponseByte = false;
  protected reuseUpstream = false;
  /**
   * The request asks to switch protocols (WebSocket): it goes on a fresh upstream connection that
   * is never pooled, with Connection/Upgrade kept; a 101 turns the connection into a tunnel.
   */
  protected upgrading = false;
  /** Metrics, endpoint and in-flight count are settled (at the end, or at a protocol switch). */
  private accounted = false;
  private retriedStale = false;
  private retriedConnect = false;
  private startedAt = 0;
  /** performance.now() by which the response head must have come (HTTPRoute timeouts.request); Infinity: none. */
  private deadline = Infinity;
  protected status = 0;
  protected timer: NodeJS.Timeout | undefined;

  constructor(socket: Socket, port: number, ctx: ProxyContext, secure = false) {
    super(socket, port, ctx, secure);
    // this.socket, not `socket`: the accepted socket may have been replaced (client-socket-reads.ts).
    this.clientIp = (this.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const scheme = secure ? 'https' : 'http';
    this.forwarded = forwardedLines(this.clientIp, scheme);
    this.forwardedBytes = forwardedTail(this.clientIp, scheme);
  }

  abstract onUpstreamData(conn: UpstreamConnection, chunk: Buffer): void;

  protected override startExchange(head: RequestHead, buf: Buffer): void {
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
    // With a body the switch would have to wait for it: such a request goes as an ordinary one
    // (Upgrade dropped), which RFC 9110 allows a server to do.
    this.upgrading = head.upgrade !== '' && this.reqDone;
    this.accounted = false;
    const routing = this.ctx.routing(this.port);
    const found = routing?.matcher.match(head);
    if (found === undefined) {
      this.respondLocally(404, 'route not found\n');
      return;
    }
    this.found = found;
    const rule = found.rule;
    if (rule.redirect) {
      const location = redirectLocation(head, rule.redirect, found.match, this.port, this.secure ? 'https' : 'http');
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
      this.upstreamHead = buildUpstreamHead(head, target, rewrite?.hostname, rule.requestHeaders, this.forwarded, this.clientIp, this.upgrading ? head.upgrade : '');
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
    const conn = this.ctx.poolFor(endpoint).acquire(this, fresh || this.upgrading);
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
        if (this.endpoint) this.ctx.picker.release(this.endpoint);
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
  protected upstreamFailed(status: number, body: string): void {
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

  protected finishExchange(): void {
    if (!this.inExchange) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    const now = performance.now();
    if (!this.accounted) this.accountExchange(now);
    const conn = this.upstream;
    this.upstream = undefined;
    if (conn) conn.pool.release(conn, this.reuseUpstream && this.reqDone && this.resFramer.done, now);
    this.inExchange = false;
    this.head = undefined;
    this.resHead = undefined;
    this.resBuf = undefined;
    this.nextRequest();
  }

  /**
   * Records the exchange's metrics (once), releases its endpoint and stops counting it as in
   * flight. At the end of the exchange, or at a protocol switch: a tunnel counts as one request
   * whose latency is the time to the 101, so a long WebSocket session does not skew the latency
   * a rollout's analysis reads, nor hold up a graceful shutdown as an unfinished request.
   */
  protected accountExchange(now: number): void {
    this.accounted = true;
    const route = this.found?.rule.route ?? '';
    // Wall-clock time from the monotonic reading we already have: one clock read per request less.
    this.ctx.metrics.record(route, this.backend?.service ?? '', this.endpoint?.revision ?? '', this.status, now - this.startedAt, TIME_ORIGIN + now);
    if (this.endpoint) this.ctx.picker.release(this.endpoint);
    this.ctx.exchangeEnded();
  }

  protected override dropExchange(): void {
    // Never read once the connection is cut (no metrics are recorded for a cut exchange); kept so
    // the state says what happened.
    if (this.status === 0) this.status = 502;
    this.closeAfter = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.inExchange = false;
    if (this.accounted) return;
    this.accounted = true;
    if (this.endpoint) this.ctx.picker.release(this.endpoint);
    this.ctx.exchangeEnded();
  }
}
