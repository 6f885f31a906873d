// Sends the queries the cluster zone does not answer to the node's own resolvers and hands back
// their raw answers, which the server relays unchanged (no parsing, no caching: the upstream's
// answer, TTLs and flags are what the client sees).
//
// One fresh UDP socket per attempt: the kernel picks a random source port for each, which together
// with the 16-bit id is the spoofing protection RFC 5452 asks for, and a connected socket only
// ever receives datagrams from the upstream it asked. A shared socket would need our own id
// rewriting and port randomization to be as safe. TCP (RFC 1035 4.2.2, 2-byte length prefix) is
// used when the client itself came over TCP, usually after a truncated UDP answer.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { Socket as TcpSocket, connect, isIPv6 } from 'node:net';
import type { Logger } from '../lib/logger.js';

export type DnsTransport = 'udp' | 'tcp';

export interface DnsUpstream {
  readonly host: string;
  /** Default 53. */
  readonly port?: number;
}

export interface DnsForwarderOptions {
  /** Tried in order until one answers. */
  readonly upstreams: readonly DnsUpstream[];
  /** Per upstream attempt (default 2000). */
  readonly timeoutMs?: number;
  /** Attempts running at once (default 1000); past it a query fails at once (a socket each). */
  readonly maxInFlight?: number;
  readonly logger?: Logger;
}

export class DnsForwarder {
  readonly #upstreams: readonly DnsUpstream[];
  readonly #timeoutMs: number;
  readonly #maxInFlight: number;
  readonly #logger: Logger | undefined;
  /** Ends every running attempt; what close() calls. */
  readonly #running = new Set<() => void>();
  #closed = false;

  constructor(options: DnsForwarderOptions) {
    this.#upstreams = options.upstreams;
    this.#timeoutMs = options.timeoutMs ?? 2_000;
    this.#maxInFlight = options.maxInFlight ?? 1_000;
    this.#logger = options.logger;
  }

  /** The first upstream answer with the query's id; undefined when none answers (or closed or aborted). */
  async forward(query: Buffer, transport: DnsTransport, signal?: AbortSignal): Promise<Buffer | undefined> {
    if (query.length < 2 || query.length > 0xffff) return undefined;
    for (const upstream of this.#upstreams) {
      if (this.#closed || signal?.aborted === true) return undefined;
      if (this.#running.size >= this.#maxInFlight) {
        this.#logger?.debug({ inFlight: this.#running.size }, 'too many forwarded queries; not forwarding');
        return undefined;
      }
      const response = await this.#attempt(upstream, query, transport, signal);
      if (response !== undefined) return response;
    }
    return undefined;
  }

  /** Ends every forwarded query now (they give undefined); later ones give undefined at once. */
  close(): void {
    this.#closed = true;
    for (const stop of [...this.#running]) stop();
  }

  #attempt(upstream: DnsUpstream, query: Buffer, transport: DnsTransport, signal: AbortSignal | undefined): Promise<Buffer | undefined> {
    const port = upstream.port ?? 53;
    const id = query.readUInt16BE(0);
    return new Promise((resolve) => {
      let socket: UdpSocket | TcpSocket | undefined;
      const finish = (response: Buffer | undefined, problem?: unknown): void => {
        if (!this.#running.delete(stop)) return;
        clearTimeout(timer);
        signal?.removeEventListener('abort', stop);
        if (socket !== undefined) closeSocket(socket);
        if (response === undefined && problem !== undefined) {
          this.#logger?.debug({ host: upstream.host, port, transport, problem: describe(problem) }, 'upstream did not answer');
        }
        resolve(response);
      };
      const timer = setTimeout(() => finish(undefined, 'timeout'), this.#timeoutMs);
      const stop = (): void => finish(undefined);
      this.#running.add(stop);
      signal?.addEventListener('abort', stop, { once: true });
      // A datagram or frame with another id is late or forged: ignored, the timer keeps running.
      const accept = (message: Buffer): void => {
        if (message.length >= 12 && message.readUInt16BE(0) === id && (message.readUInt8(2) & 0x80) !== 0) finish(message);
      };
      try {
        socket = transport === 'udp' ? udpAttempt(upstream.host, port, query, accept, finish) : tcpAttempt(upstream.host, port, query, accept, finish);
      } catch (error) {
        finish(undefined, error);
      }
    });
  }
}

function udpAttempt(host: string, port: number, query: Buffer, accept: (message: Buffer) => void, fail: (response: undefined, problem: unknown) => void): UdpSocket {
  const socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
  socket.on('error', (error) => fail(undefined, error));
  socket.on('message', accept);
  socket.once('connect', () => {
    socket.send(query, (error) => {
      if (error) fail(undefined, error);
    });
  });
  // Connected: the kernel drops datagrams from anyone but the upstream. No callback, so that a
  // failed connect comes as an 'error' event (a callback would get it instead).
  socket.connect(port, host);
  return socket;
}

function tcpAttempt(host: string, port: number, query: Buffer, accept: (message: Buffer) => void, fail: (response: undefined, problem: unknown) => void): TcpSocket {
  const socket = connect({ host, port });
  const prefix = Buffer.alloc(2);
  prefix.writeUInt16BE(query.length);
  socket.on('error', (error) => fail(undefined, error));
  socket.on('close', () => fail(undefined, 'connection closed'));
  socket.on('connect', () => socket.write(Buffer.concat([prefix, query])));
  let pending = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    // Frames are at most 2 + 65535 bytes, so pending stays bounded as long as we consume them.
    while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
      const length = pending.readUInt16BE(0);
      accept(pending.subarray(2, 2 + length));
      pending = pending.subarray(2 + length);
    }
  });
  return socket;
}

function closeSocket(socket: UdpSocket | TcpSocket): void {
  if (socket instanceof TcpSocket) {
    socket.destroy();
    return;
  }
  try {
    socket.close();
  } catch {
    // Already closed (ERR_SOCKET_DGRAM_NOT_RUNNING): nothing left to free.
  }
}

function describe(problem: unknown): string {
  if (typeof problem === 'string') return problem;
  return (problem as NodeJS.ErrnoException).code ?? String(problem);
}
