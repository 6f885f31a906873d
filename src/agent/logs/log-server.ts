// The agent's log endpoint, what kubelet's /containerLogs is for the API server:
//   GET /containerLogs/<namespace>/<pod>/<container>?follow=&tailLines=&sinceSeconds=&sinceTime=
//       &limitBytes=&timestamps=&previous=
// answered as text/plain, chunked, headers flushed at once (kubectl waits for them on -f). Callers
// authenticate with `Authorization: Bearer <token>`, the token the agent was started with. Serves
// HTTPS when given a key and certificate, else plain HTTP (meant for loopback).
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../lib/clock.js';
import { systemClock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { readCriLog, type LogReadOptions } from './cri-log-reader.js';

export interface LogTarget {
  readonly logPath: string;
  /** Whether the container may still write (follow ends after it stops). Default: not running. */
  readonly isRunning?: () => boolean | Promise<boolean>;
}

/**
 * Thrown by resolvePod for an answer the user should see (kubelet's texts, e.g.
 * `container "web" in pod "x" is waiting to start: ContainerCreating` with 400).
 */
export class LogRequestError extends Error {
  readonly statusCode: number;
  constructor(statusCode: number, message: string) {
    super(message);
    this.name = 'LogRequestError';
    this.statusCode = statusCode;
  }
}

/** Another endpoint on the agent's server (stats, exec, port-forward); the token is checked first. */
export interface AgentRoute {
  /** Handles a plain request; false: not this route's path. */
  readonly request?: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
  /** Handles an upgrade (WebSocket, SPDY); false: not this route's path. */
  readonly upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer, url: URL) => boolean;
}

export interface LogServerOptions {
  /** Endpoints beside /containerLogs, tried in order. */
  readonly routes?: readonly AgentRoute[];
  readonly port: number;
  readonly address: string;
  readonly token: string;
  /** Finds the log file; undefined (or a LogRequestError) when there is none to serve. */
  readonly resolvePod: (namespace: string, pod: string, container: string, previous: boolean) => Promise<LogTarget | undefined>;
  readonly logger: Logger;
  readonly tls?: { readonly key: string; readonly cert: string };
  readonly clock?: Clock;
  readonly pollMs?: number;
}

/** Query parameters as kubelet reads them; throws LogRequestError(400) on bad values. */
export function parseLogQuery(params: URLSearchParams, now: Date): LogReadOptions & { previous: boolean } {
  const bool = (name: string): boolean => {
    const value = params.get(name);
    return value === 'true' || value === '1';
  };
  const int = (name: string): number | undefined => {
    const value = params.get(name);
    if (value === null || value === '') return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new LogRequestError(400, `invalid ${name}: ${value}`);
    return n;
  };
  const tailLines = int('tailLines');
  const limitBytes = int('limitBytes');
  const sinceSeconds = int('sinceSeconds');
  const sinceTimeText = params.get('sinceTime');
  let sinceTime: Date | undefined;
  if (sinceTimeText !== null && sinceTimeText !== '') {
    sinceTime = new Date(sinceTimeText);
    if (Number.isNaN(sinceTime.getTime())) throw new LogRequestError(400, `invalid sinceTime: ${sinceTimeText}`);
  } else if (sinceSeconds !== undefined) {
    sinceTime = new Date(now.getTime() - sinceSeconds * 1000);
  }
  return {
    follow: bool('follow'),
    previous: bool('previous'),
    timestamps: bool('timestamps'),
    ...(tailLines !== undefined ? { tailLines } : {}),
    ...(limitBytes !== undefined ? { limitBytes } : {}),
    ...(sinceTime !== undefined ? { sinceTime } : {}),
  };
}

function tokenMatches(header: string | undefined, token: string): boolean {
  if (header?.startsWith('Bearer ') !== true) return false;
  const given = Buffer.from(header.slice('Bearer '.length).trim());
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export class LogServer {
  readonly #options: LogServerOptions;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #server: Server;
  readonly #open = new Set<AbortController>();

  constructor(options: LogServerOptions) {
    this.#options = options;
    this.#logger = options.logger.child({ component: 'log-server' });
    this.#clock = options.clock ?? systemClock;
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      this.#handle(req, res).catch((error: unknown) => {
        this.#logger.warn({ err: error }, 'log request failed');
        if (!res.headersSent) sendText(res, 500, error instanceof Error ? error.message : String(error));
        else res.end();
      });
    };
    this.#server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler) : createHttpServer(handler);
    this.#server.requestTimeout = 0;
    this.#server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => this.#upgrade(req, socket, head));
  }

  #upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const refuse = (code: number, text: string): void => {
      socket.end(`HTTP/1.1 ${code} ${text}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
    };
    if (!tokenMatches(req.headers.authorization, this.#options.token)) {
      refuse(401, 'Unauthorized');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://agent.invalid');
    try {
      for (const route of this.#options.routes ?? []) if (route.upgrade?.(req, socket, head, url) === true) return;
    } catch (error) {
      this.#logger.warn({ err: error, path: url.pathname }, 'upgrade request failed');
      refuse(500, error instanceof Error ? error.message : String(error));
      return;
    }
    refuse(404, '404 page not found');
  }

  /** Starts listening; resolves with the bound port (useful with port 0). */
  async start(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#options.port, this.#options.address, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    return (this.#server.address() as AddressInfo).port;
  }

  /** Ends open (following) streams and stops listening. */
  async close(): Promise<void> {
    for (const controller of this.#open) controller.abort();
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!tokenMatches(req.headers.authorization, this.#options.token)) {
      sendText(res, 401, 'Unauthorized');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://agent.invalid');
    for (const route of this.#options.routes ?? []) if (await route.request?.(req, res, url)) return;
    const parts = url.pathname.split('/').slice(1).map((p) => decodeURIComponent(p));
    if (req.method !== 'GET' || parts.length !== 4 || parts[0] !== 'containerLogs') {
      sendText(res, 404, '404 page not found');
      return;
    }
    const [, namespace = '', pod = '', container = ''] = parts;
    let query;
    let target;
    try {
      query = parseLogQuery(url.searchParams, this.#clock.now());
      target = await this.#options.resolvePod(namespace, pod, container, query.previous);
    } catch (error) {
      if (error instanceof LogRequestError) {
        sendText(res, error.statusCode, error.message);
        return;
      }
      throw error;
    }
    if (!target) {
      sendText(res, 404, `container "${container}" in pod "${pod}" not found`);
      return;
    }
    const controller = new AbortController();
    this.#open.add(controller);
    res.on('close', () => controller.abort());
    try {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
      res.flushHeaders();
      const isRunning = target.isRunning ?? (() => false);
      const chunks = readCriLog(target.logPath, query, {
        isRunning,
        signal: controller.signal,
        ...(this.#options.pollMs !== undefined ? { pollMs: this.#options.pollMs } : {}),
      });
      for await (const chunk of chunks) {
        if (controller.signal.aborted) break;
        if (!res.write(chunk)) await new Promise<void>((resolve) => res.once('drain', resolve).once('close', resolve));
      }
      res.end();
    } finally {
      this.#open.delete(controller);
    }
  }
}

function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
