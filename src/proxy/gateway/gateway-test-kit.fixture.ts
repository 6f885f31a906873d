// Test kit for the data plane: real loopback HTTP upstreams that report what they received, and
// small builders for route tables (the compiler's output shape, written by hand).
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Agent } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { CompiledMatch, CompiledRule, GatewayEndpoint, RouteTable, WeightedBackend } from './route-table.js';

export interface Upstream {
  readonly name: string;
  readonly port: number;
  readonly server: Server;
  /** TCP connections accepted so far. */
  connections(): number;
  /** Requests seen so far. */
  requests(): number;
  close(): Promise<void>;
}

export type UpstreamHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

/** Echoes the request as JSON (`{name, method, url, headers, body}`) unless `handler` is given. */
export async function startUpstream(name: string, handler?: UpstreamHandler, configure?: (server: Server) => void): Promise<Upstream> {
  let connections = 0;
  let requests = 0;
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    requests++;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (handler) {
        handler(req, res, body);
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.setHeader('x-upstream', name);
      res.end(JSON.stringify({ name, method: req.method, url: req.url, headers: req.headers, body: body.toString() }));
    });
  });
  server.on('connection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  configure?.(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    name,
    port: (server.address() as AddressInfo).port,
    server,
    connections: () => connections,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function endpoint(port: number, extra: Partial<GatewayEndpoint> = {}): GatewayEndpoint {
  return { address: '127.0.0.1', port, ready: true, serving: true, terminating: false, revision: `rev-${port}`, ...extra };
}

export function backend(service: string, endpoints: readonly GatewayEndpoint[], weight = 1, extra: Partial<WeightedBackend> = {}): WeightedBackend {
  return { service, port: 80, weight, endpoints, ...extra };
}

export function prefix(value: string, extra: Partial<CompiledMatch> = {}): CompiledMatch {
  return { path: { type: 'PathPrefix', value }, headers: [], queryParams: [], ...extra };
}

export function rule(backends: readonly WeightedBackend[], extra: Partial<CompiledRule> = {}): CompiledRule {
  return { route: 'default/r', ruleIndex: 0, hostnames: [], matches: [prefix('/')], backends, ...extra };
}

export function table(version: number, port: number, rules: readonly CompiledRule[]): RouteTable {
  return { version, listeners: [{ port, rules }] };
}

export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The local port of the client socket (same port: same client connection). */
  readonly localPort: number;
}

/** One request through `agent` (default: a fresh connection). */
export function send(
  port: number,
  options: { path?: string; method?: string; headers?: Record<string, string>; body?: string | Buffer | (string | Buffer)[]; agent?: Agent } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: options.path ?? '/', method: options.method ?? 'GET', headers: options.headers ?? {}, agent: options.agent ?? false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString(), localPort: req.socket?.localPort ?? 0 }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    const body = options.body;
    if (Array.isArray(body)) {
      for (const part of body) req.write(part);
      req.end();
    } else req.end(body);
  });
}

export function echoed(reply: Reply): { name: string; method: string; url: string; headers: IncomingHttpHeaders; body: string } {
  return JSON.parse(reply.body) as { name: string; method: string; url: string; headers: IncomingHttpHeaders; body: string };
}
