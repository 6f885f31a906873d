// The gateway's listening ports, following the route table: ports that appear are bound, ports
// that disappear stop accepting (their open connections finish on their own). In a cluster worker
// `listen` goes through the primary, which shares one listening socket among the workers.
// An HTTPS port (PortCertificates knows which) gets a TLS server whose SNICallback reads the
// current certificates at each handshake: new certificates reach new connections without a
// rebind. A port that changes between HTTP and HTTPS is closed and bound again.
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import type { Logger } from '../../lib/logger.js';
import type { PortCertificates } from './port-certificates.js';
import type { TlsCertificate } from './route-table.js';

export interface ListenerSetOptions {
  /** Address to bind (the server's --gateway-address). */
  readonly address: string;
  readonly logger: Logger;
  /** Which ports are HTTPS, with their certificates (none: every port is HTTP). */
  readonly certificates?: PortCertificates;
  /**
   * A plain connection is paused: whoever takes it resumes it (ClientConnection does). A `secure`
   * one is a TLSSocket after its handshake.
   */
  onConnection(socket: Socket, port: number, secure: boolean): void;
}

interface BoundServer {
  readonly server: Server;
  /** TLS: the default certificate the server has now. */
  fallback?: TlsCertificate;
}

export interface ListenerUpdate {
  readonly bound: readonly number[];
  readonly failed: readonly { readonly port: number; readonly code: string }[];
}

export class ListenerSet {
  private readonly options: ListenerSetOptions;
  private readonly servers = new Map<number, BoundServer>();
  /** Wanted ports whose last bind failed, with the errno code: retried on the next update. */
  private readonly failed = new Map<number, string>();

  constructor(options: ListenerSetOptions) {
    this.options = options;
  }

  /** Ports currently bound. */
  get ports(): readonly number[] {
    return [...this.servers.keys()].sort((a, b) => a - b);
  }

  /** Wanted ports that are not bound, with the code of their last bind error. */
  get failures(): ListenerUpdate['failed'] {
    return [...this.failed].map(([port, code]) => ({ port, code }));
  }

  /**
   * Binds the ports in `wanted` that are not bound (those that failed before are tried again),
   * unbinds the others. `failed` lists every wanted port left unbound.
   */
  async update(wanted: readonly number[]): Promise<ListenerUpdate> {
    const want = new Set(wanted);
    for (const port of this.failed.keys()) if (!want.has(port)) this.failed.delete(port);
    const closing: Promise<void>[] = [];
    for (const [port, bound] of this.servers) {
      const secure = this.options.certificates?.isSecure(port) ?? false;
      if (want.has(port) && secure === isTls(bound.server)) {
        if (secure) this.refreshFallback(port, bound);
        continue;
      }
      this.servers.delete(port);
      closing.push(closeServer(bound.server));
    }
    // A port moving between HTTP and HTTPS is rebound only once its old server stopped listening.
    await Promise.all(closing);
    const bound: number[] = [];
    const failed: { port: number; code: string }[] = [];
    await Promise.all(
      [...want].filter((port) => !this.servers.has(port)).map(async (port) => {
        try {
          this.servers.set(port, await this.bind(port));
          this.failed.delete(port);
          bound.push(port);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code ?? 'UNKNOWN';
          // The supervisor retries every few seconds: warn once per port and error, not per retry.
          const repeated = this.failed.get(port) === code;
          this.failed.set(port, code);
          failed.push({ port, code });
          this.options.logger[repeated ? 'debug' : 'warn']({ port, address: this.options.address, code }, 'cannot bind gateway listener');
        }
      }),
    );
    return { bound, failed };
  }

  /** Gives a TLS server the port's current default certificate when it changed. */
  private refreshFallback(port: number, bound: BoundServer): void {
    const fallback = this.options.certificates?.fallbackCertificate(port);
    if (fallback === undefined || fallback === bound.fallback) return;
    if (bound.fallback !== undefined && fallback.certPem === bound.fallback.certPem && fallback.keyPem === bound.fallback.keyPem) return;
    try {
      (bound.server as TlsServer).setSecureContext({ cert: fallback.certPem, key: fallback.keyPem });
      bound.fallback = fallback;
    } catch {
      // Never log the error itself: its text may quote key material.
      this.options.logger.warn({ port }, 'cannot load the default certificate of a gateway HTTPS listener');
    }
  }

  private bind(port: number): Promise<BoundServer> {
    return new Promise((resolve, reject) => {
      const certificates = this.options.certificates;
      const fallback = certificates?.fallbackCertificate(port);
      // allowHalfOpen: a client that sends its request and shuts down its side still gets the answer.
      // pauseOnConnect: nothing is read before the connection decides how to read
      // (client-socket-reads.ts); it resumes the socket itself otherwise. Not for TLS: the
      // handshake must read at once.
      const server: Server = certificates !== undefined && fallback !== undefined
        ? createTlsServer({
          allowHalfOpen: true,
          noDelay: true,
          cert: fallback.certPem,
          key: fallback.keyPem,
          SNICallback: (serverName, done) => done(null, certificates.select(port, serverName)),
        }, (socket) => this.options.onConnection(socket, port, true))
          .on('tlsClientError', (error: NodeJS.ErrnoException) => this.options.logger.debug({ port, code: error.code }, 'gateway TLS handshake failed'))
        : createServer({ allowHalfOpen: true, noDelay: true, pauseOnConnect: true }, (socket) => this.options.onConnection(socket, port, false));
      const onError = (error: Error) => reject(error);
      server.once('error', onError);
      server.listen({ port, host: this.options.address, backlog: 4096 }, () => {
        server.off('error', onError);
        server.on('error', (error) => this.options.logger.warn({ err: error, port }, 'gateway listener error'));
        resolve(fallback !== undefined && isTls(server) ? { server, fallback } : { server });
      });
    });
  }

  /** Stops accepting on every port. */
  async close(): Promise<void> {
    const servers = [...this.servers.values()];
    this.servers.clear();
    await Promise.all(servers.map((bound) => closeServer(bound.server)));
  }
}

function isTls(server: Server): boolean {
  return 'setSecureContext' in server;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    // close() resolves only when all connections ended; we only need "not accepting", which is
    // immediate, so do not wait for keep-alive clients here.
    server.close();
    resolve();
  });
}
