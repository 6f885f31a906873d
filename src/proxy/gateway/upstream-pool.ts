// Keep-alive connections to upstream endpoints, one idle stack per endpoint (`address:port`).
// Reusing a warm connection saves a TCP handshake and a socket per request; the stack is LIFO so
// the warmest sockets are reused and the coldest time out. Each socket gets its listeners once, at
// creation, and forwards events to whoever currently owns it (an exchange, or the pool while idle),
// so a request costs no listener churn.

// Imported rather than the global: a module binding avoids a global lookup per read.
import { Buffer } from 'node:buffer';
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/** What an exchange implements to hear about the upstream connection it owns. */
export interface UpstreamHandler {
  /** `chunk` is a view of the connection's read buffer: copy it, or call conn.lend(), to keep it. */
  onUpstreamData(conn: UpstreamConnection, chunk: Buffer): void;
  /** The upstream closed or failed; `error` is undefined for a clean FIN. */
  onUpstreamGone(conn: UpstreamConnection, error: NodeJS.ErrnoException | undefined): void;
  onUpstreamDrain(conn: UpstreamConnection): void;
}

/** Bytes read from an upstream at a time (into a buffer reused across reads). */
const READ_BUFFER_BYTES = 64 * 1024;

export class UpstreamConnection {
  readonly socket: Socket;
  readonly pool: EndpointPool;
  owner: UpstreamHandler | undefined;
  /** Some request was already sent on it: a failure may mean "closed while idle" (stale). */
  reused = false;
  connected = false;
  gone = false;
  idleSince = 0;
  /**
   * Reads land in `readBuffer` (Node's `onread` option: no Buffer allocation and no stream
   * machinery per read). The chunk handed to the owner is a view of it, valid only during the
   * call; an owner that keeps the bytes (a write to the client that did not complete at once)
   * calls lend(), and the next read goes to a fresh buffer instead.
   */
  private readBuffer: Buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  private lent = false;

  constructor(pool: EndpointPool) {
    this.pool = pool;
    const socket = connect({
      host: pool.address,
      port: pool.port,
      noDelay: true,
      onread: {
        buffer: () => this.nextReadBuffer(),
        callback: (bytes: number, buf: Uint8Array) => this.onRead(bytes, buf),
      },
    });
    this.socket = socket;
    socket.on('connect', () => {
      this.connected = true;
    });
    socket.on('drain', () => this.owner?.onUpstreamDrain(this));
    socket.on('end', () => this.lost(undefined));
    socket.on('error', (error: NodeJS.ErrnoException) => this.lost(error));
    socket.on('close', () => this.lost(undefined));
  }

  /** The chunk last handed to the owner stays referenced (e.g. by a pending write). */
  lend(): void {
    this.lent = true;
  }

  private nextReadBuffer(): Buffer {
    if (this.lent) {
      this.lent = false;
      this.readBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
    }
    return this.readBuffer;
  }

  private onRead(bytes: number, buf: Uint8Array): boolean {
    const chunk = Buffer.from(buf.buffer, buf.byteOffset, bytes);
    if (this.owner) this.owner.onUpstreamData(this, chunk);
    else this.pool.dropIdle(this); // an idle socket must not speak: close it
    return true;
  }

  private lost(error: NodeJS.ErrnoException | undefined): void {
    if (this.gone) return;
    this.gone = true;
    this.socket.destroy();
    const owner = this.owner;
    this.owner = undefined;
    if (owner) owner.onUpstreamGone(this, error);
    else this.pool.dropIdle(this);
  }
}

export interface UpstreamPoolOptions {
  /** Idle connections kept per endpoint (default 128). */
  readonly maxIdlePerEndpoint?: number;
  /**
   * Idle connections older than this are closed (default 4 s: below Node's 5 s keepAliveTimeout,
   * so we close first and rarely meet a connection the upstream is closing).
   */
  readonly idleTimeoutMs?: number;
}

/** The idle connections of one endpoint. */
export class EndpointPool {
  readonly address: string;
  readonly port: number;
  private readonly idle: UpstreamConnection[] = [];
  private readonly owner: UpstreamPool;
  /** The endpoint left the table: connections are closed when released. */
  retired = false;

  constructor(address: string, port: number, owner: UpstreamPool) {
    this.address = address;
    this.port = port;
    this.owner = owner;
  }

  get idleCount(): number {
    return this.idle.length;
  }

  /** A connection for `handler`: the most recently used idle one (unless `fresh`), else a new one. */
  acquire(handler: UpstreamHandler, fresh = false): UpstreamConnection {
    let conn = fresh ? undefined : this.idle.pop();
    while (conn && conn.gone) conn = this.idle.pop();
    if (conn) {
      conn.owner = handler;
      conn.reused = true;
      return conn;
    }
    conn = new UpstreamConnection(this);
    conn.owner = handler;
    return conn;
  }

  /**
   * Back to the stack if it may carry another request, else closed. `now` is performance.now()
   * when the caller has just read it (saves a clock read per request).
   */
  release(conn: UpstreamConnection, reusable: boolean, now?: number): void {
    conn.owner = undefined;
    if (!reusable || conn.gone || this.retired || this.idle.length >= this.owner.maxIdlePerEndpoint) {
      conn.gone = true;
      conn.socket.destroy();
      return;
    }
    conn.idleSince = now ?? performance.now();
    this.idle.push(conn);
  }

  dropIdle(conn: UpstreamConnection): void {
    conn.gone = true;
    conn.socket.destroy();
    const index = this.idle.indexOf(conn);
    if (index >= 0) this.idle.splice(index, 1);
  }

  /** Closes idle connections idle since before `cutoff` (performance.now() time). */
  sweep(cutoff: number): void {
    // Oldest are at the bottom of the stack.
    let drop = 0;
    while (drop < this.idle.length && (this.idle[drop]?.idleSince ?? 0) < cutoff) drop++;
    for (const conn of this.idle.splice(0, drop)) {
      conn.gone = true;
      conn.socket.destroy();
    }
  }

  closeIdle(): void {
    for (const conn of this.idle.splice(0)) {
      conn.gone = true;
      conn.socket.destroy();
    }
  }
}

/** All endpoint pools of one worker. */
export class UpstreamPool {
  readonly maxIdlePerEndpoint: number;
  private readonly idleTimeoutMs: number;
  private readonly pools = new Map<string, EndpointPool>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(options: UpstreamPoolOptions = {}) {
    this.maxIdlePerEndpoint = options.maxIdlePerEndpoint ?? 128;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 4000;
    this.sweeper = setInterval(() => this.sweep(), Math.max(100, Math.min(1000, this.idleTimeoutMs / 4)));
    this.sweeper.unref();
  }

  /** The pool of `address:port`, created on first use. */
  endpoint(address: string, port: number): EndpointPool {
    const key = `${address}:${port}`;
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new EndpointPool(address, port, this);
      this.pools.set(key, pool);
    }
    return pool;
  }

  /**
   * Keeps only the pools of `live` endpoints (`address:port` keys); the others close their idle
   * connections now and their busy ones when released, so in-flight requests to an endpoint that
   * left the table (a terminating pod) still complete.
   */
  retainOnly(live: ReadonlySet<string>): void {
    for (const [key, pool] of this.pools) {
      if (live.has(key)) continue;
      pool.retired = true;
      pool.closeIdle();
      this.pools.delete(key);
    }
  }

  get idleConnections(): number {
    let total = 0;
    for (const pool of this.pools.values()) total += pool.idleCount;
    return total;
  }

  private sweep(): void {
    const cutoff = performance.now() - this.idleTimeoutMs;
    for (const pool of this.pools.values()) pool.sweep(cutoff);
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const pool of this.pools.values()) {
      pool.retired = true;
      pool.closeIdle();
    }
    this.pools.clear();
  }
}
