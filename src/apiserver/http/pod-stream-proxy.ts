// pods/{exec,attach,portforward} (kubectl-wire §3.15, §3.16): HTTP upgrades (WebSocket or SPDY/3.1)
// that the API server passes through to the node's agent, like upstream's UpgradeAwareHandler:
// authenticate, load the pod, check it can be reached (texts from upstream's
// pkg/registry/core/pod/strategy.go streamLocation / PortForwardLocation), then send the same
// method and upgrade headers to the agent's /exec/<ns>/<pod>/<container>, /attach/..., or
// /portForward/<ns>/<pod>, write the agent's 101 head back verbatim and pipe bytes both ways.
// Anything that fails before the upgrade is answered with a Status (kubectl prints its message).
import { request as httpRequest, ServerResponse, type ClientRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { BadRequestError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { Authenticator } from '../auth/authenticator.js';
import { UnauthorizedError } from '../registry/api-errors.js';
import { parseApiPath } from './parse-api-path.js';
import { AgentResponseError, chooseContainer, nodeAgentAddress } from './pod-log-proxy.js';
import { sendError } from './respond.js';

export type PodStreamSubresource = 'exec' | 'attach' | 'portforward';

export interface PodStreamTarget {
  readonly namespace: string;
  readonly name: string;
  readonly subresource: PodStreamSubresource;
}

export interface PodStreamProxyOptions {
  readonly authenticator: Authenticator;
  readonly getPod: (namespace: string, name: string) => Promise<Pod>;
  readonly getNode: (name: string) => Promise<Node>;
  /** The token sent to agents; absent: the caller's own bearer token is passed on. */
  readonly agentToken?: string;
  /** Default https, retried over http when the agent speaks plain HTTP (as pod-log-proxy does). */
  readonly agentScheme?: 'http' | 'https';
  readonly logger?: Logger;
}

const SUBRESOURCES: ReadonlySet<string> = new Set(['exec', 'attach', 'portforward']);
/** Request headers that are ours to set, not the client's to pass on. */
const NOT_FORWARDED = new Set(['host', 'authorization']);
/** Longest error body read from the agent. */
const MAX_ERROR_BODY = 4096;

const REASONS: Partial<Record<number, string>> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 503: 'ServiceUnavailable' };

/** The pod and subresource when `pathname` is /api/v1/namespaces/<ns>/pods/<name>/<exec|attach|portforward>. */
export function podStreamTarget(pathname: string): PodStreamTarget | undefined {
  const path = parseApiPath(pathname);
  if (path?.type !== 'resource' || path.group !== '' || path.version !== 'v1' || path.resource !== 'pods') return undefined;
  if (path.namespace === undefined || path.name === undefined || path.subresource === undefined || !SUBRESOURCES.has(path.subresource)) return undefined;
  return { namespace: path.namespace, name: path.name, subresource: path.subresource as PodStreamSubresource };
}

/** Where on the agent the stream goes, after upstream's checks; throws BadRequest with its texts. */
export function agentStreamPath(pod: Pod, target: PodStreamTarget, params: URLSearchParams): { nodeName: string; path: string } {
  const { namespace, name, subresource } = target;
  const query = params.toString();
  const suffix = query === '' ? '' : `?${query}`;
  const segment = (text: string): string => encodeURIComponent(text);
  let path: string;
  if (subresource === 'portforward') {
    path = `/portForward/${segment(namespace)}/${segment(name)}${suffix}`;
  } else {
    const container = chooseContainer(pod, params.get('container'));
    path = `/${subresource}/${segment(namespace)}/${segment(name)}/${segment(container)}${suffix}`;
  }
  const nodeName = pod.spec?.nodeName;
  if (nodeName === undefined || nodeName === '') throw new BadRequestError(`pod ${name} does not have a host assigned`);
  const phase = pod.status?.phase;
  if (subresource !== 'portforward' && (phase === 'Succeeded' || phase === 'Failed')) {
    const verb = subresource === 'exec' ? 'exec into' : 'attach';
    throw new BadRequestError(`cannot ${verb} a container in a completed pod; current phase is ${phase}`);
  }
  return { nodeName, path };
}

export class PodStreamProxy {
  readonly #options: PodStreamProxyOptions;
  /** Client sockets of open streams, cut on closeAll(). */
  readonly #open = new Set<Duplex>();

  constructor(options: PodStreamProxyOptions) {
    this.#options = options;
  }

  /** Number of streams being proxied right now. */
  get openCount(): number {
    return this.#open.size;
  }

  /** The server's 'upgrade' listener. Never throws; failures become a Status answer. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    this.#serve(req, socket, head).catch((error: unknown) => {
      if (!(error instanceof AgentResponseError || error instanceof BadRequestError || error instanceof UnauthorizedError)) {
        this.#options.logger?.debug({ err: error, url: req.url }, 'pod stream upgrade failed');
      }
      respondWithStatus(req, socket, error);
    });
  }

  /** Cuts every proxied stream (server shutdown). */
  closeAll(): void {
    for (const socket of this.#open) socket.destroy();
    this.#open.clear();
  }

  async #serve(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://k8ts.invalid');
    if (!(await this.#options.authenticator.authenticate(req.headers))) throw new UnauthorizedError();
    const target = podStreamTarget(url.pathname);
    if (!target) throw new BadRequestError(`upgrade is not supported for ${url.pathname}`);
    if (req.method !== 'GET' && req.method !== 'POST') throw new BadRequestError(`method ${req.method ?? ''} is not supported for pods/${target.subresource}`);
    const pod = await this.#options.getPod(target.namespace, target.name);
    const { nodeName, path } = agentStreamPath(pod, target, url.searchParams);
    const { host, port } = nodeAgentAddress(await this.#options.getNode(nodeName));
    const token = this.#options.agentToken ?? bearerToken(req.headers.authorization);
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !NOT_FORWARDED.has(name)) headers[name] = value;
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    const answer = await this.#connect(this.#options.agentScheme ?? 'https', { host, port, path, method: req.method, headers }, socket);
    if (answer.kind === 'response') {
      const body = await readLimited(answer.response, MAX_ERROR_BODY);
      throw agentError(answer.response.statusCode ?? 500, body.trim());
    }
    const { response, agentSocket, agentHead } = answer;
    if (socket.destroyed) {
      agentSocket.destroy();
      return;
    }
    // The agent's 101 exactly as it sent it: kubectl checks the negotiated protocol headers.
    const lines = [`HTTP/1.1 101 ${response.statusMessage ?? 'Switching Protocols'}`];
    for (let i = 0; i + 1 < response.rawHeaders.length; i += 2) lines.push(`${response.rawHeaders[i] ?? ''}: ${response.rawHeaders[i + 1] ?? ''}`);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (agentHead.length > 0) socket.write(agentHead);
    if (head.length > 0) agentSocket.write(head);
    this.#open.add(socket);
    const finish = (): void => {
      this.#open.delete(socket);
      socket.destroy();
      agentSocket.destroy();
    };
    agentSocket.on('error', finish);
    agentSocket.on('close', finish);
    socket.on('close', finish);
    agentSocket.pipe(socket);
    socket.pipe(agentSocket);
  }

  #connect(
    scheme: 'http' | 'https',
    target: { host: string; port: number; path: string; method: string; headers: OutgoingHttpHeaders },
    client: Duplex,
  ): Promise<AgentAnswer> {
    return upgradeRequest(scheme, target, client).catch((error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (scheme === 'https' && (code === 'EPROTO' || code.startsWith('ERR_SSL'))) return upgradeRequest('http', target, client);
      this.#options.logger?.warn({ err: error, host: target.host, port: target.port }, 'agent stream request failed');
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`error dialing backend: ${message}`, { cause: error });
    });
  }
}

type AgentAnswer =
  | { readonly kind: 'upgrade'; readonly response: IncomingMessage; readonly agentSocket: Duplex; readonly agentHead: Buffer }
  | { readonly kind: 'response'; readonly response: IncomingMessage };

function upgradeRequest(
  scheme: 'http' | 'https',
  target: { host: string; port: number; path: string; method: string; headers: OutgoingHttpHeaders },
  client: Duplex,
): Promise<AgentAnswer> {
  return new Promise((resolve, reject) => {
    const options = { ...target, ...(scheme === 'https' ? { rejectUnauthorized: false } : {}) };
    const outgoing: ClientRequest = (scheme === 'https' ? httpsRequest : httpRequest)(options);
    outgoing.on('upgrade', (response: IncomingMessage, agentSocket: Duplex, agentHead: Buffer) => resolve({ kind: 'upgrade', response, agentSocket, agentHead }));
    outgoing.on('response', (response: IncomingMessage) => resolve({ kind: 'response', response }));
    outgoing.on('error', reject);
    // The client went away before the agent answered: stop asking.
    const abandon = (): void => {
      outgoing.destroy();
    };
    client.once('close', abandon);
    outgoing.on('close', () => client.off('close', abandon));
    outgoing.end();
  });
}

function agentError(statusCode: number, body: string): Error {
  if (statusCode === 400) return new BadRequestError(body);
  if (statusCode === 500) return new Error(body);
  return new AgentResponseError(statusCode, body === '' ? `the server responded with the status code ${statusCode} but did not return more information` : body);
}

function bearerToken(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') === true ? header.slice('Bearer '.length).trim() : undefined;
}

/** Writes the error's Status as a complete HTTP response on the raw socket, then closes it. */
function respondWithStatus(req: IncomingMessage, socket: Duplex, error: unknown): void {
  if (socket.destroyed) return;
  const res = new ServerResponse(req);
  res.assignSocket(socket as Parameters<ServerResponse['assignSocket']>[0]);
  res.shouldKeepAlive = false;
  res.on('finish', () => {
    res.detachSocket(socket as Parameters<ServerResponse['detachSocket']>[0]);
    socket.end();
  });
  if (error instanceof AgentResponseError) {
    const reason = REASONS[error.statusCode] ?? 'Unknown';
    const text = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: error.message, reason, code: error.statusCode });
    res.writeHead(error.statusCode, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  sendError(res, error);
}

async function readLimited(stream: IncomingMessage, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = chunk as Buffer;
    if (size < max) chunks.push(buffer.subarray(0, max - size));
    size += buffer.length;
  }
  return Buffer.concat(chunks).toString('utf8');
}
