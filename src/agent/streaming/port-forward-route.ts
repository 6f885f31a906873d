// The agent's port-forward endpoint, what kubelet's /portForward is for the API server
// (kubectl-wire §3.16):
//   GET  /portForward/<namespace>/<pod>  Upgrade: websocket, Sec-WebSocket-Protocol: SPDY/3.1+portforward.k8s.io
//        (kubectl 1.32's first try: SPDY/3.1 bytes inside WebSocket binary messages)
//   POST /portForward/<namespace>/<pod>  Upgrade: SPDY/3.1, X-Stream-Protocol-Version: portforward.k8s.io
//        (the fallback: SPDY/3.1 straight on the connection)
// (kubelet's /portForward/<namespace>/<pod>/<uid> form is accepted too; the uid is unused.)
// Either way kubectl opens, per local connection, an "error" and a "data" stream with the same
// `requestid` and the pod `port`; the data stream is piped to a connection the runtime opens inside
// the pod's network namespace. When that fails, the reason is written on the error stream (kubectl
// prints `an error occurred forwarding L -> P: <reason>`). Both streams are ended when the
// forwarded connection is over.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { NotFoundError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { SpdySession } from '../../lib/spdy/spdy-session.js';
import type { SpdyStream } from '../../lib/spdy/spdy-stream.js';
import { acceptWebSocket, isWebSocketUpgrade, offeredSubprotocols } from '../../lib/spdy/websocket-duplex.js';
import type { AgentRoute } from '../logs/log-server.js';
import type { ContainerRuntime, SandboxStatus } from '../runtime/runtime.js';
import type { PodLocator } from './pod-locator.js';

export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
/** The WebSocket subprotocol kubectl offers for the SPDY tunnel. */
export const PORT_FORWARD_TUNNEL_PROTOCOL = `SPDY/3.1+${PORT_FORWARD_PROTOCOL}`;

export interface PortForwardRouteOptions {
  readonly runtime: ContainerRuntime;
  readonly locator: PodLocator;
  readonly logger: Logger;
}

export interface PortForwardRoute extends AgentRoute {
  /** Ends every open port-forward connection (agent shutdown). */
  close(): void;
}

/** namespace and pod of a /portForward URL, or undefined when the path is another route's. */
export function parsePortForwardPath(pathname: string): { namespace: string; pod: string } | undefined {
  const parts = pathname.split('/');
  if (parts[1] !== 'portForward' || (parts.length !== 4 && parts.length !== 5)) return undefined;
  const [namespace, pod] = [parts[2], parts[3]].map((p) => decodeURIComponent(p ?? ''));
  if (!namespace || !pod) return undefined;
  return { namespace, pod };
}

function refuse(socket: Duplex, code: number, reason: string, text: string): void {
  socket.end(`HTTP/1.1 ${code} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
}

function headerValues(req: IncomingMessage, name: string): string[] {
  const value = req.headers[name];
  const text = Array.isArray(value) ? value.join(',') : value ?? '';
  return text.split(',').map((p) => p.trim()).filter((p) => p !== '');
}

export function createPortForwardRoute(options: PortForwardRouteOptions): PortForwardRoute {
  const logger = options.logger.child({ component: 'port-forward' });
  const sessions = new Set<SpdySession>();

  async function serve(req: IncomingMessage, socket: Duplex, head: Buffer, target: { namespace: string; pod: string }): Promise<void> {
    const websocket = isWebSocketUpgrade(req);
    if (websocket && !offeredSubprotocols(req).includes(PORT_FORWARD_TUNNEL_PROTOCOL)) {
      refuse(socket, 400, 'Bad Request', `unable to upgrade: no supported subprotocol offered (want ${PORT_FORWARD_TUNNEL_PROTOCOL})`);
      return;
    }
    if (!websocket) {
      if ((req.headers.upgrade ?? '').toLowerCase() !== 'spdy/3.1') {
        refuse(socket, 400, 'Bad Request', 'unable to upgrade: missing upgrade headers in request');
        return;
      }
      if (!headerValues(req, 'x-stream-protocol-version').includes(PORT_FORWARD_PROTOCOL)) {
        refuse(socket, 403, 'Forbidden', `unable to upgrade: unable to negotiate protocol: client supports ${JSON.stringify(headerValues(req, 'x-stream-protocol-version'))}, server supports ["${PORT_FORWARD_PROTOCOL}"]`);
        return;
      }
    }
    let sandbox: SandboxStatus;
    try {
      sandbox = await options.locator.sandbox(target.namespace, target.pod);
    } catch (error) {
      if (error instanceof NotFoundError) refuse(socket, 404, 'Not Found', error.message);
      else refuse(socket, 500, 'Internal Server Error', error instanceof Error ? error.message : String(error));
      return;
    }
    if (socket.destroyed) return;
    let transport: Duplex;
    if (websocket) {
      transport = acceptWebSocket(req, socket, head, PORT_FORWARD_TUNNEL_PROTOCOL);
    } else {
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${PORT_FORWARD_PROTOCOL}\r\n\r\n`);
      if (head.length > 0) socket.unshift(head);
      transport = socket;
    }
    const forwarder = new PairForwarder({ runtime: options.runtime, sandbox, target, logger });
    const session = new SpdySession({ transport, role: 'server', onStream: (stream) => forwarder.add(stream), logger });
    sessions.add(session);
    void session.closed.then(() => sessions.delete(session));
    logger.debug({ namespace: target.namespace, pod: target.pod, websocket }, 'port-forward connection');
  }

  return {
    upgrade(req, socket, head, url) {
      const target = parsePortForwardPath(url.pathname);
      if (!target) return false;
      socket.on('error', () => socket.destroy());
      serve(req, socket, head, target).catch((error: unknown) => {
        logger.warn({ err: error }, 'port-forward upgrade failed');
        if (!socket.destroyed) socket.destroy();
      });
      return true;
    },
    close() {
      for (const session of sessions) session.destroy();
      sessions.clear();
    },
  };
}

interface StreamPair {
  error?: SpdyStream;
  data?: SpdyStream;
}

/** Matches each request's error and data streams and forwards the pair. */
class PairForwarder {
  readonly #runtime: ContainerRuntime;
  readonly #sandbox: SandboxStatus;
  readonly #target: { namespace: string; pod: string };
  readonly #logger: Logger;
  readonly #pairs = new Map<string, StreamPair>();

  constructor(options: { runtime: ContainerRuntime; sandbox: SandboxStatus; target: { namespace: string; pod: string }; logger: Logger }) {
    this.#runtime = options.runtime;
    this.#sandbox = options.sandbox;
    this.#target = options.target;
    this.#logger = options.logger;
  }

  add(stream: SpdyStream): void {
    const type = stream.headers['streamtype'];
    if (type !== 'error' && type !== 'data') {
      stream.reset();
      return;
    }
    // Old clients send no requestid: kubelet pairs a data stream with the error stream opened
    // just before it (ids go up by 2 per stream from one side).
    const requestId = stream.headers['requestid'] ?? String(type === 'error' ? stream.id : stream.id - 2);
    const pair = this.#pairs.get(requestId) ?? {};
    pair[type] = stream;
    this.#pairs.set(requestId, pair);
    stream.on('close', () => {
      if (this.#pairs.get(requestId) === pair) this.#pairs.delete(requestId);
    });
    if (pair.error && pair.data) {
      this.#pairs.delete(requestId);
      this.#forward(pair.error, pair.data);
    }
  }

  #forward(errorStream: SpdyStream, dataStream: SpdyStream): void {
    // kubectl half-closes the error stream at once and only reads it.
    errorStream.resume();
    const portText = dataStream.headers['port'] ?? '';
    const port = Number(portText);
    let reported = false;
    const fail = (reason: string): void => {
      if (!reported && !errorStream.destroyed) {
        reported = true;
        const { namespace, pod } = this.#target;
        errorStream.end(`error forwarding port ${portText} to pod ${pod}_${namespace}, uid ${this.#sandbox.podUid}: ${reason}`);
      }
      dataStream.end();
    };
    if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
      fail(`invalid port ${JSON.stringify(portText)}`);
      return;
    }
    this.#runtime.portForward(this.#sandbox.id, port).then(
      (connection) => {
        if (dataStream.destroyed) {
          connection.destroy();
          return;
        }
        connection.on('error', (error: Error) => {
          this.#logger.debug({ err: error, port }, 'port-forward connection error');
          fail(error.message);
          connection.destroy();
        });
        // Pod side finished sending: FIN on data, then the (empty) error stream ends too.
        connection.on('end', () => {
          dataStream.end();
          if (!reported) errorStream.end();
        });
        dataStream.on('close', () => connection.destroy());
        dataStream.pipe(connection);
        connection.on('data', (chunk: Buffer) => {
          if (!dataStream.write(chunk)) {
            connection.pause();
            dataStream.once('drain', () => connection.resume());
          }
        });
      },
      (error: unknown) => fail(error instanceof Error ? error.message : String(error)),
    );
  }
}
