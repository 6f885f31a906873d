// One gateway data-plane process (or, in tests, an in-process instance): owns the listeners, the
// upstream pools, the backend picker and the metrics recorder, and swaps route tables atomically.
// A table swap replaces the per-listener routing in one assignment; connections read it at the
// start of each request, so in-flight requests finish on the table they started with. The TLS
// certificates of HTTPS ports swap with the table too: new handshakes use the new ones.
import type { Socket } from 'node:net';
import type { Logger } from '../../lib/logger.js';
import { BackendMetricsRecorder } from './backend-metrics.js';
import { BackendPicker, type BackendPickerOptions } from './backend-picker.js';
import { DEFAULT_IDLE_TIMEOUTS, sweepLimits, type IdleTimeouts, type SweepLimits } from './idle-timeouts.js';
import { ListenerSet, type ListenerUpdate } from './listener-set.js';
import { PortCertificates } from './port-certificates.js';
import { ProxyConnection } from './proxy-connection.js';
import type { ListenerRouting, ProxyContext } from './proxy-context.js';
import { compileRouteMatcher } from './route-matcher.js';
import type { GatewayEndpoint, RouteTable } from './route-table.js';
import { UpstreamPool, type EndpointPool, type UpstreamPoolOptions } from './upstream-pool.js';

export interface GatewayWorkerOptions {
  /** Address the listeners bind. */
  readonly address: string;
  readonly logger: Logger;
  readonly picker?: BackendPickerOptions;
  readonly pool?: UpstreamPoolOptions;
  /** Limits for client connections that make no progress (defaults: DEFAULT_IDLE_TIMEOUTS). */
  readonly idle?: Partial<IdleTimeouts>;
}

export interface ApplyResult extends ListenerUpdate {
  readonly version: number;
}

export class GatewayWorker implements ProxyContext {
  readonly picker: BackendPicker;
  readonly metrics = new BackendMetricsRecorder();
  readonly logger: Logger;
  private readonly pool: UpstreamPool;
  private readonly listeners: ListenerSet;
  private readonly certificates = new PortCertificates();
  private routes = new Map<number, ListenerRouting>();
  private pools = new WeakMap<GatewayEndpoint, EndpointPool>();
  /** Open client connections, by the socket they read from. */
  private readonly connections = new Map<Socket, ProxyConnection>();
  private readonly idleLimits: SweepLimits;
  private readonly sweepTimer: NodeJS.Timeout;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private version = -1;

  constructor(options: GatewayWorkerOptions) {
    this.logger = options.logger;
    this.picker = new BackendPicker(options.picker ?? {});
    this.pool = new UpstreamPool(options.pool ?? {});
    this.listeners = new ListenerSet({
      address: options.address,
      logger: options.logger,
      certificates: this.certificates,
      onConnection: (socket, port, secure) => this.accept(socket, port, secure),
    });
    const idle = { ...DEFAULT_IDLE_TIMEOUTS, ...options.idle };
    this.idleLimits = sweepLimits(idle);
    this.sweepTimer = setInterval(() => this.sweepIdle(), idle.sweepMs);
    this.sweepTimer.unref();
  }

  get tableVersion(): number {
    return this.version;
  }

  get boundPorts(): readonly number[] {
    return this.listeners.ports;
  }

  get exchangesInFlight(): number {
    return this.inFlight;
  }

  get idleUpstreamConnections(): number {
    return this.pool.idleConnections;
  }

  /**
   * Switches to `table`: compiles its matchers, swaps them in, retires upstream pools of endpoints
   * that left, and binds/unbinds listener ports. An older version than the current is ignored.
   * Throws (keeping the old table) when the table cannot be compiled.
   */
  async applyTable(table: RouteTable): Promise<ApplyResult> {
    if (table.version < this.version) return { version: this.version, bound: [], failed: this.listeners.failures };
    const matcher = compileRouteMatcher(table);
    const routes = new Map<number, ListenerRouting>();
    const live = new Set<string>();
    for (const listener of table.listeners) {
      const listenerMatcher = matcher.listener(listener.port);
      if (listenerMatcher === undefined) continue;
      routes.set(listener.port, { matcher: listenerMatcher });
      for (const rule of listener.rules) {
        for (const backend of rule.backends) for (const e of backend.endpoints) live.add(`${e.address}:${e.port}`);
      }
    }
    this.routes = routes;
    this.pools = new WeakMap();
    this.version = table.version;
    this.pool.retainOnly(live);
    for (const { port, hostname } of this.certificates.update(table.listeners)) {
      this.logger.warn({ port, hostname }, 'cannot load a gateway HTTPS certificate; it is not served');
    }
    const update = await this.listeners.update(table.listeners.map((listener) => listener.port));
    return { version: table.version, ...update };
  }

  routing(port: number): ListenerRouting | undefined {
    return this.routes.get(port);
  }

  poolFor(endpoint: GatewayEndpoint): EndpointPool {
    let pool = this.pools.get(endpoint);
    if (pool === undefined) {
      pool = this.pool.endpoint(endpoint.address, endpoint.port);
      this.pools.set(endpoint, pool);
    }
    return pool;
  }

  exchangeStarted(): void {
    this.inFlight++;
  }

  exchangeEnded(): void {
    this.inFlight--;
    if (this.inFlight === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  private accept(accepted: Socket, port: number, secure: boolean): void {
    // The connection may move the accepted connection into another Socket: track that one.
    const connection = new ProxyConnection(accepted, port, this, secure);
    const socket = connection.clientSocket;
    this.connections.set(socket, connection);
    socket.once('close', () => this.connections.delete(socket));
  }

  private sweepIdle(): void {
    for (const connection of this.connections.values()) connection.sweep(this.idleLimits);
  }

  /**
   * Stops accepting, lets in-flight exchanges finish (at most `graceMs`), then closes every
   * connection and the upstream pools.
   */
  async close(graceMs = 10_000): Promise<void> {
    clearInterval(this.sweepTimer);
    await this.listeners.close();
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        timer.unref();
        this.idleWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    for (const socket of this.connections.keys()) socket.destroy();
    this.connections.clear();
    this.pool.close();
  }
}
