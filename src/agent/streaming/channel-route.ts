// What the exec and attach endpoints share: a kubelet-style route that answers its own URLs with a
// WebSocket upgrade speaking the v5 (or v4) channel protocol. Requests that can never work are
// refused before the upgrade with a 400 and a text the API server passes on to kubectl as the
// Status message; close() ends every open stream (the agent is stopping).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../../lib/logger.js';
import type { AgentRoute } from '../logs/log-server.js';
import type { ChannelProtocol } from './exec-websocket.js';

/** Subprotocols in our order of preference (kubectl 1.32 offers only v5). */
const PROTOCOLS: readonly ChannelProtocol[] = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

export interface ChannelRouteOptions<T> {
  /** `exec` or `attach`: names the route in refusals and logs. */
  readonly name: string;
  /** undefined: not this route's URL; a string: why it cannot be served (400 before the upgrade). */
  readonly parse: (url: URL) => T | string | undefined;
  /** Runs one stream on the upgraded socket; a rejection terminates the socket. */
  readonly serve: (ws: WebSocket, protocol: ChannelProtocol, target: T) => Promise<void>;
  readonly logger: Logger;
}

/** The route, and close(): ends every open stream. */
export interface ChannelRoute extends AgentRoute {
  close(): void;
}

function offeredProtocols(req: IncomingMessage): string[] {
  return (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
}

function refuse(socket: Duplex, text: string): void {
  socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
}

export function createChannelRoute<T>(options: ChannelRouteOptions<T>): ChannelRoute {
  const server = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (offered: Set<string>) => PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  const open = new Set<WebSocket>();
  return {
    close() {
      for (const ws of open) ws.terminate();
    },
    upgrade(req, socket, head, url) {
      const target = options.parse(url);
      if (target === undefined) return false;
      if (typeof target === 'string') {
        refuse(socket, target);
        return true;
      }
      const isWebSocket = (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
      const protocol = PROTOCOLS.find((p) => offeredProtocols(req).includes(p));
      if (!isWebSocket || protocol === undefined) {
        refuse(socket, `${options.name} needs a WebSocket upgrade with subprotocol ${PROTOCOLS.join(' or ')}`);
        return true;
      }
      server.handleUpgrade(req, socket, head, (ws) => {
        open.add(ws);
        ws.once('close', () => open.delete(ws));
        options.serve(ws, protocol, target).catch((error: unknown) => {
          options.logger.warn({ err: error }, `${options.name} failed`);
          ws.terminate();
        });
      });
      return true;
    },
  };
}

/** The container a kubelet stream URL names. */
export interface ContainerPath {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
}

/**
 * `/<route>/<namespace>/<pod>/<container>` (or kubelet's form with the pod uid before the
 * container; the uid is unused), else undefined.
 */
export function containerPath(url: URL, route: string): ContainerPath | undefined {
  const parts = url.pathname.split('/');
  if (parts[1] !== route || (parts.length !== 5 && parts.length !== 6)) return undefined;
  const [namespace, pod, container] = [parts[2], parts[3], parts[parts.length - 1]].map((p) => decodeURIComponent(p ?? ''));
  if (!namespace || !pod || !container) return undefined;
  return { namespace, pod, container };
}

/** A boolean query parameter as kubelet reads it ("true" or "1"). */
export function queryFlag(url: URL, name: string): boolean {
  return ['true', '1'].includes(url.searchParams.get(name) ?? '');
}
