// The gateway's listening ports, following the route table: ports that appear are bound, ports
// that disappear stop accepting (their open connections finish on their own). In a cluster worker
// `listen` goes through the primary, which shares one listening socket among the workers.
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '../../lib/logger.js';

export interface ListenerSetOptions {
  /** Address to bind (the server's --gateway-address). */
  readonly address: string;
  readonly logger: Logger;
  /** `socket` is paused: whoever takes it resumes it (ClientConnection does). */
  onConnection(socket: Socket, port: number): void;
}

export interface ListenerUpdate {
  readonly bound: readonly number[];
  readonly failed: readonly { readonly port: number; readonly code: string }[];
}

export class ListenerSet {
  private readonly options: ListenerSetOptions;
  private readonly servers = new Map<number, Server>();
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
    for (const [port, server] of this.servers) {
      if (want.has(port)) continue;
      this.servers.delete(port);
      closing.push(closeServer(server));
    }
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
    await Promise.all(closing);
    return { bound, failed };
  }

  private bind(port: number): Promise<Server> {
    return new Promise((resolve, reject) => {
      // allowHalfOpen: a client that sends its request and shuts down its side still gets the answer.
      // pauseOnConnect: nothing is read before the connection decides how to read
      // (client-socket-reads.ts); it resumes the socket itself otherwise.
      const server = createServer({ allowHalfOpen: true, noDelay: true, pauseOnConnect: true }, (socket) => this.options.onConnection(socket, port));
      const onError = (error: Error) => reject(error);
      server.once('error', onError);
      server.listen({ port, host: this.options.address, backlog: 4096 }, () => {
        server.off('error', onError);
        server.on('error', (error) => this.options.logger.warn({ err: error, port }, 'gateway listener error'));
        resolve(server);
      });
    });
  }

  /** Stops accepting on every port. */
  async close(): Promise<void> {
    const servers = [...this.servers.values()];
    this.servers.clear();
    await Promise.all(servers.map(closeServer));
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    // close() resolves only when all connections ended; we only need "not accepting", which is
    // immediate, so do not wait for keep-alive clients here.
    server.close();
    resolve();
  });
}
