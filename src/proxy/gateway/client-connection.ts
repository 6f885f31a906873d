// The client side of one gateway connection: reads HTTP/1.1 request heads off the client socket,
// holds pipelined bytes while an exchange is in progress (one at a time, reading paused beyond
// MAX_PENDING), streams a request body to the upstream with backpressure both ways, and ends or
// cuts the client connection.
//
// A connection is one object whose behaviour is layered by subclassing: this class, then
// UpstreamExchange (upstream-exchange.ts: routing, upstream attempts, local answers), then
// ProxyConnection (proxy-connection.ts: the response relay). Subclassing rather than separate
// collaborating objects keeps the data plane's hot path as it was: every call is a direct method
// call on the one concrete class (monomorphic, inlinable), all state sits in one object, and no
// object or closure is created per request.
import type { Socket } from 'node:net';
import { BodyFramer } from './body-framer.js';
import { adoptAcceptedSocket, ownedCopy } from './client-socket-reads.js';
import { localResponse } from './header-rewrite.js';
import type { SweepLimits } from './idle-timeouts.js';
import type { ProxyContext } from './proxy-context.js';
import { parseRequestHead, type RequestHead } from './request-head.js';
import type { UpstreamConnection } from './upstream-pool.js';

/** Pipelined bytes we hold before we stop reading the client. */
const MAX_PENDING = 64 * 1024;

export abstract class ClientConnection {
  protected readonly socket: Socket;
  protected readonly ctx: ProxyContext;
  protected readonly port: number;
  /** Accepted on an HTTPS port: the socket is a TLSSocket. */
  protected readonly secure: boolean;
  private pending: Buffer | undefined;
  private processing = false;
  protected closed = false;
  protected clientEnded = false;
  /** An exchange is in progress (its state lives in UpstreamExchange). */
  protected inExchange = false;
  /** The upstream connection of the exchange in progress, if any. */
  protected upstream: UpstreamConnection | undefined;
  protected readonly reqFramer = new BodyFramer();
  protected reqDone = true;
  /** End the client connection once the exchange in progress ends. */
  protected closeAfter = false;
  /** Bytes moved (either way) since the last idle sweep: the only idle bookkeeping on the data path. */
  protected moved = false;
  /** The connection carries a switched protocol (after a 101). */
  private tunnel = false;
  /** Consecutive sweeps that found the connection idle. */
  private quietSweeps = 0;
  /** Sweeps since a request head started arriving. */
  private headSweeps = 0;

  /**
   * `accepted` may be paused on accept (ListenerSet does that): it is then moved into a socket
   * that reads without the stream machinery (client-socket-reads.ts) when possible, else resumed.
   * A TLS connection (`secure`) is never adopted: its handle carries ciphertext, and only its
   * 'data' events carry the decrypted bytes (owned buffers, nothing to copy).
   */
  constructor(accepted: Socket, port: number, ctx: ProxyContext, secure = false) {
    this.port = port;
    this.ctx = ctx;
    this.secure = secure;
    const adopted = secure ? undefined : adoptAcceptedSocket(accepted, (chunk) => this.onBorrowedData(chunk));
    const socket = adopted ?? accepted;
    this.socket = socket;
    socket.setNoDelay(true);
    if (adopted === undefined) {
      socket.on('data', (chunk: Buffer) => this.onClientData(chunk));
      socket.resume();
    }
    socket.on('end', () => this.onClientEnd());
    socket.on('drain', () => this.onClientDrain());
    socket.on('error', () => this.onClientClose());
    socket.on('close', () => this.onClientClose());
  }

  /** Starts the exchange for a parsed request head; `buf` holds the head's bytes (from offset 0). */
  protected abstract startExchange(head: RequestHead, buf: Buffer): void;

  /** The client socket can take more response bytes. */
  protected abstract onClientDrain(): void;

  /**
   * The connection is being cut with an exchange in progress (the upstream connection is already
   * released): stop its timer and stop counting it.
   */
  protected abstract dropExchange(): void;

  /** The client socket (after adoption: not necessarily the one accepted). */
  get clientSocket(): Socket {
    return this.socket;
  }

  /** `chunk` is a view of the shared read buffer, overwritten by the next read of any connection. */
  private onBorrowedData(chunk: Buffer): void {
    this.onClientData(chunk);
    if (this.pending !== undefined) this.pending = ownedCopy(this.pending);
  }

  private onClientData(chunk: Buffer): void {
    if (this.closed) return;
    this.moved = true;
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

  private forwardRequestBody(chunk: Buffer): void {
    const taken = this.reqFramer.consume(chunk, 0, chunk.length);
    if (this.reqFramer.failed) {
      this.abort();
      return;
    }
    if (taken > 0 && this.upstream !== undefined) {
      // A write may be queued (not sent at once): it must not point into the shared read buffer.
      const ok = this.upstream.socket.write(ownedCopy(taken === chunk.length ? chunk : chunk.subarray(0, taken)));
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

  /** UpstreamHandler: the upstream can take more of the request body. */
  onUpstreamDrain(conn: UpstreamConnection): void {
    if (conn === this.upstream && !this.reqDone) this.socket.resume();
  }

  /**
   * The upstream switched protocols (101): from now on the connection is a tunnel, and every
   * client byte (held ones first) goes to the upstream as is until either side closes.
   */
  protected startTunnel(): void {
    this.tunnel = true;
    this.reqFramer.reset('close');
    this.reqDone = false;
    this.closeAfter = true;
    const held = this.pending;
    this.pending = undefined;
    if (this.clientEnded) {
      if (held !== undefined) this.forwardRequestBody(held);
      this.upstream?.socket.end();
      return;
    }
    this.socket.resume();
    if (held !== undefined) this.forwardRequestBody(held);
  }

  /** The exchange has ended (and been accounted for): read the next request, or end the connection. */
  protected nextRequest(): void {
    if (this.closeAfter || !this.reqDone) {
      this.endClient();
      return;
    }
    this.socket.resume();
    if (this.pending !== undefined || this.clientEnded) this.processPending();
  }

  /**
   * One idle sweep (idle-timeouts.ts): cuts the connection once it has made no progress for the
   * limit of the state it is in. An exchange in progress is left to the route's timeouts.
   */
  sweep(limits: SweepLimits): void {
    const moved = this.moved;
    this.moved = false;
    if (this.closed) return;
    if (this.tunnel) {
      this.quietSweeps = moved ? 0 : this.quietSweeps + 1;
      if (this.quietSweeps >= limits.tunnel) this.abort();
      return;
    }
    if (this.inExchange) {
      this.quietSweeps = 0;
      this.headSweeps = 0;
      return;
    }
    if (this.pending !== undefined) {
      // A request head has started: it must end in time however slowly its bytes trickle in.
      this.headSweeps++;
      if (this.headSweeps >= limits.requestHead) {
        this.pending = undefined;
        this.closed = true;
        this.socket.end(localResponse(408, 'request head not received in time\n', true), 'latin1');
      }
      return;
    }
    this.headSweeps = 0;
    this.quietSweeps = moved ? 0 : this.quietSweeps + 1;
    if (this.quietSweeps >= limits.keepAlive) this.endClient();
  }

  private onClientEnd(): void {
    this.clientEnded = true;
    if (this.closed) return;
    if (!this.inExchange) {
      if (!this.processing) this.processPending();
      if (!this.inExchange && !this.closed) this.endClient();
    } else if (!this.reqDone) {
      // A tunnel passes the half-close on; a request body cut short cannot be completed.
      if (this.reqFramer.untilClose) this.upstream?.socket.end();
      else this.abort();
    } else this.closeAfter = true;
  }

  private endClient(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = undefined;
    this.socket.end();
  }

  /** Cuts both sides: the only honest signal once a response has started. */
  protected abort(): void {
    const conn = this.upstream;
    this.upstream = undefined;
    if (conn) conn.pool.release(conn, false);
    if (this.inExchange) this.dropExchange();
    this.closed = true;
    this.socket.destroy();
  }

  private onClientClose(): void {
    if (this.inExchange) {
      const conn = this.upstream;
      this.upstream = undefined;
      if (conn) conn.pool.release(conn, false);
      this.dropExchange();
    }
    this.closed = true;
    this.socket.destroy();
  }
}
