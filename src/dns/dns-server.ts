// The cluster DNS server: answers what the resolver knows (the cluster zone) with AA set, relays
// every other question to the upstream resolvers unchanged, over UDP and TCP on one address and
// port. Whatever arrives from the network, the worst outcome is a dropped packet or a closed
// connection: every handler catches, and socket 'error' events are logged, never thrown.
//
// An answer ending in a CNAME to a name outside the cluster (an ExternalName Service) is
// completed with the target's records from the upstream: external-alias-follower.ts.
//
// Classes: IN and ANY reach the resolver; any other class (CH, HS, NONE) gets REFUSED. Nothing
// in use resolves in those classes, and forwarding them would only hand clients a way to probe
// the upstream (version.bind CH TXT) through the node.
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIPv6, type Server, type Socket } from 'node:net';
import { componentLogger, type Logger } from '../lib/logger.js';
import type { DnsTransport } from './dns-forwarder.js';
import {
  DNS_TCP_MAX_SIZE,
  encodeDnsErrorResponse,
  encodeDnsResponse,
  maxUdpResponseSize,
  parseDnsQuery,
  peekDnsHeader,
  type DnsFormatErrorCode,
  type ParsedQuery,
} from './dns-message.js';
import { DNS_CLASS_IN, DNS_RCODE, DNS_TYPE, type DnsAnswer, type DnsResolver } from './dns-types.js';
import { ExternalAliasFollower } from './external-alias-follower.js';

/** What the server needs of dns-forwarder.ts: the raw upstream answer, or undefined. */
export interface DnsQueryForwarder {
  forward(query: Buffer, transport: DnsTransport): Promise<Buffer | undefined>;
}

export interface DnsServerOptions {
  readonly address: string;
  /** 0: any free port (the same one for UDP and TCP). */
  readonly port: number;
  readonly resolver: DnsResolver;
  /** Without one, names the resolver does not know get SERVFAIL. */
  readonly forwarder?: DnsQueryForwarder;
  readonly logger: Logger;
  /** A TCP connection with nothing to do is closed after this (default 10 s, as RFC 7766 suggests). */
  readonly tcpIdleMs?: number;
  /** Queries of one TCP connection in progress at once; reading pauses beyond (default 16). */
  readonly tcpMaxInFlight?: number;
}

/** Unread plus unsent bytes one TCP connection may hold; a client past it is cut off. */
const TCP_BUFFER_LIMIT = 256 * 1024;
/** port 0: how many free UDP ports are tried before giving up on finding one TCP has free too. */
const FREE_PORT_ATTEMPTS = 5;

export class DnsServer {
  readonly #options: DnsServerOptions;
  readonly #logger: Logger;
  readonly #aliases: ExternalAliasFollower;
  #udp: UdpSocket | undefined;
  #tcp: Server | undefined;
  readonly #connections = new Set<Socket>();

  constructor(options: DnsServerOptions) {
    this.#options = options;
    this.#logger = componentLogger(options.logger, 'dns-server');
    this.#aliases = new ExternalAliasFollower({
      resolver: options.resolver,
      forward: (query, transport) => this.#forward(query, transport),
      logger: this.#logger,
    });
  }

  /** Binds UDP and TCP. Rejects with the socket's own error (EADDRINUSE, EADDRNOTAVAIL, EACCES). */
  async listen(): Promise<{ address: string; port: number }> {
    if (this.#udp !== undefined) throw new Error('DNS server is already listening');
    const { address } = this.#options;
    for (let attempt = 1; ; attempt++) {
      const udp = createSocket(isIPv6(address) ? 'udp6' : 'udp4');
      await bindUdp(udp, address, this.#options.port);
      const { port } = udp.address();
      const tcp = createServer({ allowHalfOpen: true }, (connection) => this.#accept(connection));
      try {
        await listenTcp(tcp, address, port);
      } catch (error) {
        udp.close();
        // The free UDP port we got may be taken for TCP: try another one.
        const taken = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
        if (this.#options.port === 0 && taken && attempt < FREE_PORT_ATTEMPTS) continue;
        throw error;
      }
      udp.on('error', (error) => this.#logger.warn({ err: error }, 'DNS UDP socket error'));
      tcp.on('error', (error) => this.#logger.warn({ err: error }, 'DNS TCP server error'));
      udp.on('message', (message, peer) => void this.#serveDatagram(udp, message, peer));
      this.#udp = udp;
      this.#tcp = tcp;
      return { address: udp.address().address, port };
    }
  }

  /** Stops both sockets and cuts open TCP connections; answers still being worked out are dropped. */
  async close(): Promise<void> {
    const udp = this.#udp;
    const tcp = this.#tcp;
    this.#udp = undefined;
    this.#tcp = undefined;
    for (const connection of this.#connections) connection.destroy();
    await Promise.all([
      udp === undefined ? undefined : new Promise<void>((resolve) => udp.close(() => resolve())),
      tcp === undefined ? undefined : new Promise<void>((resolve) => tcp.close(() => resolve())),
    ]);
  }

  async #serveDatagram(udp: UdpSocket, message: Buffer, peer: RemoteInfo): Promise<void> {
    const response = await this.#respond(message, 'udp');
    // Closed meanwhile (or closed and listening again on a new socket): nobody to answer through.
    if (response === undefined || this.#udp !== udp) return;
    const notSent = (error: unknown): void => this.#logger.debug({ err: error }, 'DNS UDP answer not sent');
    try {
      udp.send(response, peer.port, peer.address, (error) => error && notSent(error));
    } catch (error) {
      notSent(error); // a rejection here would be unhandled: the process would end
    }
  }

  /** TCP (RFC 7766): length-prefixed messages, pipelined, answered as they are ready. */
  #accept(connection: Socket): void {
    const idleMs = this.#options.tcpIdleMs ?? 10_000;
    const maxInFlight = this.#options.tcpMaxInFlight ?? 16;
    this.#connections.add(connection);
    connection.on('close', () => this.#connections.delete(connection));
    connection.on('error', (error) => this.#logger.debug({ err: error }, 'DNS TCP connection failed'));
    connection.setNoDelay(true);
    let unread: Buffer = Buffer.alloc(0);
    let inFlight = 0;
    let ended = false;
    // The timer restarts on every read and write, so it only fires on a connection with nothing to do.
    connection.setTimeout(idleMs, () => {
      if (inFlight === 0) connection.destroy();
    });
    const serve = async (message: Buffer): Promise<void> => {
      const response = await this.#respond(message, 'tcp');
      inFlight--;
      try {
        if (response !== undefined && connection.writable) {
          const prefix = Buffer.alloc(2);
          prefix.writeUInt16BE(response.length);
          connection.write(Buffer.concat([prefix, response]));
          // A client that sends but never reads would make us hold its answers forever.
          if (connection.writableLength > TCP_BUFFER_LIMIT) connection.destroy();
        }
        pump();
      } catch (error) {
        this.#logger.debug({ err: error }, 'DNS TCP answer not sent');
        connection.destroy();
      }
    };
    const pump = (): void => {
      while (inFlight < maxInFlight && unread.length >= 2 && unread.length >= 2 + unread.readUInt16BE(0)) {
        const length = unread.readUInt16BE(0);
        const message = unread.subarray(2, 2 + length);
        unread = unread.subarray(2 + length);
        inFlight++;
        void serve(message);
      }
      if (inFlight >= maxInFlight) connection.pause();
      else connection.resume();
      // The client sent its last query and half-closed: close our side once all are answered.
      if (ended && inFlight === 0 && !connection.destroyed) connection.end();
    };
    connection.on('data', (chunk: Buffer) => {
      unread = unread.length === 0 ? chunk : Buffer.concat([unread, chunk]);
      if (unread.length > TCP_BUFFER_LIMIT) {
        this.#logger.debug({ bytes: unread.length }, 'DNS TCP client sent too much; closing');
        connection.destroy();
        return;
      }
      pump();
    });
    connection.on('end', () => {
      ended = true;
      pump();
    });
  }

  /** The answer to one message; undefined when there is nothing to send. Never rejects. */
  async #respond(message: Buffer, transport: DnsTransport): Promise<Buffer | undefined> {
    try {
      return await this.#answer(message, transport);
    } catch (error) {
      this.#logger.error({ err: error, transport }, 'DNS query failed');
      return encodeDnsErrorResponse(message, DNS_RCODE.SERVFAIL);
    }
  }

  async #answer(message: Buffer, transport: DnsTransport): Promise<Buffer | undefined> {
    const header = peekDnsHeader(message);
    // No header: no id to answer with. A response: answering it is how two servers loop forever.
    if (header === undefined || header.qr) return undefined;
    if (header.opcode !== 0) return encodeDnsErrorResponse(message, DNS_RCODE.NOTIMP);
    let query: ParsedQuery;
    try {
      query = parseDnsQuery(message);
    } catch (error) {
      this.#logger.debug({ transport, code: (error as { code?: DnsFormatErrorCode }).code }, 'malformed DNS query');
      return encodeDnsErrorResponse(message, DNS_RCODE.FORMERR);
    }
    const maxSize = transport === 'tcp' ? DNS_TCP_MAX_SIZE : maxUdpResponseSize(query);
    const reply = (rcode: number, answer?: DnsAnswer, truncated = false): Buffer => {
      const sections = answer === undefined ? {} : { answers: answer.answers, authorities: answer.authorities, additionals: answer.additionals };
      // AA stays set when an external alias was completed: it speaks for the first owner name
      // of the answer (RFC 1035 4.1.1), the alias, which is ours.
      const response = encodeDnsResponse({ query, rcode, authoritative: answer !== undefined, maxSize, truncated, ...sections });
      this.#logger.debug({ transport, name: query.questions[0]?.name, type: query.questions[0]?.type, rcode }, 'DNS query answered');
      return response;
    };
    const question = query.questions[0];
    if (question === undefined || query.questions.length > 1) {
      // Nobody sends several questions (RFC 9619); echoing them all could overflow 512 bytes.
      return encodeDnsResponse({ query: { ...query, questions: [] }, rcode: DNS_RCODE.FORMERR, authoritative: false, maxSize });
    }
    if (question.class !== DNS_CLASS_IN && question.class !== DNS_TYPE.ANY) return reply(DNS_RCODE.REFUSED);
    let answer: DnsAnswer | undefined;
    try {
      answer = this.#options.resolver.answer(question);
    } catch (error) {
      this.#logger.error({ err: error, name: question.name, type: question.type }, 'cluster DNS cannot answer');
      return reply(DNS_RCODE.SERVFAIL);
    }
    if (answer !== undefined) {
      const followed = await this.#aliases.follow(question, answer, { transport, cd: query.flags.cd });
      return reply(followed.answer.rcode, followed.answer, followed.truncated);
    }
    const forwarded = await this.#forward(message, transport);
    if (forwarded !== undefined) {
      this.#logger.debug({ transport, name: question.name, type: question.type }, 'DNS query forwarded');
      return forwarded;
    }
    return reply(DNS_RCODE.SERVFAIL);
  }

  async #forward(message: Buffer, transport: DnsTransport): Promise<Buffer | undefined> {
    const { forwarder } = this.#options;
    if (forwarder === undefined) return undefined;
    try {
      return await forwarder.forward(message, transport);
    } catch (error) {
      this.#logger.warn({ err: error }, 'DNS forwarder failed');
      return undefined;
    }
  }
}

function bindUdp(udp: UdpSocket, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error): void => {
      // The socket is unusable after a failed bind; closing it frees the handle.
      try {
        udp.close();
      } catch {
        // Already closed.
      }
      reject(error);
    };
    udp.once('error', fail);
    udp.bind({ address, port }, () => {
      udp.off('error', fail);
      resolve();
    });
  });
}

function listenTcp(tcp: Server, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen({ host: address, port }, () => {
      tcp.off('error', reject);
      resolve();
    });
  });
}
